using TheModel.Api.People;
using TheModel.Api.Sla;

namespace TheModel.Bot.HandoffCards;

/// <summary>
/// Which clock a reader reads: their own time zone when we know them (and it is a zone this machine knows), else the
/// business calendar's. A channel has no single reader: it gets the calendar's, and the text says which (<see cref="Label"/>).
/// </summary>
public static class ReaderTimeZone
{
    public static TimeZoneInfo For(Person? reader, IBusinessCalendar calendar) =>
        reader?.TimeZone is { Length: > 0 } id && TryFind(id, out var zone) ? zone : calendar.TimeZone;

    /// <summary>"JST" for Japan; otherwise the offset at that instant ("UTC+1", "UTC−3:30"), which needs no abbreviation table.</summary>
    public static string Label(TimeZoneInfo zone, DateTime utc)
    {
        if (zone.Id is "Asia/Tokyo" or "Tokyo Standard Time" or "Japan")
        {
            return "JST";
        }
        var offset = zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0 ? $"UTC{sign}{abs.Hours}" : $"UTC{sign}{abs.Hours}:{abs.Minutes:00}";
    }

    /// <summary>A UTC instant as the reader's local time.</summary>
    public static DateTimeOffset Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)), zone);

    private static bool TryFind(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
