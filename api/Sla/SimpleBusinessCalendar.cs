namespace TheModel.Api.Sla;

/// <summary>
/// Placeholder calendar: Monday–Friday 09:00–18:00 in one time zone, no holidays. Replaced by the full
/// business calendar (holidays, configurable hours).
/// </summary>
public sealed class SimpleBusinessCalendar(TimeZoneInfo timeZone) : IBusinessCalendar
{
    private static readonly TimeSpan DayStart = TimeSpan.FromHours(9);
    private static readonly TimeSpan DayEnd = TimeSpan.FromHours(18);

    public TimeZoneInfo TimeZone { get; } = timeZone;

    public DateTime AddBusinessTime(DateTime startUtc, TimeSpan businessTime)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(startUtc, DateTimeKind.Utc), TimeZone);
        var left = businessTime;
        while (true)
        {
            var (open, close) = (local.Date + DayStart, local.Date + DayEnd);
            if (IsWorkingDay(local) && local < close)
            {
                var from = local < open ? open : local;
                var available = close - from;
                if (left <= available)
                {
                    return TimeZoneInfo.ConvertTimeToUtc(from + left, TimeZone);
                }
                left -= available;
            }
            local = local.Date.AddDays(1);
        }
    }

    public TimeSpan BusinessTimeBetween(DateTime fromUtc, DateTime toUtc)
    {
        if (toUtc <= fromUtc)
        {
            return TimeSpan.Zero;
        }
        var from = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), TimeZone);
        var to = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(toUtc, DateTimeKind.Utc), TimeZone);
        var total = TimeSpan.Zero;
        for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            var open = Max(day + DayStart, from);
            var close = Min(day + DayEnd, to);
            if (close > open)
            {
                total += close - open;
            }
        }
        return total;
    }

    private static bool IsWorkingDay(DateTime day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
