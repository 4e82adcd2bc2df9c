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
        // The window is measured on the stored deadline, so a policy changed after the offer moves the reminders but
        // never the deadline the assignee was shown.
        var window = calendar.BusinessTimeBetween(handoff.OfferedAt, handoff.DeadlineAt);
        var steps = new List<SlaDueStep>();
        for (var i = 0; i < policy.Reminders.Count; i++)
        {
            var at = calendar.AddBusinessTime(handoff.OfferedAt, window * policy.Reminders[i]);
            steps.Add(new(Reminder(i + 1), at < handoff.DeadlineAt ? at : handoff.DeadlineAt));
        }
        steps.Add(new(Escalation, handoff.DeadlineAt));
        if (handoff.Attempt < policy.MaxReassignments)
        {
            steps.Add(new(Expiry, calendar.AddBusinessTime(handoff.DeadlineAt, policy.ReassignAfter)));
        }
        return steps;
    }
}
