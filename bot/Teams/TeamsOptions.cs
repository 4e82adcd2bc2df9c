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
