using System.Globalization;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Digests;

/// <summary>
/// The digest's configuration (section <c>Digest</c>): <c>Schedule</c> (a standard 5-field cron, default Monday 09:00),
/// <c>TimeZone</c> (of the schedule, default <c>Asia/Tokyo</c>), <c>Language</c> of channel posts (<c>ja</c> or
/// <c>en</c>), <c>LateAfter</c> (a post this long after its scheduled time is marked late) and <c>Targets:{key}</c>
/// (rates the bottleneck is measured against instead of the trailing average). Checked at start by
/// <see cref="DigestOptionsValidator"/>; the schedule's cron by the host that runs it.
/// </summary>
public sealed class DigestOptions
{
    public const string Section = "Digest";
    public const string DefaultSchedule = "0 9 * * 1";
    public const string DefaultTimeZone = "Asia/Tokyo";
    public static readonly TimeSpan DefaultLateAfter = TimeSpan.FromMinutes(15);

    // A blank value (an empty environment variable) means the default, not a setting to refuse.
    public string Schedule { get; set => field = string.IsNullOrWhiteSpace(value) ? DefaultSchedule : value.Trim(); } = DefaultSchedule;

    /// <summary>An IANA (or Windows) time zone id.</summary>
    public string TimeZone { get; set => field = string.IsNullOrWhiteSpace(value) ? DefaultTimeZone : value.Trim(); } = DefaultTimeZone;

    public string Language { get; set => field = string.IsNullOrWhiteSpace(value) ? "ja" : value.Trim().ToLowerInvariant(); } = "ja";

    public TimeSpan LateAfter { get; set; } = DefaultLateAfter;

    /// <summary>As configured: a fraction such as <c>0.35</c> or a percentage such as <c>35%</c>; read through <see cref="TargetFor"/>.</summary>
    public Dictionary<string, string?> Targets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The time zone named by <see cref="TimeZone"/> (the validator has checked that it exists).</summary>
    public TimeZoneInfo FindTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The configured target rate for a figure (key compared without case), or null when none is set.</summary>
    public double? TargetFor(string key) =>
        Targets.FirstOrDefault(t => string.Equals(t.Key, key, StringComparison.OrdinalIgnoreCase)).Value is { } text
            && !string.IsNullOrWhiteSpace(text)
            ? ParseRate(text)
            : null;

    /// <summary><c>0.35</c> or <c>35%</c> → 0.35; a rate is in (0, 1].</summary>
    internal static double? ParseRate(string text)
    {
        var s = text.Trim();
        var percent = s.EndsWith('%');
        if (percent)
        {
            s = s[..^1].Trim();
        }
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        var rate = percent ? value / 100 : value;
        return rate is > 0 and <= 1 ? rate : null;
    }
}

/// <summary>A value that cannot be used stops the start with a line naming its key (configuration is not client input).</summary>
public sealed class DigestOptionsValidator : IValidateOptions<DigestOptions>
{
    public ValidateOptionsResult Validate(string? name, DigestOptions options)
    {
        var failures = new List<string>();
        try
        {
            _ = options.FindTimeZone();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"Digest:TimeZone '{options.TimeZone}' is not a known time zone (use an IANA id such as {DigestOptions.DefaultTimeZone}).");
        }
        if (options.Language is not ("ja" or "en"))
        {
            failures.Add($"Digest:Language '{options.Language}' is not a language the digest is written in (ja or en).");
        }
        if (options.LateAfter < TimeSpan.Zero)
        {
            failures.Add($"Digest:LateAfter '{options.LateAfter}' is negative (a duration such as 00:15:00).");
        }
        foreach (var (key, value) in options.Targets)
        {
            if (!string.IsNullOrWhiteSpace(value) && DigestOptions.ParseRate(value) is null)
            {
                failures.Add($"Digest:Targets:{key} '{value}' is not a rate (a fraction such as 0.35, or a percentage such as 35%).");
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
