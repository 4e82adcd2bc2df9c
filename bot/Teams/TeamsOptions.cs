using Microsoft.Extensions.Options;

namespace TheModel.Bot.Teams;

/// <summary>The <c>Teams</c> configuration section (Azure Bot registration and protocol endpoints).</summary>
public sealed class TeamsOptions
{
    public const string Section = "Teams";

    /// <summary>Microsoft App ID of the Azure Bot. Empty = auth off: no outbound token, inbound only from loopback.</summary>
    public string? AppId { get; set; }
    public string? AppPassword { get; set; }
    /// <summary>Set for a single-tenant bot; empty = multi-tenant (token authority <c>botframework.com</c>).</summary>
    public string? TenantId { get; set; }
    /// <summary>
    /// The Microsoft 365 tenants served (default: <see cref="TenantId"/>). A multi-tenant registration lets any tenant
    /// side-load an app with our bot id and get valid tokens, so with an AppId the list is required.
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];
    /// <summary>
    /// Accept token-less requests from loopback (Agents Playground) when no AppId is set; <c>false</c> switches dev
    /// mode's anonymous access off. With an AppId there is never anonymous access.
    /// </summary>
    public bool? AllowAnonymousOnLoopback { get; set; }
    public string OpenIdMetadataUrl { get; set; } = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    /// <summary>The only issuer Azure Bot Service uses for Connector → bot tokens (docs/protocols/teams.md §1.1).</summary>
    public string Issuer { get; set; } = "https://api.botframework.com";
    /// <summary>Entra ID instance MSAL asks for client-credentials tokens.</summary>
    public string Authority { get; set; } = "https://login.microsoftonline.com";
    public string Scope { get; set; } = "https://api.botframework.com/.default";
    /// <summary>Extra Connector hosts (besides the Microsoft ones) our token may be sent to, e.g. a local test connector.</summary>
    public List<string> TrustedServiceHosts { get; set; } = [];
    /// <summary>Where a proactive 1:1 conversation is created when no conversation of the tenant is known yet.</summary>
    public string FallbackServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";
    /// <summary>Largest activity body accepted on <c>/api/messages</c>.</summary>
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    public bool AuthEnabled => !string.IsNullOrWhiteSpace(AppId);

    /// <summary>Anonymous dev mode: only without an AppId, and only until switched off.</summary>
    public bool AnonymousOnLoopback => !AuthEnabled && AllowAnonymousOnLoopback != false;

    /// <summary>The tenants in force: the list, else the single tenant, else none (dev mode: every tenant).</summary>
    public IReadOnlyList<string> TenantsInForce =>
        AllowedTenants.Count > 0 ? AllowedTenants
        : string.IsNullOrWhiteSpace(TenantId) ? []
        : [TenantId];

    /// <summary>A missing tenant is another tenant whenever a list is in force.</summary>
    public bool AcceptsTenant(string? tenantId) =>
        TenantsInForce is not { Count: > 0 } tenants
        || (!string.IsNullOrWhiteSpace(tenantId) && tenants.Any(t => string.Equals(t.Trim(), tenantId.Trim(), StringComparison.OrdinalIgnoreCase)));

    public const string TeamsChannel = "msteams";

    /// <summary>What the local test clients send as <c>channelId</c> (Agents Playground <c>-c emulator|webchat</c>, Bot Framework Emulator).</summary>
    public static readonly IReadOnlyList<string> LocalClientChannels = ["emulator", "webchat"];

    /// <summary>Teams only; dev mode also takes the local test clients.</summary>
    public bool AcceptsChannel(string? channelId) =>
        string.Equals(channelId, TeamsChannel, StringComparison.OrdinalIgnoreCase)
        || (!AuthEnabled && LocalClientChannels.Contains(channelId, StringComparer.OrdinalIgnoreCase));

    /// <summary>Microsoft's Connector hosts (Agents SDK <c>OutboundHostValidator</c> list, docs/protocols/teams.md §2).</summary>
    public static readonly IReadOnlyList<string> MicrosoftServiceHosts =
        ["botframework.com", "smba.trafficmanager.net", "teams.microsoft.com", "teams.microsoft.us", "infra.gcc.teams.microsoft.com"];

    public bool IsTrustedServiceHost(string host) =>
        MicrosoftServiceHosts.Concat(TrustedServiceHosts).Any(allowed =>
            host.Equals(allowed, StringComparison.OrdinalIgnoreCase) ||
            host.EndsWith("." + allowed, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A service URL the bot may call (and so store), in every mode: https (or loopback) to a Microsoft Connector host
    /// or one of <see cref="TrustedServiceHosts"/>; dev mode also reaches the local test clients on this machine.
    /// </summary>
    public bool IsAllowedServiceUrl(string? serviceUrl) =>
        Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) && IsAllowedServiceUrl(uri);

    public bool IsAllowedServiceUrl(Uri service)
    {
        if (service.Scheme is not ("https" or "http") || service.UserInfo.Length > 0)
        {
            return false;
        }
        var trusted = (service.Scheme == "https" || Loopback.Is(service)) && IsTrustedServiceHost(service.Host);
        return trusted || (!AuthEnabled && Loopback.Is(service));
    }
}

