using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>401 with a problem body that tells the caller (or the operator) how to get in.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Request.Headers.ContainsKey(ApiScopes.Header);
        var detail = Options.Keys.Count == 0
            ? $"No API keys are configured, so every REST call is refused. Configure one with the environment variables " +
              $"Api__Keys__0__Key=<secret> and Api__Keys__0__Scopes=\"read write admin\" (or Api:Keys:0:Key / Api:Keys:0:Scopes in appsettings), " +
              $"then send it in the {ApiScopes.Header} header."
            : presented
                ? $"The API key in {ApiScopes.Header} is not known."
                : $"Send an API key in the {ApiScopes.Header} header.";
        Logger.LogInformation("401 for {Method} {Path}: {Why}", Request.Method, Request.Path, presented ? "unknown key" : "no key");
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{ApiScopes.Scheme} header=\"{ApiScopes.Header}\"";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Logger.LogInformation("403 for {Method} {Path}: key {Key} lacks the scope", Request.Method, Request.Path, Context.User.Identity?.Name);
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden",
            $"The API key '{Context.User.Identity?.Name}' does not have the scope this call needs (read < write < admin).");
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        var problems = Context.RequestServices.GetService<IProblemDetailsService>();
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail };
        if (problems is null || !await problems.TryWriteAsync(new() { HttpContext = Context, ProblemDetails = problem }))
        {
            await Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }
    }
}

public static class ApiKeyExtensions
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.AddOptions<ApiKeysOptions>().BindConfiguration(ApiKeysOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeysOptions>, ApiKeysOptionsValidator>());
        services.AddOptions<ApiKeyOptions>(ApiScopes.Scheme).Configure<IOptions<ApiKeysOptions>>((scheme, keys) => scheme.Keys = keys.Value.ToKeys());
        services.AddAuthentication(ApiScopes.Scheme)
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiScopes.Scheme, _ => { });
        // Authentication brings data protection along, whose start-up service loads (and may create) a key ring that
        // nothing here uses: API keys and bot tokens are checked without cookies or protected payloads.
        foreach (var keyRingWarmUp in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(keyRingWarmUp);
        }
        services.AddAuthorizationBuilder()
            // A route nobody declared a scope or AllowAnonymous for is closed: it needs a known API key, not an oversight
            // away from anonymous. (An unknown path without a key is 401 too, so it says nothing about what exists.)
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiScopes.Scheme).RequireAuthenticatedUser().Build())
            .AddPolicy(ApiScopes.Read, p => p.RequireClaim("scope", ApiScopes.Read))
            .AddPolicy(ApiScopes.Write, p => p.RequireClaim("scope", ApiScopes.Write))
            .AddPolicy(ApiScopes.Admin, p => p.RequireClaim("scope", ApiScopes.Admin));
        return services;
    }
}
