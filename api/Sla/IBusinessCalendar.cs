namespace TheModel.Api.Sla;

/// <summary>Business-time arithmetic on UTC instants, in the calendar's own time zone, working hours and holidays.</summary>
public interface IBusinessCalendar
{
    TimeZoneInfo TimeZone { get; }

    /// <summary>The instant <paramref name="businessTime"/> of working time after <paramref name="startUtc"/>.</summary>
    DateTime AddBusinessTime(DateTime startUtc, TimeSpan businessTime);

    /// <summary>Working time between two instants (zero when <paramref name="toUtc"/> is not after <paramref name="fromUtc"/>).</summary>
    TimeSpan BusinessTimeBetween(DateTime fromUtc, DateTime toUtc);
}
