using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TheModel.Bot.Teams;

/// <summary>
/// The Bot Framework OpenID metadata (docs/protocols/teams.md §1.1), as the <c>BotFramework</c> JwtBearer scheme's configuration
/// manager. IdentityModel's <see cref="ConfigurationManager{T}"/> keeps the document and refreshes it every 12 hours
/// (the doc asks for at least daily). Its own refresh on an unknown key runs in the background, so the request that
/// brought the key would still fail: <see cref="FetchIfUnknownAsync"/> fetches the document at once instead, and its
/// keys are served beside the cached ones until the next scheduled refresh is due anyway.
/// </summary>
public sealed class BotFrameworkMetadata : IConfigurationManager<OpenIdConnectConfiguration>
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromHours(12);
    // A flood of made-up key ids must not hammer the metadata host.
    private static readonly TimeSpan FetchAtMostEvery = TimeSpan.FromMinutes(1);

    private readonly string url;
    private readonly TimeProvider time;
    private readonly HttpDocumentRetriever retriever;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> cached;
    private readonly Lock fetchGate = new();
    private DateTimeOffset lastFetch = DateTimeOffset.MinValue;
    private volatile Fetched? fetched;
    private volatile Union? union;

    private sealed record Fetched(DateTimeOffset At, OpenIdConnectConfiguration Configuration);

    private sealed record Union(OpenIdConnectConfiguration Cached, Fetched Fetched, OpenIdConnectConfiguration Both);

    public BotFrameworkMetadata(TeamsOptions options, TimeProvider time)
    {
        url = options.OpenIdMetadataUrl;
        this.time = time;
        // Plain http only for a metadata server on this machine (tests); anything remote must be https.
        retriever = new HttpDocumentRetriever { RequireHttps = !Loopback.Is(new Uri(url)) };
        cached = new ConfigurationManager<OpenIdConnectConfiguration>(url, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = RefreshInterval,
        };
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var current = await cached.GetConfigurationAsync(cancel);
        if (fetched is not { } fresh || time.GetUtcNow() - fresh.At >= RefreshInterval)
        {
            return current;
        }
        if (union is { } known && ReferenceEquals(known.Cached, current) && ReferenceEquals(known.Fetched, fresh))
        {
            return known.Both;
        }
        var both = new OpenIdConnectConfiguration { Issuer = current.Issuer, JsonWebKeySet = new JsonWebKeySet() };
        foreach (var key in KeysOf(current).Concat(KeysOf(fresh.Configuration)).DistinctBy(k => k.Kid))
        {
            both.JsonWebKeySet.Keys.Add(key);
        }
        foreach (var key in current.SigningKeys.Concat(fresh.Configuration.SigningKeys).DistinctBy(k => k.KeyId))
        {
            both.SigningKeys.Add(key);
        }
        union = new Union(current, fresh, both);
        return both;
    }

    /// <summary>Asked by the JwtBearer handler after a token named a key it did not find (RefreshOnIssuerKeyNotFound).</summary>
    public void RequestRefresh() => cached.RequestRefresh();

    /// <summary>
    /// Fetches the metadata now when <paramref name="kid"/> is not among the keys we know: keys roll over at any
    /// time, and the first token signed with a new key must not be refused for it.
    /// </summary>
    public async Task FetchIfUnknownAsync(string? kid, CancellationToken ct)
    {
        if (kid is null || KeysOf(await GetConfigurationAsync(ct)).Any(k => k.Kid == kid))
        {
            return;
        }
        var now = time.GetUtcNow();
        lock (fetchGate)
        {
            if (now - lastFetch < FetchAtMostEvery)
            {
                return;
            }
            lastFetch = now;
        }
        cached.RequestRefresh();
        fetched = new Fetched(now, await OpenIdConnectConfigurationRetriever.GetAsync(url, retriever, ct));
    }

    /// <summary>The channels the signing key is endorsed for (each key of the JWKS carries an <c>endorsements</c> array).</summary>
    public async Task<IReadOnlyCollection<string>> EndorsementsAsync(string? kid, CancellationToken ct)
    {
        var key = KeysOf(await GetConfigurationAsync(ct)).FirstOrDefault(k => k.Kid == kid);
        if (key is null || !key.AdditionalData.TryGetValue("endorsements", out var value))
        {
            return [];
        }
        return value switch
        {
            string one => [one],
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => e.ToString()).ToList(),
            IEnumerable<object> items => items.Select(i => i?.ToString()).OfType<string>().ToList(),
            _ => [],
        };
    }

    private static IEnumerable<JsonWebKey> KeysOf(OpenIdConnectConfiguration configuration) =>
        configuration.JsonWebKeySet?.Keys ?? [];
}
