using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TheModel.Bot.Teams;

/// <summary>
/// Inbound auth of <c>POST /api/messages</c> (docs/protocols/teams.md §1) as the ASP.NET Core authentication scheme
/// <see cref="Scheme"/>, on JwtBearer as the Microsoft 365 Agents SDK sets it up: issuer
/// <c>https://api.botframework.com</c>, audience = our App ID, 5-minute skew, RS256/384/512 signed by a key of the
/// Bot Framework OpenID metadata (<see cref="BotFrameworkMetadata"/>). The token's <c>serviceurl</c> claim and its
/// key's channel endorsements (added as <see cref="EndorsementClaim"/> claims) are checked by the endpoint, which
/// needs the activity for that. The endpoint's <see cref="Policy"/> also lets dev mode in: no AppId, no token, from
/// loopback, no forwarding header (<see cref="AnonymousRefusal"/>).
/// </summary>
public static class BotFrameworkAuthentication
{
    public const string Scheme = "BotFramework";
    public const string Policy = "BotConnector";
    public const string ServiceUrlClaim = "serviceurl";
    /// <summary>One claim per channel the token's signing key is endorsed for.</summary>
    public const string EndorsementClaim = "botframework-endorsement";

    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);
    private static readonly JsonWebTokenHandler Reader = new();

    public static IServiceCollection AddBotFrameworkAuthentication(this IServiceCollection services)
    {
        services.AddSingleton<BotFrameworkMetadata>();
        // AddAuthentication would re-add data protection's start-up key-ring load, which nothing here uses (see
        // ApiKeys): registering this scheme starts no hosted service of its own.
        var hostedBefore = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        foreach (var added in services.Where(d => d.ServiceType == typeof(IHostedService)).Except(hostedBefore).ToList())
        {
            services.Remove(added);
        }
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<TeamsOptions, BotFrameworkMetadata, TimeProvider>(Configure);
        services.AddSingleton<IAuthorizationHandler, BotConnectorCallerHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).AddRequirements(new BotConnectorCaller()));
        return services;
    }

    private static void Configure(JwtBearerOptions jwt, TeamsOptions teams, BotFrameworkMetadata metadata, TimeProvider time)
    {
        jwt.ConfigurationManager = metadata;
        jwt.RefreshOnIssuerKeyNotFound = true;
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = teams.Issuer,
            // Exactly this one: the handler would also accept the issuer the metadata document names.
            IssuerValidator = (issuer, _, _) => issuer == teams.Issuer
                ? issuer
                : throw new SecurityTokenInvalidIssuerException($"issuer '{issuer}' is not '{teams.Issuer}'"),
            ValidAudience = teams.AppId,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = Skew,
            // Our clock, not the machine's, so lifetimes are checked against the same time as everything else.
            LifetimeValidator = (notBefore, expires, _, _) => WithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime),
        };
        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = context => MessageReceivedAsync(context, teams, metadata),
            OnTokenValidated = context => TokenValidatedAsync(context, metadata),
            // The metadata host unreachable or a malformed token: the caller is refused (401), not served a 500.
            OnAuthenticationFailed = context =>
            {
                if (context.Exception is InvalidOperationException or IOException or HttpRequestException or SecurityTokenException or ArgumentException)
                {
                    context.Fail(context.Exception);
                }
                return Task.CompletedTask;
            },
            OnChallenge = context => ChallengeAsync(context, teams),
        };
    }

    /// <summary>
    /// Why a token-less request is not dev mode's local client, or null when it is: no AppId, anonymous access not
    /// switched off, from loopback, and not relayed. Behind a reverse proxy on the same host every request comes from
    /// loopback, so any forwarding header means someone else's request (the bot never reads these headers otherwise).
    /// </summary>
    internal static string? AnonymousRefusal(HttpContext http, TeamsOptions teams)
    {
        if (teams.AuthEnabled)
        {
            return "Teams:AppId is set";
        }
        if (!teams.AnonymousOnLoopback)
        {
            return "Teams:AllowAnonymousOnLoopback is false";
        }
        if (!Loopback.Is(http.Connection.RemoteIpAddress))
        {
            return "not from loopback";
        }
        return http.Request.Headers.Keys.FirstOrDefault(IsForwardingHeader) is { } forwarded
            ? $"relayed by a proxy ({forwarded} header)"
            : null;
    }

    /// <summary>RFC 7239 <c>Forwarded</c>, the <c>X-Forwarded-*</c> family, nginx's <c>X-Real-IP</c>, and ASP.NET's <c>X-Original-*</c>.</summary>
    private static bool IsForwardingHeader(string name) =>
        name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("X-Original-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase);

    internal static bool WithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now) =>
        expires is { } exp && now <= exp.ToUniversalTime() + Skew
        && (notBefore is not { } nbf || now >= nbf.ToUniversalTime() - Skew);

    private static async Task MessageReceivedAsync(MessageReceivedContext context, TeamsOptions teams, BotFrameworkMetadata metadata)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return; // no token: the policy decides (loopback in dev mode), else 401
        }
        if (!teams.AuthEnabled)
        {
            context.Fail("no Teams:AppId configured, so no token can be valid");
            return;
        }
        var token = header["Bearer ".Length..].Trim();
        context.Token = token;
        string? kid;
        try
        {
            kid = Reader.CanReadToken(token) ? Reader.ReadJsonWebToken(token).Kid : null;
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenException)
        {
            return; // the handler refuses it
        }
        await metadata.FetchIfUnknownAsync(kid, context.HttpContext.RequestAborted);
    }

    private static async Task TokenValidatedAsync(TokenValidatedContext context, BotFrameworkMetadata metadata)
    {
        if (context.Principal?.Identity is not ClaimsIdentity identity || context.SecurityToken is not JsonWebToken jwt)
        {
            context.Fail("not a JWT");
            return;
        }
        // Only the metadata says which channels a key is endorsed for, never the token itself.
        foreach (var claim in identity.FindAll(EndorsementClaim).ToList())
        {
            identity.RemoveClaim(claim);
        }
        var endorsements = await metadata.EndorsementsAsync(jwt.Kid, context.HttpContext.RequestAborted);
        identity.AddClaims(endorsements.Select(channel => new Claim(EndorsementClaim, channel)));
    }

    private static async Task ChallengeAsync(JwtBearerChallengeContext context, TeamsOptions teams)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var why = context.AuthenticateFailure?.Message
            ?? (header.Length > 0 ? "Authorization is not a Bearer token"
                : teams.AuthEnabled ? "no bearer token"
                : $"no bearer token, and dev mode refuses it: {AnonymousRefusal(http, teams) ?? "not allowed"}");
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(TeamsEndpoint.LoggerName);
        await TeamsAuthentication.Unauthorized(logger, http, why).ExecuteAsync(http);
    }
}

/// <summary>The caller of <c>/api/messages</c> is the Bot Connector (a valid token), or in dev mode a token-less local client.</summary>
public sealed class BotConnectorCaller : IAuthorizationRequirement;

internal sealed class BotConnectorCallerHandler(TeamsOptions options) : AuthorizationHandler<BotConnectorCaller>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, BotConnectorCaller requirement)
    {
        if (context.User.Identity?.IsAuthenticated == true
            || (context.Resource is HttpContext http && http.Request.Headers.Authorization.ToString().Length == 0
                && BotFrameworkAuthentication.AnonymousRefusal(http, options) is null))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
