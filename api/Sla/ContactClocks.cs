using TheModel.Api.Handoffs;
using TheModel.Api.Leads;

namespace TheModel.Api.Sla;

/// <summary>
/// The first-contact clock's rules: when a clock starts (a lead's first offer to IS as MQL, to FS as SQL — never a
/// re-offer or reassignment, which do not enter the stage again), when it is due, and when its reminders fall. Step keys
/// name the clock (<c>contact:mql:42:reminder:1</c>, <c>contact:mql:42:escalation</c>) so each happens once per clock.
/// </summary>
public static class ContactClocks
{
    /// <summary>A clock that needs no more checks: touched, done, or its lead left the stage.</summary>
    public static readonly DateTime Stopped = DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);

    /// <summary>The handoff kind whose department owes the contact for a clock of <paramref name="stage"/>.</summary>
    public static HandoffKind KindOf(LeadStage stage) => stage == LeadStage.Sql ? HandoffKind.SqlToFs : HandoffKind.MqlToIs;

    public static LeadStage? StageOf(HandoffKind kind) => kind switch
    {
        HandoffKind.MqlToIs => LeadStage.Mql,
        HandoffKind.SqlToFs => LeadStage.Sql,
        _ => null,
    };

    /// <summary>
    /// The clock for a lead that entered the stage of <paramref name="kind"/> at <paramref name="nowUtc"/>; null when the
    /// kind has no clock or this offer is a re-offer (<paramref name="reoffer"/>).
    /// </summary>
    public static ContactClock? Start(Lead lead, HandoffKind kind, bool reoffer, SlaPolicy policy, IBusinessCalendar calendar, DateTime nowUtc)
    {
        if (reoffer || StageOf(kind) is not { } stage || policy.ContactWithin is not { } within)
        {
            return null;
        }
        var clock = new ContactClock { LeadId = lead.Id, Stage = stage, StartedAt = nowUtc, DueAt = calendar.AddBusinessTime(nowUtc, within) };
        clock.NextCheckAt = Schedule(clock, policy, calendar).Min(s => s.DueAt);
        return clock;
    }

    public static string Prefix(ContactClock clock) => $"contact:{clock.Stage.ToString().ToLowerInvariant()}:{clock.Id}:";

    public static string Reminder(int number) => SlaSchedule.Reminder(number);

    public const string Escalation = SlaSchedule.Escalation;

    /// <summary>Reminders at the policy's fractions of the clock's window (start → stored deadline), then the escalation at the deadline.</summary>
    public static IReadOnlyList<SlaDueStep> Schedule(ContactClock clock, SlaPolicy policy, IBusinessCalendar calendar) =>
        SlaSchedule.RemindersThenEscalation(clock.StartedAt, clock.DueAt, policy.ContactReminders, calendar);
}
