namespace TheModel.Api.Sla;

/// <summary>
/// The calendar in force: starts from configuration and is swapped whole when an admin changes the settings
/// (here, or on another instance: the SLA sweep reloads the stored settings each round). Swapping an immutable
/// <see cref="BusinessCalendar"/> keeps every calculation on one consistent calendar.
/// </summary>
public sealed class RuntimeBusinessCalendar(CalendarSettings configured) : IBusinessCalendar
{
    private volatile BusinessCalendar current = new(configured);

    public CalendarSettings Configured { get; } = configured;

    public BusinessCalendar Current => current;

    public TimeZoneInfo TimeZone => current.TimeZone;

    public DateTime AddBusinessTime(DateTime startUtc, TimeSpan businessTime) => current.AddBusinessTime(startUtc, businessTime);

    public TimeSpan BusinessTimeBetween(DateTime fromUtc, DateTime toUtc) => current.BusinessTimeBetween(fromUtc, toUtc);

    public void Apply(CalendarSettings settings)
    {
        var now = current.Settings;
        var same = settings.TimeZone == now.TimeZone && settings.WorkingHours == now.WorkingHours
            && settings.JapaneseHolidays == now.JapaneseHolidays && settings.YearEndClosure == now.YearEndClosure
            && settings.Holidays.SequenceEqual(now.Holidays);
        if (!same)
        {
            current = new BusinessCalendar(settings);
        }
    }
}
