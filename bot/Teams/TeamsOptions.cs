namespace TheModel.Bot.Teams;

/// <summary>The <c>Teams</c> configuration section (Azure Bot registration and protocol endpoints).</summary>
public sealed class TeamsOptions
{
    /// <summary>Microsoft App ID of the Azure Bot. Empty = auth off: no outbound token, inbound only from loopback.</summary>
    public string? AppId { get; set; }
    public string? AppPassword { get; set; }
    /// <summary>Set for a single-tenant bot; empty = multi-tenant (token authority <c>botframework.com</c>).</summary>
    public string? TenantId { get; set; }
    /// <summary>Accept token-less requests from loopback (Agents Playground). Default: true only when no AppId.</summary>
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

    public bool AnonymousOnLoopback => AllowAnonymousOnLoopback ?? !AuthEnabled;

    /// <summary>Microsoft's Connector hosts (Agents SDK <c>OutboundHostValidator</c> list, docs/protocols/teams.md §2).</summary>
    public static readonly IReadOnlyList<string> MicrosoftServiceHosts =
        ["botframework.com", "smba.trafficmanager.net", "teams.microsoft.com", "teams.microsoft.us", "infra.gcc.teams.microsoft.com"];

    public bool IsTrustedServiceHost(string host) =>
        MicrosoftServiceHosts.Concat(TrustedServiceHosts).Any(allowed =>
            host.Equals(allowed, StringComparison.OrdinalIgnoreCase) ||
            host.EndsWith("." + allowed, StringComparison.OrdinalIgnoreCase));
}
