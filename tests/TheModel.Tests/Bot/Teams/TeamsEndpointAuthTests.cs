using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>Inbound auth of <c>POST /api/messages</c> (docs/protocols/teams.md §1), against keys served from a local OpenID metadata document.</summary>
public class TeamsEndpointAuthTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/apac/";

    private static async Task<(TheModelApp App, SigningAuthority Keys)> StartAsync(params string[] endorsements)
    {
        var keys = await SigningAuthority.StartAsync(endorsements.Length == 0 ? ["msteams"] : endorsements);
        var app = new TheModelApp();
        app.Settings["Teams:AppId"] = AppId;
        app.Settings["Teams:OpenIdMetadataUrl"] = keys.MetadataUrl;
        // A bot with an AppId names the tenants it serves (Teams:AllowedTenants, issue #14).
        app.Settings["Teams:TenantId"] = TenantId;
        return (app, keys);
    }

    private static JsonObject Typing(string serviceUrl = ServiceUrl) => Activity("typing", serviceUrl, Personal("a:personal-1"));

    private static async Task<int> PostWithTokenAsync(Func<SigningAuthority, DateTimeOffset, string> token, string serviceUrl = ServiceUrl, params string[] endorsements)
    {
        var (app, keys) = await StartAsync(endorsements);
        await using (app)
        await using (keys)
        {
            var response = await PostAsync(app, Typing(serviceUrl), token(keys, app.Clock.GetUtcNow()), IPAddress.Parse("52.112.0.10"));
            return response.Status;
        }
    }

    [Fact]
    public async Task Post_ValidToken_IsAccepted()
    {
        Assert.Equal(200, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl)));
    }

    [Fact]
    public async Task Post_ValidToken_ServiceUrlDiffersOnlyByTrailingSlashAndCase_IsAccepted()
    {
        Assert.Equal(200, await PostWithTokenAsync((k, now) => k.Token(now, "https://SMBA.trafficmanager.net/apac")));
    }

    [Fact]
    public async Task Post_ExpiredToken_Is401()
    {
        // Expired ten minutes ago: beyond the five-minute skew.
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, notBefore: now.AddHours(-1).AddMinutes(-10), lifetime: TimeSpan.FromHours(1))));
    }

    [Fact]
    public async Task Post_TokenExpiredWithinSkew_IsAccepted()
    {
        Assert.Equal(200, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, notBefore: now.AddHours(-1).AddMinutes(-3), lifetime: TimeSpan.FromHours(1))));
    }

    [Fact]
    public async Task Post_TokenNotYetValid_Is401()
    {
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, notBefore: now.AddMinutes(10))));
    }

    [Fact]
    public async Task Post_TokenForAnotherAudience_Is401()
    {
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, audience: "11111111-2222-3333-4444-555555555555")));
    }

    [Fact]
    public async Task Post_TokenFromAnotherIssuer_Is401()
    {
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, issuer: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/")));
    }

    [Fact]
    public async Task Post_TokenSignedByAnotherKeyWithTheSameKid_Is401()
    {
        using var forger = RSA.Create(2048);
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl, signWith: forger)));
    }

    [Fact]
    public async Task Post_TokenForAnotherServiceUrl_Is401()
    {
        Assert.Equal(401, await PostWithTokenAsync((k, now) => k.Token(now, "https://evil.example.com/")));
    }

    [Fact]
    public async Task Post_KeyNotEndorsedForTheChannel_Is403()
    {
        Assert.Equal(403, await PostWithTokenAsync((k, now) => k.Token(now, ServiceUrl), ServiceUrl, "slack", "webchat"));
    }

    [Fact]
    public async Task Post_PlaygroundDummyHs256Token_Is401()
    {
        // What the Agents Playground sends for the teams-ai-v2-dotnet target: HS256 with a public "secret".
        var dummy = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["serviceurl"] = ServiceUrl },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey("dummy-secret-key-dummy-secret-key-0000"u8.ToArray()), SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(401, await PostWithTokenAsync((_, _) => dummy));
    }

    [Fact]
    public async Task Post_NotAJwt_Is401()
    {
        Assert.Equal(401, await PostWithTokenAsync((_, _) => "not-a-token"));
    }

    [Fact]
    public async Task Post_WithAppIdAndNoToken_IsRefusedEvenFromLoopback()
    {
        var (app, keys) = await StartAsync();
        await using (app)
        await using (keys)
        {
            Assert.Equal(401, (await PostAsync(app, Typing())).Status);
        }
    }

    [Fact]
    public async Task Post_BasicScheme_Is401()
    {
        var (app, keys) = await StartAsync();
        await using (app)
        await using (keys)
        {
            Assert.Equal(401, (await PostRawAsync(app, Typing().ToJsonString(), "Basic dXNlcjpwYXNz")).Status);
        }
    }

    [Fact]
    public async Task Post_NoAppIdNoTokenFromLoopback_IsAccepted()
    {
        await using var app = new TheModelApp();
        Assert.Equal(200, (await PostAsync(app, Typing(), remote: IPAddress.IPv6Loopback)).Status);
    }

    [Fact]
    public async Task Post_NoAppIdNoTokenFromElsewhere_Is401()
    {
        await using var app = new TheModelApp();
        Assert.Equal(401, (await PostAsync(app, Typing(), remote: IPAddress.Parse("203.0.113.9"))).Status);
    }

    [Fact]
    public async Task Post_NoAppIdAnonymousSwitchedOff_Is401()
    {
        await using var app = new TheModelApp();
        app.Settings["Teams:AllowAnonymousOnLoopback"] = "false";
        Assert.Equal(401, (await PostAsync(app, Typing())).Status);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "198.51.100.7")]
    [InlineData("X-Forwarded-Proto", "https")]
    [InlineData("X-Forwarded-Host", "bot.example.com")]
    [InlineData("Forwarded", "for=198.51.100.7;proto=https")]
    [InlineData("X-Real-IP", "198.51.100.7")]
    public async Task Post_NoAppIdFromLoopbackRelayedByAProxy_Is401AndNothingIsStored(string header, string value)
    {
        // Behind a reverse proxy on the same host every request comes from loopback: the header gives it away.
        await using var app = new TheModelApp();
        var message = Message("http://127.0.0.1:56150/_connector", Personal("a:alex-dm"), "help");

        var response = await PostAsync(app, message, headers: new Dictionary<string, string> { [header] = value });

        Assert.Equal(401, response.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Post_NoAppIdFromLoopbackWithoutForwardingHeaders_IsStored()
    {
        await using var app = new TheModelApp();
        var message = Message("http://127.0.0.1:56150/_connector", Personal("a:alex-dm"), "help");

        Assert.Equal(200, (await PostAsync(app, message)).Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Post_AnonymousSwitchedOffWithAMessage_Is401AndNothingIsStored()
    {
        await using var app = new TheModelApp();
        app.Settings["Teams:AllowAnonymousOnLoopback"] = "false";
        var message = Message("http://127.0.0.1:56150/_connector", Personal("a:alex-dm"), "help");

        Assert.Equal(401, (await PostAsync(app, message)).Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Post_NoAppIdWithAToken_Is401()
    {
        await using var keys = await SigningAuthority.StartAsync("msteams");
        await using var app = new TheModelApp();
        var token = keys.Token(app.Clock.GetUtcNow(), ServiceUrl);
        Assert.Equal(401, (await PostAsync(app, Typing(), token)).Status);
    }

    [Fact]
    public async Task Post_ForgedTokenWithMalformedBody_Is401NotParsed()
    {
        var (app, keys) = await StartAsync();
        await using (app)
        await using (keys)
        {
            using var forger = RSA.Create(2048);
            var forged = new SigningAuthorityToken(keys, forger).For(app.Clock.GetUtcNow());
            Assert.Equal(401, (await PostRawAsync(app, "{not json", $"Bearer {forged}")).Status);
        }
    }

    [Fact]
    public async Task Post_TokenSignedWithANewlyPublishedKey_IsAcceptedAfterAMetadataRefresh()
    {
        var (app, keys) = await StartAsync();
        await using (app)
        await using (keys)
        {
            var remote = IPAddress.Parse("52.112.0.10");
            Assert.Equal(200, (await PostAsync(app, Typing(), keys.Token(app.Clock.GetUtcNow(), ServiceUrl), remote)).Status);
            var (next, nextKid) = keys.RollOver("msteams");
            using (next)
            {
                var response = await PostAsync(app, Typing(), keys.Token(app.Clock.GetUtcNow(), ServiceUrl, signWith: next, kid: nextKid), remote);
                Assert.Equal(200, response.Status);
            }
        }
    }

    [Fact]
    public async Task Post_ActivityLargerThanTheLimit_Is413()
    {
        await using var app = new TheModelApp();
        app.Settings["Teams:MaxActivityBytes"] = "1024";
        var big = Typing();
        big["text"] = new string('x', 4096);
        Assert.Equal(413, (await PostAsync(app, big)).Status);
    }

    private sealed record SigningAuthorityToken(SigningAuthority Keys, RSA Forger)
    {
        public string For(DateTimeOffset now) => Keys.Token(now, ServiceUrl, signWith: Forger);
    }
}
