using TheModel.Api.Handoffs;
using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

public class SlaScheduleTests
{
    private static readonly BusinessCalendar Tokyo = new(new CalendarSettings());

    private static DateTime Jst(int day, int hour, int minute = 0) =>
        new DateTime(2026, 11, day, hour, minute, 0, DateTimeKind.Utc).AddHours(-9);

    [Fact]
    public void For_MqlOfferedMondayMorning_SpreadsStepsOverBusinessHours()
    {
        // 24 business hours from Mon 16th 10:00: deadline Wed 18th 16:00; half-way is 12 business hours later.
        var handoff = new Handoff { OfferedAt = Jst(16, 10), DeadlineAt = Tokyo.AddBusinessTime(Jst(16, 10), TimeSpan.FromHours(24)) };
        var steps = SlaSchedule.For(handoff, SlaPolicy.DefaultFor(HandoffKind.MqlToIs), Tokyo);
        Assert.Equal(
            [
                new SlaDueStep("reminder:1", Jst(17, 13)),
                new SlaDueStep("reminder:2", Jst(18, 13, 36)),
                new SlaDueStep("escalation", Jst(18, 16)),
                new SlaDueStep("expiry", Jst(19, 11)), // 4 business hours: 2 on Wednesday, 2 on Thursday
            ],
            steps);
    }

    [Fact]
    public void For_AtMaxReassignments_HasNoExpiry()
    {
        var handoff = new Handoff { OfferedAt = Jst(16, 10), DeadlineAt = Jst(16, 12), Attempt = 2 };
        var steps = SlaSchedule.For(handoff, SlaPolicy.DefaultFor(HandoffKind.MqlToIs), Tokyo);
        Assert.Equal(["reminder:1", "reminder:2", "escalation"], steps.Select(s => s.Step));
    }

    [Fact]
    public void For_NoReminders_EscalatesAndExpiresOnly()
    {
        var handoff = new Handoff { OfferedAt = Jst(16, 10), DeadlineAt = Jst(16, 12) };
        var policy = SlaPolicy.DefaultFor(HandoffKind.SqlToFs) with { Reminders = [], ReassignAfter = TimeSpan.Zero };
        Assert.Equal([new SlaDueStep("escalation", Jst(16, 12)), new SlaDueStep("expiry", Jst(16, 12))], SlaSchedule.For(handoff, policy, Tokyo));
    }
}
