namespace TheModel.Api.Sla;

/// <summary>
/// Business-time arithmetic in one time zone: working hours per weekday, Japanese public holidays, company holidays
/// and an optional year-end closure. Working periods are laid out on local dates and converted to UTC instants, so a
/// daylight-saving switch changes which UTC hours are worked, never the length of a worked hour.
/// </summary>
public sealed class BusinessCalendar : IBusinessCalendar
{
    // Enough to cross any realistic run of closed days; a calendar that never opens is refused by validation.
    private const int MaxDaysSearched = 3660;

    private readonly WorkingHours hours;
    private readonly HashSet<DateOnly> companyHolidays;
    private readonly bool japaneseHolidays;
    private readonly ((int Month, int Day) From, (int Month, int Day) To)? closure;

    public BusinessCalendar(CalendarSettings settings)
    {
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid calendar: " + string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")), nameof(settings));
        }
        Settings = settings;
        CalendarSettings.TryFindTimeZone(settings.TimeZone, out var zone);
        TimeZone = zone;
        WorkingHours.TryParse(settings.WorkingHours, out hours, out _);
        companyHolidays = [.. settings.Holidays];
        japaneseHolidays = settings.JapaneseHolidays;
        closure = settings.YearEndClosure is { } text && CalendarSettings.TryParseClosure(text, out var c) ? c : null;
    }

    public CalendarSettings Settings { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Why <paramref name="date"/> is not worked (a holiday's name, "company holiday" …), or null if it is a working date.</summary>
    public string? ClosedBecause(DateOnly date)
    {
        if (hours.On(date.DayOfWeek).Count == 0)
        {
            return "weekend";
        }
        if (companyHolidays.Contains(date))
        {
            return "company holiday";
        }
        if (InClosure(date))
        {
            return "annual closure";
        }
        if (japaneseHolidays && JapaneseHolidays.For(date.Year).TryGetValue(date, out var name))
        {
            return name;
        }
        return null;
    }

    public bool IsWorkingDate(DateOnly date) => ClosedBecause(date) is null;

    public DateTime AddBusinessTime(DateTime startUtc, TimeSpan businessTime)
    {
        var start = AsUtc(startUtc);
        if (businessTime <= TimeSpan.Zero)
        {
            return start;
        }
        var left = businessTime;
        var date = LocalDate(start);
        for (var i = 0; i < MaxDaysSearched; i++, date = date.AddDays(1))
        {
            foreach (var (open, close) in WorkedPeriods(date))
            {
                if (close <= start)
                {
                    continue;
                }
                var from = open > start ? open : start;
                var available = close - from;
                if (left <= available)
                {
                    return from + left;
                }
                left -= available;
            }
        }
        throw new InvalidOperationException($"No working time within {MaxDaysSearched} days of {start:O}.");
    }

    public TimeSpan BusinessTimeBetween(DateTime fromUtc, DateTime toUtc)
    {
        var from = AsUtc(fromUtc);
        var to = AsUtc(toUtc);
        if (to <= from)
        {
            return TimeSpan.Zero;
        }
        var total = TimeSpan.Zero;
        for (var date = LocalDate(from); date <= LocalDate(to); date = date.AddDays(1))
        {
            foreach (var (open, close) in WorkedPeriods(date))
            {
                var a = open > from ? open : from;
                var b = close < to ? close : to;
                if (b > a)
                {
                    total += b - a;
                }
            }
        }
        return total;
    }

    /// <summary>The UTC periods worked on a local date (none on a closed date).</summary>
    public IEnumerable<(DateTime OpenUtc, DateTime CloseUtc)> WorkedPeriods(DateOnly date)
    {
        if (!IsWorkingDate(date))
        {
            yield break;
        }
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        foreach (var (start, end) in hours.On(date.DayOfWeek))
        {
            var open = ToUtc(midnight + start);
            var close = ToUtc(midnight + end);
            if (close > open)
            {
                yield return (open, close);
            }
        }
    }

    private bool InClosure(DateOnly date) => closure is { } c && CalendarSettings.InClosure(c, date);

    private DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZone));

    /// <summary>
    /// Local wall-clock time → UTC. A time skipped by a spring-forward switch is read with the offset in force before
    /// it (02:30 → 03:30), and a time that occurs twice in autumn means its first occurrence, the usual reading of
    /// "opens at …" on such days.
    /// </summary>
    private DateTime ToUtc(DateTime local)
    {
        if (TimeZone.IsInvalidTime(local))
        {
            return DateTime.SpecifyKind(local - TimeZone.GetUtcOffset(local.AddDays(-1)), DateTimeKind.Utc);
        }
        if (TimeZone.IsAmbiguousTime(local))
        {
            return DateTime.SpecifyKind(local - TimeZone.GetAmbiguousTimeOffsets(local).Max(), DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, TimeZone);
    }

    private static DateTime AsUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
