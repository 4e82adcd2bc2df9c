using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Identity.Client;
using TheModel.Bot.Teams;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Outbound Connector calls with MSAL client-credentials tokens. MSAL's HTTP goes through a handler that sends
/// whatever it asks of login.microsoftonline.com to a local recording server instead.
/// </summary>
public class ConnectorClientTests : IAsyncLifetime
{
    private const string AppId = TeamsTestKit.AppId;
    private RecordingServer login = null!;
    private RecordingServer connector = null!;
    private int issued;

    public async Task InitializeAsync()
    {
        login = await RecordingServer.StartAsync();
        login.Responder = async (_, response) =>
        {
            response.ContentType = "application/json";
            var n = Interlocked.Increment(ref issued);
            await response.WriteAsync($"{{\"token_type\":\"Bearer\",\"expires_in\":3600,\"ext_expires_in\":3600,\"access_token\":\"tok-{n}\"}}");
        };
        connector = await TeamsTestKit.StartConnectorAsync();
    }

    public async Task DisposeAsync()
    {
        await login.DisposeAsync();
        await connector.DisposeAsync();
    }

    private ConnectorClient Client(TeamsOptions options) =>
        new(new HttpClient(), new MsalBotTokenProvider(options, new RedirectingMsalHttpClientFactory(login.BaseUrl)), options,
            TimeProvider.System, NullLogger<ConnectorClient>.Instance);

    private static TeamsOptions WithAppId(string? tenant = null) => new()
    {
        AppId = AppId,
        AppPassword = "s3cret",
        TenantId = tenant,
        TrustedServiceHosts = ["127.0.0.1"],
    };

    private static JsonObject Hello() => new() { ["type"] = "message", ["text"] = "hello" };

    [Fact]
    public async Task Send_MultiTenant_AcquiresOneTokenFromBotframeworkTenant_AndReusesIt()
    {
        var client = Client(WithAppId());

        var first = await client.SendToConversationAsync(connector.BaseUrl, "19:c@thread.tacv2", Hello(), default);
        var second = await client.ReplyToActivityAsync(connector.BaseUrl, "19:c@thread.tacv2", "msg-1", Hello(), default);

        Assert.True(first.Ok && second.Ok);
        var tokenRequest = Assert.Single(login.Requests);
        Assert.Equal("/botframework.com/oauth2/v2.0/token", tokenRequest.Path);
        Assert.Contains("grant_type=client_credentials", tokenRequest.Body);
        Assert.Contains($"client_id={AppId}", tokenRequest.Body);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", tokenRequest.Body);
        Assert.All(connector.Requests, r => Assert.Equal("Bearer tok-1", r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Send_SingleTenant_AsksTheTenantsAuthority()
    {
        var client = Client(WithAppId(tenant: "contoso-tenant-id"));

        await client.UpdateActivityAsync(connector.BaseUrl, "a:dm", "msg-1", Hello(), default);

        Assert.Equal("/contoso-tenant-id/oauth2/v2.0/token", Assert.Single(login.Requests).Path);
        var put = Assert.Single(connector.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.Equal("Bearer tok-1", put.Headers["Authorization"]);
    }

    [Fact]
    public async Task Send_ToAnUntrustedServiceHost_IsRefusedWithoutSendingTheToken()
    {
        var options = WithAppId();
        options.TrustedServiceHosts = [];
        var client = Client(options);

        var result = await client.SendToConversationAsync(connector.BaseUrl, "19:c@thread.tacv2", Hello(), default);

        Assert.False(result.Ok);
        Assert.False(result.Retryable);
        Assert.Empty(connector.Requests);
        Assert.Empty(login.Requests);
    }

    [Fact]
    public async Task Send_WithoutAppId_SendsNoToken()
    {
        var client = Client(new TeamsOptions());

        var result = await client.SendToConversationAsync(connector.BaseUrl, "19:c@thread.tacv2", Hello(), default);

        Assert.True(result.Ok);
        Assert.Equal("msg-1", result.Id);
        Assert.False(Assert.Single(connector.Requests).Headers.ContainsKey("Authorization"));
        Assert.Empty(login.Requests);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(412, true)]
    [InlineData(502, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public async Task Send_PlatformFailure_IsRetryableOnlyWhenTheDocsSaySo(int status, bool retryable)
    {
        connector.Responder = async (_, response) =>
        {
            response.StatusCode = status;
            response.Headers.RetryAfter = "7";
            await response.WriteAsync("{}");
        };
        var client = Client(new TeamsOptions());

        var result = await client.SendToConversationAsync(connector.BaseUrl, "19:c@thread.tacv2", Hello(), default);

        Assert.False(result.Ok);
        Assert.Equal(retryable, result.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
    }

    [Fact]
    public async Task CreatePersonalConversation_SendsTenantMembersAndBot()
    {
        var client = Client(new TeamsOptions());

        var result = await client.CreatePersonalConversationAsync(connector.BaseUrl, "28:bot", "29:user", "tenant-1", default);

        Assert.Equal("a:dm-1", result.Id);
        var body = JsonNode.Parse(Assert.Single(connector.Requests).Body)!;
        Assert.Equal("28:bot", (string?)body["bot"]!["id"]);
        Assert.Equal("29:user", (string?)body["members"]![0]!["id"]);
        Assert.Equal("tenant-1", (string?)body["tenantId"]);
        Assert.Equal("tenant-1", (string?)body["channelData"]!["tenant"]!["id"]);
    }

    /// <summary>MSAL's HTTP client, pointed at the local login server whatever host MSAL asks for.</summary>
    private sealed class RedirectingMsalHttpClientFactory(string baseUrl) : IMsalHttpClientFactory
    {
        private readonly HttpClient client = new(new Redirect(new Uri(baseUrl)) { InnerHandler = new HttpClientHandler() });

        public HttpClient GetHttpClient() => client;

        private sealed class Redirect(Uri target) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
                return base.SendAsync(request, cancellationToken);
            }
        }
    }
}
