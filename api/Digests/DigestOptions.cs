using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TheModel.Api.Digests;

/// <summary>
/// The digest's configuration: <c>Digest:Schedule</c> (Quartz cron, default Monday 09:00), <c>Digest:TimeZone</c>
/// (of the schedule, default <c>Asia/Tokyo</c>), <c>Digest:Language</c> of channel posts (<c>ja</c> unless <c>en</c>),
/// <c>Digest:LateAfter</c> (a post this long after its scheduled time is marked late) and <c>Digest:Targets:{key}</c>
/// (rates the bottleneck is measured against instead of the trailing average).
/// </summary>
public sealed class DigestOptions
{
    public const string DefaultSchedule = "0 0 9 ? * MON";
    public const string DefaultTimeZone = "Asia/Tokyo";
    public static readonly TimeSpan DefaultLateAfter = TimeSpan.FromMinutes(15);

    public string Schedule { get; init; } = DefaultSchedule;
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);
    public string Language { get; init; } = "ja";
    public TimeSpan LateAfter { get; init; } = DefaultLateAfter;
    public IReadOnlyDictionary<string, double> Targets { get; init; } = new Dictionary<string, double>();

    /// <summary>Reads the section; a value that cannot be used stops the start with a message naming the key (configuration is not client input).</summary>
    public static DigestOptions FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Digest");
        var zoneId = section["TimeZone"] is { Length: > 0 } z ? z.Trim() : DefaultTimeZone;
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Digest:TimeZone '{zoneId}' is not a known time zone (use an IANA id such as Asia/Tokyo).", ex);
        }
        var lateAfter = DefaultLateAfter;
        if (section["LateAfter"] is { Length: > 0 } late)
        {
            if (!TimeSpan.TryParse(late, CultureInfo.InvariantCulture, out lateAfter) || lateAfter < TimeSpan.Zero)
            {
                throw new InvalidOperationException($"Digest:LateAfter '{late}' is not a duration (hh:mm:ss).");
            }
        }
        var targets = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var target in section.GetSection("Targets").GetChildren())
        {
            if (string.IsNullOrWhiteSpace(target.Value))
            {
                continue;
            }
            targets[target.Key] = ParseRate(target.Value)
                ?? throw new InvalidOperationException(
                    $"Digest:Targets:{target.Key} '{target.Value}' is not a rate (a fraction such as 0.35, or a percentage such as 35%).");
        }
        return new DigestOptions
        {
            Schedule = section["Schedule"] is { Length: > 0 } s ? s.Trim() : DefaultSchedule,
            TimeZone = zone,
            Language = string.Equals(section["Language"]?.Trim(), "en", StringComparison.OrdinalIgnoreCase) ? "en" : "ja",
            LateAfter = lateAfter,
            Targets = targets,
        };
    }

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
