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
        else if (errors.Count == 0 && YearEndClosure is not null && !ClosureLeavesAWorkingDay())
        {
            // Accepted, it would make every SLA deadline (and so every MQL intake) fail: no working time to count.
            errors[nameof(YearEndClosure)] = [$"\"{YearEndClosure}\" leaves no working day in the year"];
        }
        return errors;
    }

    /// <summary>
    /// <see cref="Validate()"/>, and the calendar must have working time in the 366 days from <paramref name="now"/>
    /// (company and public holidays are dated, so this needs a date; SLA deadlines need working time to exist).
    /// </summary>
    public Dictionary<string, string[]> Validate(DateTimeOffset now)
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            return errors;
        }
        var calendar = new BusinessCalendar(this);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now.UtcDateTime, calendar.TimeZone));
        if (!WorksWithinAYear(calendar, today))
        {
            var withoutHolidays = new BusinessCalendar(this with { Holidays = [], JapaneseHolidays = false });
            var field = WorksWithinAYear(withoutHolidays, today) ? nameof(Holidays) : nameof(WorkingHours);
            errors[field] = [$"leave no working time in the 366 days from {today:yyyy-MM-dd}"];
        }
        return errors;
    }

    private static bool WorksWithinAYear(BusinessCalendar calendar, DateOnly from)
    {
        for (var i = 0; i < 366; i++)
        {
            if (calendar.WorkedPeriods(from.AddDays(i)).Any())
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Some day of a leap and a common year is outside the closure and has working hours.</summary>
    private bool ClosureLeavesAWorkingDay()
    {
        if (!TryParseClosure(YearEndClosure!, out var closure) || !Sla.WorkingHours.TryParse(WorkingHours, out var hours, out _))
        {
            return true;
        }
        for (var day = new DateOnly(2023, 1, 1); day < new DateOnly(2025, 1, 1); day = day.AddDays(1))
        {
            if (!InClosure(closure, day) && hours.On(day.DayOfWeek).Count > 0)
            {
                return true;
            }
        }
        return false;
    }

    internal static bool InClosure(((int Month, int Day) From, (int Month, int Day) To) closure, DateOnly date)
    {
        var md = (date.Month, date.Day);
        var afterFrom = Compare(md, closure.From) >= 0;
        var beforeTo = Compare(md, closure.To) <= 0;
        // 12-29..01-03 wraps over New Year: in it when after the start OR before the end.
        return Compare(closure.From, closure.To) <= 0 ? afterFrom && beforeTo : afterFrom || beforeTo;
    }

    private static int Compare((int Month, int Day) a, (int Month, int Day) b) =>
        a.Month != b.Month ? a.Month.CompareTo(b.Month) : a.Day.CompareTo(b.Day);

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
