using System.Net;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace TheModel.Bot.Teams;

/// <summary>A bearer token that passed signature, issuer, audience and lifetime checks.</summary>
public sealed record BotToken(string? ServiceUrl, IReadOnlyCollection<string> Endorsements);

/// <summary>Why a token was refused (logged; the caller only sees 401).</summary>
public sealed record TokenCheck(BotToken? Token, string? Error)
{
    public bool Valid => Token is not null;
}

/// <summary>
/// Validates the JWT Azure Bot Service puts on every Connector → bot request (docs/protocols/teams.md §1.1): issuer
/// <c>https://api.botframework.com</c>, audience = our App ID, 5-minute skew, RS256/384/512 signed by a key of the
/// Bot Framework OpenID metadata (refreshed at least daily). The <c>serviceurl</c> claim and the key's channel
/// endorsements are returned so the endpoint can check them against the activity once it has parsed it.
/// </summary>
public sealed class BotTokenValidator
{
    private readonly TeamsOptions options;
    private readonly TimeProvider time;
    private readonly ConfigurationManager<OpenIdConnectConfiguration> metadata;
    private readonly JsonWebTokenHandler handler = new();
    private readonly HttpDocumentRetriever retriever;
    private readonly Lock refetchGate = new();
    private DateTimeOffset lastRefetch = DateTimeOffset.MinValue;
    private RefetchedKeys? refetched;

    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RefetchedKeysLifetime = TimeSpan.FromHours(12);

    private sealed record RefetchedKeys(DateTimeOffset At, IReadOnlyList<JsonWebKey> Keys);

    public BotTokenValidator(TeamsOptions options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        // Plain http only for a metadata server on this machine (tests); anything remote must be https.
        retriever = new HttpDocumentRetriever { RequireHttps = !IsLoopback(new Uri(options.OpenIdMetadataUrl)) };
        metadata = new ConfigurationManager<OpenIdConnectConfiguration>(options.OpenIdMetadataUrl, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            // The doc asks for a refresh at least every 24 h; new keys can appear any time, so refresh twice as often.
            AutomaticRefreshInterval = TimeSpan.FromHours(12),
        };
    }

    public async Task<TokenCheck> ValidateAsync(string token, CancellationToken ct)
    {
        if (!options.AuthEnabled)
        {
            return new(null, "no Teams:AppId configured, so no token can be valid");
        }
        if (!handler.CanReadToken(token))
        {
            return new(null, "not a JWT");
        }
        try
        {
            var keys = await KeysAsync(ct);
            var result = await ValidateOnceAsync(token, keys);
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await RefetchAsync(ct))
            {
                // A key we have not seen: the metadata may have rolled over since we cached it.
                keys = await KeysAsync(ct);
                result = await ValidateOnceAsync(token, keys);
            }
            if (!result.IsValid)
            {
                return new(null, result.Exception?.Message ?? "invalid token");
            }
            var jwt = (JsonWebToken)result.SecurityToken;
            var serviceUrl = jwt.TryGetPayloadValue<string>("serviceurl", out var url) ? url : null;
            return new(new BotToken(serviceUrl, EndorsementsOf(keys, jwt.Kid)), null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException or SecurityTokenException)
        {
            return new(null, $"could not validate: {ex.Message}");
        }
    }

    /// <summary>The cached metadata's keys, plus those of a fresher copy fetched because a token named an unknown key.</summary>
    private async Task<IReadOnlyList<JsonWebKey>> KeysAsync(CancellationToken ct)
    {
        var config = await metadata.GetConfigurationAsync(ct);
        var keys = config.JsonWebKeySet?.Keys.ToList() ?? [];
        if (refetched is { } fresh && time.GetUtcNow() - fresh.At < RefetchedKeysLifetime)
        {
            keys.AddRange(fresh.Keys.Where(k => keys.All(known => known.Kid != k.Kid)));
        }
        return keys;
    }

    /// <summary>
    /// Fetches the metadata again now (at most once a minute, so a flood of made-up key ids cannot hammer the
    /// metadata host), and asks the configuration manager to refresh its cached copy too.
    /// </summary>
    private async Task<bool> RefetchAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (refetchGate)
        {
            if (now - lastRefetch < TimeSpan.FromMinutes(1))
            {
                return refetched is not null && refetched.At >= lastRefetch;
            }
            lastRefetch = now;
        }
        metadata.RequestRefresh();
        var config = await OpenIdConnectConfigurationRetriever.GetAsync(options.OpenIdMetadataUrl, retriever, ct);
        refetched = new RefetchedKeys(now, config.JsonWebKeySet?.Keys.ToList() ?? []);
        return true;
    }

    private Task<TokenValidationResult> ValidateOnceAsync(string token, IReadOnlyList<JsonWebKey> keys)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.AppId,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = Skew,
            // Our clock, not the machine's, so lifetimes are checked against the same time as everything else.
            LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        };
        return handler.ValidateTokenAsync(token, parameters);
    }

    internal static bool WithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp && now <= exp.ToUniversalTime() + Skew
        && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - Skew);

    /// <summary>The channels the signing key is endorsed for (each JWK carries an <c>endorsements</c> array).</summary>
    private static IReadOnlyCollection<string> EndorsementsOf(IReadOnlyList<JsonWebKey> keys, string? kid)
    {
        var key = keys.FirstOrDefault(k => k.Kid == kid);
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

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
}
