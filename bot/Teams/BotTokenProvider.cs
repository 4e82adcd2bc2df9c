using Microsoft.Identity.Client;

namespace TheModel.Bot.Teams;

/// <summary>The bearer token for calls to the Bot Connector; null when no App ID is configured (dev mode).</summary>
public interface IBotTokenProvider
{
    Task<string?> GetTokenAsync(CancellationToken ct);
}

/// <summary>
/// MSAL client credentials for scope <c>https://api.botframework.com/.default</c> (docs/protocols/teams.md §2): authority tenant
/// <c>botframework.com</c> for a multi-tenant bot, <c>Teams:TenantId</c> for a single-tenant one. One confidential
/// client per process, so MSAL's in-memory app token cache serves every call and refreshes before expiry.
/// </summary>
public sealed class MsalBotTokenProvider(TeamsOptions options, IMsalHttpClientFactory? httpClientFactory = null) : IBotTokenProvider
{
    private readonly Lazy<IConfidentialClientApplication?> app = new(() => Build(options, httpClientFactory));

    public async Task<string?> GetTokenAsync(CancellationToken ct)
    {
        if (app.Value is not { } client)
        {
            return null;
        }
        var result = await client.AcquireTokenForClient([options.Scope]).ExecuteAsync(ct);
        return result.AccessToken;
    }

    private static IConfidentialClientApplication? Build(TeamsOptions options, IMsalHttpClientFactory? httpClientFactory)
    {
        if (!options.AuthEnabled)
        {
            return null;
        }
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? "botframework.com" : options.TenantId;
        var builder = ConfidentialClientApplicationBuilder.Create(options.AppId)
            .WithClientSecret(options.AppPassword ?? "")
            .WithAuthority($"{options.Authority.TrimEnd('/')}/{tenant}")
            // The token endpoint follows from the authority; no instance-discovery round trip is needed.
            .WithInstanceDiscovery(false);
        if (httpClientFactory is not null)
        {
            builder = builder.WithHttpClientFactory(httpClientFactory);
        }
        return builder.Build();
    }
}
