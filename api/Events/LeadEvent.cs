using TheModel.Api.Handoffs;
using TheModel.Api.People;

namespace TheModel.Api.Events;

public enum LeadEventType
{
    LeadCreated,
    LeadUpdated,
    ScoreChanged,
    BecameMql,
    BecameSql,
    Won,
    Lost,
    Nurtured,
    ReturnedToIs,
    Activity,
    HandoffOffered,
    HandoffAccepted,
    HandoffRejected,
    HandoffExpired,
    HandoffReassigned,
    SlaReminder,
    SlaEscalated,
    /// <summary>A person's role changed. Not about a lead: <c>LeadId</c> is empty, <c>Data</c> holds the person and old → new.</summary>
    RoleChanged,
    /// <summary>The recycle clock brought a nurtured lead back as an MQL; <c>Data</c> names the Nurtured event it answered.</summary>
    RecycledBack,
    /// <summary>The MQL threshold was turned. Not about a lead: <c>LeadId</c> is empty, <c>Data</c> holds old → new and why.</summary>
    ThresholdChanged,
    /// <summary>CS kicked the customer off (導入完了).</summary>
    Onboarded,
    /// <summary>The contract was renewed: <c>Amount</c>, <c>Data</c> has the term and the due dates.</summary>
    Renewed,
    /// <summary>The customer left: <c>Reason</c> is a <c>ChurnReason</c>, <c>Data</c> the note.</summary>
    Churned,
    /// <summary>The customer bought more: <c>Amount</c>.</summary>
    Upsold,
}

/// <summary>
/// Append-only record of everything that happened to a lead or handoff: who, what, when, why.
/// KPIs are computed from these rows (and current state), never from hand-kept counters.
/// </summary>
public sealed class LeadEvent
{
    public long Id { get; set; }
    public Guid LeadId { get; set; }
    public Guid? HandoffId { get; set; }
    public LeadEventType Type { get; set; }
    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
    /// <summary>The person who acted, when a person did.</summary>
    public Guid? ActorId { get; set; }
    /// <summary>Who acted, as text: a person's name, an API key's name, or <c>system</c>.</summary>
    public string Actor { get; set; } = "system";
    public string? Reason { get; set; }
    /// <summary>The department the lead was in (or was handed to) when this happened.</summary>
    public Department? Department { get; set; }
    public HandoffKind? HandoffKind { get; set; }
    public decimal? Amount { get; set; }
    /// <summary>Small JSON document with anything else worth keeping (old/new score, fields changed …).</summary>
    public string? Data { get; set; }
}
