using System.Globalization;
using System.Text.RegularExpressions;
using TheModel.Api.Sla;

namespace TheModel.Api.Kpis;

/// <summary>
/// The period syntax of docs/design.md §6, in the business calendar's time zone: <c>this-week</c>, <c>last-week</c>,
/// <c>this-month</c>, <c>last-month</c>, <c>last-30-days</c> (the 30 days ending today, today included),
/// <c>YYYY-MM</c>, <c>YYYY-Www</c> (ISO week), or <c>from</c>/<c>to</c> (dates or date-times; <c>to</c> is exclusive).
/// </summary>
public sealed partial class Periods(IBusinessCalendar calendar, TimeProvider time) : IPeriods
{
    private static readonly TimeSpan MaxLength = TimeSpan.FromDays(3 * 366);

    /// <summary>
    /// Years a period may fall in. Far beyond any data this bot holds, and far enough from DateTime's ends that the
    /// time-zone conversion and "the month after" never overflow (9999-12 or 0001-W01 must not be a 500).
    /// </summary>
    public const int MinYear = 2000;

    public const int MaxYear = 2100;

    private static readonly string YearsError = $"Periods lie in the years {MinYear} to {MaxYear}.";

    public bool TryParse(string? period, string? from, string? to, out Period result, out string? error)
    {
        result = default!;
        error = null;
        var hasRange = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        if (!string.IsNullOrWhiteSpace(period) && hasRange)
        {
            error = "Give either period or from/to, not both.";
            return false;
        }
        if (hasRange)
        {
            return TryParseRange(from, to, out result, out error);
        }
        var today = LocalToday();
        var text = (period ?? "this-month").Trim().ToLowerInvariant();
        switch (text)
        {
            case "this-week":
                result = Local(MondayOf(today), MondayOf(today).AddDays(7), text);
                return true;
            case "last-week":
                result = Local(MondayOf(today).AddDays(-7), MondayOf(today), text);
                return true;
            case "this-month":
                result = Local(FirstOfMonth(today), FirstOfMonth(today).AddMonths(1), text);
                return true;
            case "last-month":
                result = Local(FirstOfMonth(today).AddMonths(-1), FirstOfMonth(today), text);
                return true;
            case "last-30-days":
                result = Local(today.AddDays(-29), today.AddDays(1), text);
                return true;
        }
        if (MonthPattern().Match(text) is { Success: true } month
            && int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture) is >= 1 and <= 12 and var m)
        {
            var monthYear = int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture);
            if (monthYear is < MinYear or > MaxYear)
            {
                error = $"Unknown period '{period}': {YearsError}";
                return false;
            }
            var start = new DateTime(monthYear, m, 1);
            result = Local(start, start.AddMonths(1), text);
            return true;
        }
        if (WeekPattern().Match(text) is { Success: true } week)
        {
            var year = int.Parse(week.Groups[1].Value, CultureInfo.InvariantCulture);
            var number = int.Parse(week.Groups[2].Value, CultureInfo.InvariantCulture);
            if (year is < MinYear or > MaxYear)
            {
                error = $"Unknown period '{period}': {YearsError}";
                return false;
            }
            if (number >= 1 && number <= ISOWeek.GetWeeksInYear(year))
            {
                var monday = ISOWeek.ToDateTime(year, number, DayOfWeek.Monday);
                result = Local(monday, monday.AddDays(7), $"{year}-W{number:00}");
                return true;
            }
        }
        error = $"Unknown period '{period}'. Use this-week, last-week, this-month, last-month, last-30-days, YYYY-MM, YYYY-Www, or from/to.";
        return false;
    }

    public Period WeekOf(DateTime instantUtc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(instantUtc, DateTimeKind.Utc), calendar.TimeZone).Date;
        var monday = MondayOf(local);
        return Local(monday, monday.AddDays(7), $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):00}");
    }

    /// <summary>The trailing <paramref name="days"/> up to now (the reverse plan's basis).</summary>
    public Period Trailing(int days)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new Period(now.AddDays(-days), now, $"last-{days}-days");
    }

    private bool TryParseRange(string? from, string? to, out Period result, out string? error)
    {
        result = default!;
        error = null;
        if (string.IsNullOrWhiteSpace(from) || string.IsNullOrWhiteSpace(to))
        {
            error = "Give both from and to (to is exclusive).";
            return false;
        }
        if (!TryInstant(from, out var start))
        {
            error = $"from '{from}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time in the years {MinYear} to {MaxYear}.";
            return false;
        }
        if (!TryInstant(to, out var end))
        {
            error = $"to '{to}' is not a date (YYYY-MM-DD) or an ISO 8601 date-time in the years {MinYear} to {MaxYear}.";
            return false;
        }
        if (start.Year is < MinYear or > MaxYear || end.Year is < MinYear or > MaxYear)
        {
            error = $"from/to: {YearsError}";
            return false;
        }
        if (end <= start)
        {
            error = "to must be after from.";
            return false;
        }
        if (end - start > MaxLength)
        {
            error = "A period is at most three years long.";
            return false;
        }
        result = new Period(start, end, $"{from.Trim()}..{to.Trim()}");
        return true;
    }

    /// <summary>A bare date is local midnight in the calendar's zone; a date-time with an offset is that instant.</summary>
    private bool TryInstant(string text, out DateTime utc)
    {
        utc = default;
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            if (date.Year is < MinYear or > MaxYear)
            {
                // Checked before the zone conversion, which overflows near DateTime's ends.
                return false;
            }
            utc = ToUtc(date.ToDateTime(TimeOnly.MinValue));
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T'))
        {
            utc = instant.UtcDateTime;
            return true;
        }
        return false;
    }

    private Period Local(DateTime fromLocal, DateTime toLocal, string label) => new(ToUtc(fromLocal), ToUtc(toLocal), label);

    private DateTime ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        // A midnight skipped by a DST change does not exist; the hour after it does.
        while (calendar.TimeZone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(unspecified, calendar.TimeZone);
    }

    private DateTime LocalToday() =>
        TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, calendar.TimeZone).Date;

    private static DateTime MondayOf(DateTime day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    private static DateTime FirstOfMonth(DateTime day) => new(day.Year, day.Month, 1);

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^(\d{4})-w(\d{2})$")]
    private static partial Regex WeekPattern();
}
