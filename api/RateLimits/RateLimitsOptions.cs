using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.RateLimits;

/// <summary>
/// The <c>RateLimits</c> section: <c>Api</c> per API key on the REST API (100 per 10 s), <c>Chat</c> per platform user on
/// <c>/api/messages</c> and <c>/slack/*</c> (20 per minute).
/// </summary>
public sealed class RateLimitsOptions
{
    public const string Section = "RateLimits";

    public WindowLimit Api { get; set; } = new() { PermitLimit = 100, Window = TimeSpan.FromSeconds(10) };
    public WindowLimit Chat { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in a <see cref="Window"/> that starts at the first of them.</summary>
public sealed class WindowLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

public sealed class RateLimitsOptionsValidator : IValidateOptions<RateLimitsOptions>
{
    /// <summary>A longer window would lock a user out for longer than anyone waits; a day is a generous ceiling.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, RateLimitsOptions options)
    {
        var checks = new SettingChecks(RateLimitsOptions.Section);
        Check(checks, nameof(options.Api), options.Api);
        Check(checks, nameof(options.Chat), options.Chat);
        return checks.Result;
    }

    private static void Check(SettingChecks checks, string name, WindowLimit limit)
    {
        checks.Between($"{name}:{nameof(limit.PermitLimit)}", limit.PermitLimit, 1, 1_000_000);
        checks.Positive($"{name}:{nameof(limit.Window)}", limit.Window);
        if (limit.Window > MaxWindow)
        {
            checks.Fail($"{name}:{nameof(limit.Window)}", $"must be at most 1.00:00:00 (was {limit.Window})");
        }
    }
}
