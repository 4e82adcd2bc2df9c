using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Auth;

/// <summary>API key scopes; each includes the ones below it (admin ⊃ write ⊃ read). Also the policy names.</summary>
public static class ApiScopes
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Admin = "admin";
    public const string Scheme = "ApiKey";
    public const string Header = "X-Api-Key";

    internal static IEnumerable<string> Implied(string scope) => scope.ToLowerInvariant() switch
    {
        Admin => [Admin, Write, Read],
        Write => [Write, Read],
        Read => [Read],
        _ => [],
    };
}

/// <summary>One configured key: <c>Api:Keys:{i}:Key</c>, <c>Api:Keys:{i}:Scopes</c> (e.g. <c>read write</c>), optional <c>Name</c>.</summary>
public sealed record ApiKey(string Name, string Key, IReadOnlyList<string> Scopes);

public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    public IReadOnlyList<ApiKey> Keys { get; set; } = [];
}

/// <summary>Authenticates <c>X-Api-Key</c> against the configured keys in constant time.</summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiScopes.Header, out var values) || string.IsNullOrEmpty(values.ToString()))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var presented = Encoding.UTF8.GetBytes(values.ToString());
        ApiKey? match = null;
        foreach (var key in Options.Keys)
        {
            // Compare every key, always, so timing says nothing about which one (or how much of one) matched.
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key.Key)))
            {
                match = key;
            }
        }
        if (match is null)
        {
            Logger.LogWarning("Rejected an unknown API key from {Remote}", Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }
        var claims = new List<Claim> { new(ClaimTypes.Name, match.Name) };
        claims.AddRange(match.Scopes.SelectMany(ApiScopes.Implied).Distinct().Select(s => new Claim("scope", s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiScopes.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiScopes.Scheme)));
    }
}

public static class ApiKeyExtensions
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var keys = configuration.GetSection("Api:Keys").GetChildren()
            .Select((section, i) => new ApiKey(
                section["Name"] ?? $"key{i}",
                section["Key"] ?? "",
                ScopesOf(section)))
            .Where(k => k.Key.Length > 0)
            .ToList();
        services.AddAuthentication(ApiScopes.Scheme)
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiScopes.Scheme, o => o.Keys = keys);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiScopes.Read, p => p.RequireClaim("scope", ApiScopes.Read))
            .AddPolicy(ApiScopes.Write, p => p.RequireClaim("scope", ApiScopes.Write))
            .AddPolicy(ApiScopes.Admin, p => p.RequireClaim("scope", ApiScopes.Admin));
        return services;
    }

    private static IReadOnlyList<string> ScopesOf(IConfigurationSection section)
    {
        var children = section.GetSection("Scopes").GetChildren().Select(c => c.Value).OfType<string>().ToList();
        var raw = children.Count > 0 ? children : [section["Scopes"] ?? ApiScopes.Read];
        return raw.SelectMany(s => s.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
    }
}
