using TheModel.Api.Outbox;

namespace TheModel.Api.Sla;

/// <summary>The payload of <c>sla.reminder</c> / <c>sla.escalation</c> outbox rows: <c>{"step":"reminder:1","late":false,"managerId":null}</c>.</summary>
public sealed record SlaStepPayload(string Step, bool Late, Guid? ManagerId)
{
    public string Json() => OutboxPayload.Write(this);

    /// <summary>
    /// The row's step; a row without a readable payload still goes out, as a plain reminder or escalation (its kind says
    /// which) with the row's own late flag and no manager to mention.
    /// </summary>
    public static SlaStepPayload Read(OutboxMessage message) =>
        OutboxPayload.Read<SlaStepPayload>(message.Payload) is { } step
            ? step with { Step = step.Step ?? "" }
            : new SlaStepPayload("", message.Late, null);
}

/// <summary>
/// The payload of <c>contact.reminder</c> / <c>contact.escalation</c> outbox rows: which clock and step, the deadline,
/// who holds the lead and their manager (mentioned on escalation). The row's handoff id is the lead's latest offer of
/// the clock's kind, whose card the senders post with the banner.
/// </summary>
public sealed record ContactStepPayload(long ClockId, string Stage, string Step, bool Late, DateTime DueAt, Guid? HolderId, Guid? ManagerId)
{
    public string Json() => OutboxPayload.Write(this);

    /// <summary>The row's step, or null when its payload is missing or not one.</summary>
    public static ContactStepPayload? Read(OutboxMessage message) => OutboxPayload.Read<ContactStepPayload>(message.Payload);
}