/// <summary>Checks the <c>Teams</c> section at start; each failure names its key.</summary>
internal sealed class TeamsOptionsValidator : IValidateOptions<TeamsOptions>
{
    public ValidateOptionsResult Validate(string? name, TeamsOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.AppPassword) && !options.AuthEnabled)
        {
            failures.Add("Teams:AppPassword is set without Teams:AppId (set both, or neither for dev mode)");
        }
        RequireHttpsUrl(failures, "Teams:OpenIdMetadataUrl", options.OpenIdMetadataUrl);
        RequireHttpsUrl(failures, "Teams:Authority", options.Authority);
        RequireHttpsUrl(failures, "Teams:FallbackServiceUrl", options.FallbackServiceUrl);
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out _))
        {
            failures.Add($"Teams:Issuer must be an absolute URL (was \"{options.Issuer}\")");
        }
        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            failures.Add("Teams:Scope must not be empty");
        }
        if (options.MaxActivityBytes <= 0)
        {
            failures.Add($"Teams:MaxActivityBytes must be at least 1 (was {options.MaxActivityBytes})");
        }
        if (options.AuthEnabled && options.AllowAnonymousOnLoopback == true)
        {
            failures.Add("Teams:AllowAnonymousOnLoopback cannot be true while Teams:AppId is set: with an AppId every request needs a token");
        }
        if (options.AuthEnabled && string.IsNullOrWhiteSpace(options.TenantId) && options.AllowedTenants.Count == 0)
        {
            failures.Add("Teams:AllowedTenants must list the Microsoft 365 tenant ids the bot serves when Teams:AppId is set without Teams:TenantId");
        }
        for (var i = 0; i < options.AllowedTenants.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AllowedTenants[i]))
            {
                failures.Add($"Teams:AllowedTenants:{i} must be a tenant id (was empty)");
            }
        }
        if (!string.IsNullOrWhiteSpace(options.FallbackServiceUrl) && Uri.TryCreate(options.FallbackServiceUrl, UriKind.Absolute, out var fallback)
            && (fallback.Scheme == Uri.UriSchemeHttps || Loopback.Is(fallback)) && !options.IsAllowedServiceUrl(fallback))
        {
            failures.Add($"Teams:FallbackServiceUrl must be on a Microsoft Connector host or one of Teams:TrustedServiceHosts (was \"{options.FallbackServiceUrl}\")");
        }
        for (var i = 0; i < options.TrustedServiceHosts.Count; i++)
        {
            if (Uri.CheckHostName(options.TrustedServiceHosts[i]) == UriHostNameType.Unknown)
            {
                failures.Add($"Teams:TrustedServiceHosts:{i} must be a host name such as connector.example.com (was \"{options.TrustedServiceHosts[i]}\")");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>https, or plain http to this machine only (a local test server).</summary>
    private static void RequireHttpsUrl(List<string> failures, string key, string? value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && Loopback.Is(uri))))
        {
            failures.Add($"{key} must be an absolute https URL, http only to this machine (was \"{value}\")");
        }
    }
}
