using System.Globalization;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;

namespace TheModel.Api.Recycle;

/// <summary>
/// The <c>Recycle</c> section: per reason a lead went to Nurture, how long it rests before it is re-offered to IS
/// (敗者復活戦). <c>Recycle:After:BadTiming</c> = <c>90.00:00:00</c>, or <c>never</c>. Reasons not listed never come back.
/// </summary>
public sealed class RecycleOptions
{
    public const string Section = "Recycle";
    public const string Never = "never";
    /// <summary>The reason of a lost deal's Nurtured event (the reject reasons are the handoff's).</summary>
    public const string Lost = "Lost";

    /// <summary>Keyed by reason (a <see cref="RejectReason"/> name or <see cref="Lost"/>); configuration overrides these defaults key by key.</summary>
    public Dictionary<string, string> After { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [nameof(RejectReason.BadTiming)] = "90.00:00:00",
        [nameof(RejectReason.NoBudget)] = "180.00:00:00",
        [nameof(RejectReason.NoAuthority)] = "120.00:00:00",
        [nameof(RejectReason.Unreachable)] = "30.00:00:00",
        [Lost] = "180.00:00:00",
        [nameof(RejectReason.NotTarget)] = Never,
        [nameof(RejectReason.Duplicate)] = Never,
    };

    /// <summary>Every reason a Nurtured event can carry.</summary>
    public static IReadOnlyList<string> Reasons { get; } = [.. Enum.GetNames<RejectReason>(), Lost];

    /// <summary>The delay of one setting value: null for <c>never</c>, false when it is neither that nor a time span ≥ 0.</summary>
    public static bool TryParse(string? value, out TimeSpan? delay)
    {
        delay = null;
        if (string.Equals(value?.Trim(), Never, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (TimeSpan.TryParse(value?.Trim(), CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            delay = span;
            return true;
        }
        return false;
    }
}

public sealed class RecycleOptionsValidator : IValidateOptions<RecycleOptions>
{
    public ValidateOptionsResult Validate(string? name, RecycleOptions options)
    {
        var checks = new SettingChecks(RecycleOptions.Section);
        foreach (var (reason, value) in options.After)
        {
            var key = $"After:{reason}";
            if (!RecycleOptions.Reasons.Contains(reason, StringComparer.OrdinalIgnoreCase))
            {
                checks.Fail(key, $"is not a reason a lead is nurtured for (one of {string.Join(", ", RecycleOptions.Reasons)})");
            }
            else if (!RecycleOptions.TryParse(value, out _))
            {
                checks.Fail(key, $"must be a duration ≥ 0 such as 90.00:00:00, or \"never\" (was \"{value}\")");
            }
        }
        return checks.Result;
    }
}

/// <summary>The validated delays, by the reason a Nurtured event carries.</summary>
public sealed class RecycleDelays(IOptions<RecycleOptions> options)
{
    private readonly Dictionary<string, TimeSpan> delays = options.Value.After
        .Select(kv => (kv.Key, Ok: RecycleOptions.TryParse(kv.Value, out var delay), delay))
        .Where(x => x.Ok && x.delay is not null && RecycleOptions.Reasons.Contains(x.Key, StringComparer.OrdinalIgnoreCase))
        .ToDictionary(x => RecycleOptions.Reasons.First(r => string.Equals(r, x.Key, StringComparison.OrdinalIgnoreCase)), x => x.delay!.Value);

    /// <summary>The delay after which a lead nurtured for <paramref name="reason"/> comes back; null = never.</summary>
    public TimeSpan? For(string? reason) => reason is not null && delays.TryGetValue(reason, out var d) ? d : null;

    /// <summary>The reasons that do come back, with their delays.</summary>
    public IReadOnlyDictionary<string, TimeSpan> All => delays;
}
