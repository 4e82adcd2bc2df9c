using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace TheModel.Api.Sla;

/// <summary>
/// What the business calendar is made of. Defaults come from configuration (<c>Calendar:*</c>); an admin can
/// replace them at run time (<c>PUT /api/settings/calendar</c>, stored in the Settings table).
/// </summary>
public sealed record CalendarSettings
{
    /// <summary>IANA (or Windows) time zone id.</summary>
    public string TimeZone { get; init; } = "Asia/Tokyo";

    /// <summary>See <see cref="Sla.WorkingHours"/> for the format.</summary>
    public string WorkingHours { get; init; } = Sla.WorkingHours.Default;

    /// <summary>Company days off (founding day, summer break …), on top of the public holidays.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Japanese public holidays built in (turn off for a calendar outside Japan).</summary>
    public bool JapaneseHolidays { get; init; } = true;

    /// <summary>
    /// A closure repeated every year, <c>MM-DD..MM-DD</c>, e.g. <c>12-29..01-03</c> (年末年始). Off (null) by default
    /// because companies differ; it may wrap over New Year.
    /// </summary>
    public string? YearEndClosure { get; init; }

    /// <summary>The <c>Calendar</c> section of <paramref name="configuration"/>; throws naming every bad key.</summary>
    public static CalendarSettings FromConfiguration(IConfiguration configuration) =>
        CalendarOptions.Create(configuration.GetSection(CalendarOptions.Section).Get<CalendarOptions>() ?? new CalendarOptions());

    /// <summary>Field → problems; empty when the settings make a usable calendar.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!TryFindTimeZone(TimeZone, out _))
        {
            errors[nameof(TimeZone)] = [$"unknown time zone \"{TimeZone}\" (use an IANA id such as Asia/Tokyo)"];
        }
        if (!Sla.WorkingHours.TryParse(WorkingHours, out _, out var hoursError))
        {
            errors[nameof(WorkingHours)] = [hoursError];
        }
        if (YearEndClosure is not null && !TryParseClosure(YearEndClosure, out _))
        {
            errors[nameof(YearEndClosure)] = [$"\"{YearEndClosure}\" is not MM-DD..MM-DD (e.g. 12-29..01-03)"];
        }
        return errors;
    }

    internal static bool TryFindTimeZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }
        return TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone!);
    }

    internal static bool TryParseClosure(string text, out ((int Month, int Day) From, (int Month, int Day) To) closure)
    {
        closure = default;
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !TryParseMonthDay(parts[0], out var from) || !TryParseMonthDay(parts[1], out var to))
        {
            return false;
        }
        closure = (from, to);
        return true;
    }

    private static bool TryParseMonthDay(string text, out (int Month, int Day) value)
    {
        value = default;
        // 2024 is a leap year, so 02-29 is accepted as a day that exists in some years.
        if (!DateOnly.TryParseExact($"2024-{text}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return false;
        }
        value = (day.Month, day.Day);
        return true;
    }
}
