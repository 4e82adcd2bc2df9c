using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Outbox;

/// <summary>
/// The <c>Webhooks</c> section: one entry per outbound webhook (<c>Webhooks:Won:Url</c>, <c>Webhooks:Won:Secret</c>,
/// for outbox kind <c>webhook.won</c>) and the HTTP timeout of every call.
/// </summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>A won deal (billing, CRM). No URL = not sent.</summary>
    public WebhookTarget Won { get; set; } = new();

    /// <summary>How long one call may take (<c>Webhooks:Timeout</c>).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The webhook named by an outbox kind's suffix (<c>webhook.won</c> → <c>won</c>), if there is one.</summary>
    public WebhookTarget? For(string name) => name.Equals("won", StringComparison.OrdinalIgnoreCase) ? Won : null;
}

public sealed class WebhookTarget
{
    public string? Url { get; set; }
    /// <summary>The HMAC key the receiver checks; without one, nothing is sent.</summary>
    public string? Secret { get; set; }
}

public sealed class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options) => new SettingChecks(WebhooksOptions.Section)
        .Positive(nameof(options.Timeout), options.Timeout)
        .HttpUrl("Won:Url", options.Won.Url)
        .Result;
}
