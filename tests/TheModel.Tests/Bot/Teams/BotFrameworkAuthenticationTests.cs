using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// The <c>BotFramework</c> JwtBearer scheme where it goes beyond JwtBearer's defaults: the issuer is exactly ours
/// whatever the metadata document says, and a metadata host that fails refuses the caller rather than erring.
/// </summary>
public class BotFrameworkAuthenticationTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";
    private static readonly IPAddress Connector = IPAddress.Parse("52.112.0.10");

    private static TheModelApp AppTrusting(SigningAuthority keys)
    {
        var app = new TheModelApp();
        app.Settings["Teams:AppId"] = AppId;
        app.Settings["Teams:OpenIdMetadataUrl"] = keys.MetadataUrl;
        // A bot with an AppId names the tenants it serves (Teams:AllowedTenants, issue #14).
        app.Settings["Teams:TenantId"] = TenantId;
        return app;
    }

    private static JsonObject Typing() => Activity("typing", ServiceUrl, Personal("a:personal-1"));

    [Fact]
    public async Task Post_TokenFromTheIssuerTheMetadataNames_Is401()
    {
        const string otherIssuer = "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/";
        await using var keys = await SigningAuthority.StartAsync("msteams");
        var serveKeys = keys.Server.Responder;
        keys.Server.Responder = async (request, response) =>
        {
            if (request.Path.EndsWith("/keys", StringComparison.Ordinal))
            {
                await serveKeys(request, response);
                return;
            }
            response.ContentType = "application/json";
            await response.WriteAsync(new JsonObject { ["issuer"] = otherIssuer, ["jwks_uri"] = keys.Server.BaseUrl + "v1/.well-known/keys" }.ToJsonString());
        };
        await using var app = AppTrusting(keys);

        var response = await PostAsync(app, Typing(), keys.Token(app.Clock.GetUtcNow(), ServiceUrl, issuer: otherIssuer), Connector);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task Post_MetadataHostFails_Is401()
    {
        await using var keys = await SigningAuthority.StartAsync("msteams");
        keys.Server.Responder = (_, response) =>
        {
            response.StatusCode = 503;
            return Task.CompletedTask;
        };
        await using var app = AppTrusting(keys);

        var response = await PostAsync(app, Typing(), keys.Token(app.Clock.GetUtcNow(), ServiceUrl), Connector);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task Post_Refused_AnswersProblemDetailsWithABearerChallenge()
    {
        await using var app = new TheModelApp();

        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/messages";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        });

        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("Bearer", context.Response.Headers.WWWAuthenticate.ToString());
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
    }
}
