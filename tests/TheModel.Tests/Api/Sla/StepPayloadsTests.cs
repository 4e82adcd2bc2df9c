using TheModel.Api.Customers;
using TheModel.Api.Kpis;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

/// <summary>Each step payload is written and read by its own record; rows queued before keep reading.</summary>
public class StepPayloadsTests
{
    private static readonly Guid Manager = Guid.Parse("6f1c2d3e-4b5a-4978-8695-a4b3c2d1e0f9");

    private static OutboxMessage Row(string kind, string? payload, bool late = false) =>
        new() { Channel = OutboxChannels.Slack, Target = "C1", Kind = kind, Payload = payload, DedupeKey = "k", Late = late };

    [Fact]
    public void SlaStep_WrittenThenRead_IsTheSameStep()
    {
        var step = new SlaStepPayload("escalation:1", true, Manager);
        Assert.Equal(step, SlaStepPayload.Read(Row(OutboxKinds.SlaEscalation, step.Json())));
    }

    [Fact]
    public void SlaStep_JsonQueuedByAnEarlierVersion_Reads()
    {
        var read = SlaStepPayload.Read(Row(OutboxKinds.SlaEscalation, $"{{\"step\":\"escalation\",\"late\":false,\"managerId\":\"{Manager}\"}}"));
        Assert.Equal(new SlaStepPayload("escalation", false, Manager), read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not json")]
    [InlineData("{\"managerId\":\"not a guid\"}")]
    public void SlaStep_PayloadUnreadable_IsAPlainStepWithTheRowsLateFlagAndNoManager(string? payload)
    {
        Assert.Equal(new SlaStepPayload("", true, null), SlaStepPayload.Read(Row(OutboxKinds.SlaReminder, payload, late: true)));
    }

    [Fact]
    public void ContactStep_WrittenThenRead_IsTheSameStep()
    {
        var step = new ContactStepPayload(7, "Mql", "contact:mql:7:escalation", false, new DateTime(2026, 11, 18, 7, 0, 0, DateTimeKind.Utc), null, Manager);
        Assert.Equal(step, ContactStepPayload.Read(Row(OutboxKinds.ContactEscalation, step.Json())));
        Assert.Null(ContactStepPayload.Read(Row(OutboxKinds.ContactEscalation, "[1]")));
    }

    [Fact]
    public void RenewalAndNeglectSteps_WrittenThenRead_AreTheSameSteps()
    {
        var renewal = new RenewalStepPayload(Manager, "renewal:2027-11-16:notice", new DateTime(2027, 11, 16, 0, 0, 0, DateTimeKind.Utc), false);
        var nudge = new NeglectNudgePayload(Manager, "neglect:1:1", new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), 14);
        Assert.Equal(renewal, RenewalStepPayload.Read(Row(OutboxKinds.RenewalNotice, renewal.Json())));
        Assert.Equal(nudge, NeglectNudgePayload.Read(Row(OutboxKinds.NeglectNudge, nudge.Json())));
        Assert.Null(RenewalStepPayload.Read(Row(OutboxKinds.RenewalNotice, null)));
    }
}
