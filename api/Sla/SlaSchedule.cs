using TheModel.Api.Handoffs;

namespace TheModel.Api.Sla;

/// <summary>One step of the chase and when it falls due.</summary>
public sealed record SlaDueStep(string Step, DateTime DueAt);

/// <summary>
/// When each step of a handoff's SLA chase falls due: reminders at the policy's fractions of the business window
/// (offer → deadline), the escalation at the deadline, and the expiry (with reassignment) a grace period of business
/// time after it — unless the handoff has already been reassigned the maximum number of times.
/// </summary>
public static class SlaSchedule
{
    public const string Escalation = "escalation";
    public const string Expiry = "expiry";

    /// <summary>A new handoff's next check: due at once, so the first sweep lays out its schedule.</summary>
    public static readonly DateTime Unscheduled = DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);

    /// <summary>Nothing left to do for this handoff.</summary>
    public static readonly DateTime Finished = DateTime.SpecifyKind(new DateTime(9999, 12, 31), DateTimeKind.Utc);

    public static string Reminder(int number) => $"reminder:{number}";

    public static IReadOnlyList<SlaDueStep> For(Handoff handoff, SlaPolicy policy, IBusinessCalendar calendar)
    {
        var steps = RemindersThenEscalation(handoff.OfferedAt, handoff.DeadlineAt, policy.Reminders, calendar);
        if (handoff.Attempt < policy.MaxReassignments)
        {
            steps.Add(new(Expiry, calendar.AddBusinessTime(handoff.DeadlineAt, policy.ReassignAfter)));
        }
        return steps;
    }

    /// <summary>
    /// Reminders at <paramref name="fractions"/> of the business window start → deadline (never after the deadline),
    /// then the escalation at the deadline: the shape shared by the handoff chase and the first-contact clock.
    /// </summary>
    public static List<SlaDueStep> RemindersThenEscalation(DateTime startedAt, DateTime deadline, IReadOnlyList<double> fractions,
        IBusinessCalendar calendar)
    {
        // The window is measured on the stored deadline, so a policy changed later moves the reminders but never the
        // deadline the assignee was shown.
        var window = calendar.BusinessTimeBetween(startedAt, deadline);
        var steps = new List<SlaDueStep>();
        for (var i = 0; i < fractions.Count; i++)
        {
            var at = calendar.AddBusinessTime(startedAt, window * fractions[i]);
            steps.Add(new(Reminder(i + 1), at < deadline ? at : deadline));
        }
        steps.Add(new(Escalation, deadline));
        return steps;
    }
}
