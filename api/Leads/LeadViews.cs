using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.People;

namespace TheModel.Api.Leads;

public sealed record LeadBantView(decimal? Budget, string? Authority, string? Need, string? Timeline, bool Complete);

public sealed record LeadView(
    Guid Id,
    string? ExternalId,
    string Name,
    string? Email,
    string? Title,
    string Company,
    string? Domain,
    string? Phone,
    string? Source,
    int Score,
    Temperature Temperature,
    LeadStage Stage,
    Department Department,
    Guid? OwnerId,
    decimal? Amount,
    LeadBantView Bant,
    string? LostReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime StageChangedAt,
    DateTime LastActivityAt)
{
    /// <summary>The handoff this request offered (write responses only).</summary>
    public HandoffView? Offered { get; init; }

    /// <summary>The contract (won leads): won, renewal due (won date + term, moved on by renewals), kick-off, churn.</summary>
    public DateTime? WonAt { get; init; }
    public DateTime? RenewalDueAt { get; init; }
    public DateTime? OnboardedAt { get; init; }
    public DateTime? ChurnedAt { get; init; }

    public static LeadView Of(Lead l, Handoff? offered = null, DateTime now = default) => new(
        l.Id, l.ExternalId, l.Name, l.Email, l.Title, l.Company, l.Domain, l.Phone, l.Source, l.Score, l.Temperature, l.Stage,
        l.Department, l.OwnerId, l.Amount, new LeadBantView(l.Bant.Budget, l.Bant.Authority, l.Bant.Need, l.Bant.Timeline, l.Bant.IsComplete),
        l.LostReason, l.CreatedAt, l.UpdatedAt, l.StageChangedAt, l.LastActivityAt)
    {
        Offered = offered is null ? null : HandoffView.Of(offered, now),
        WonAt = l.WonAt,
        RenewalDueAt = l.RenewalDueAt,
        OnboardedAt = l.OnboardedAt,
        ChurnedAt = l.ChurnedAt,
    };
}

public sealed record EventView(long Id, LeadEventType Type, DateTime At, string Actor, Guid? ActorId, string? Reason,
    Department? Department, Guid? HandoffId, HandoffKind? HandoffKind, decimal? Amount, string? Data)
{
    public static EventView Of(LeadEvent e) =>
        new(e.Id, e.Type, e.At, e.Actor, e.ActorId, e.Reason, e.Department, e.HandoffId, e.HandoffKind, e.Amount, e.Data);
}

/// <summary>A lead with its timeline: every event, every handoff and every logged activity, oldest first.</summary>
public sealed record LeadTimeline(LeadView Lead, IReadOnlyList<EventView> Events, IReadOnlyList<HandoffView> Handoffs)
{
    public IReadOnlyList<ActivityView> Activities { get; init; } = [];
}

/// <summary>A logged touch: <c>kind</c> and <c>outcome</c> by their wire names (<c>call</c>, <c>no_answer</c>); a contact is reached or booked.</summary>
public sealed record ActivityView(long Id, Guid LeadId, string Kind, string Outcome, bool Contact, DateTime At, Guid? PersonId,
    string? Person, string? Note, string? ExternalId, DateTime RecordedAt)
{
    public static ActivityView Of(LeadActivity a, string? person) => new(a.Id, a.LeadId, LeadActivities.Name(a.Kind),
        LeadActivities.Name(a.Outcome), a.IsContact, a.At, a.PersonId, person, a.Note, a.ExternalId, a.RecordedAt);
}

public sealed record LeadBatchInput(IReadOnlyList<LeadInput?>? Leads);

public sealed record LeadBatchItem(int Index, Guid Id, string? ExternalId, bool Created, LeadStage Stage, Guid? HandoffId, Guid? AssigneeId);

public sealed record LeadBatchResult(int Created, int Updated, int Mqls, IReadOnlyList<LeadBatchItem> Leads);
