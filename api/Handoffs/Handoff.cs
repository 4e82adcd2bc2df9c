using TheModel.Api.Common;
using TheModel.Api.People;
using TheModel.Api.Routing;

namespace TheModel.Api.Handoffs;

/// <summary>
/// One offer of a lead from one department to the next (a baton). It owns its transitions:
/// <c>Offered → Accepted | Rejected | Expired</c>, nothing else. <see cref="Version"/> is the optimistic
/// concurrency token, so two simultaneous decisions give exactly one winner.
/// </summary>
public sealed class Handoff
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid LeadId { get; set; }
    public HandoffKind Kind { get; set; }
    public HandoffState State { get; set; } = HandoffState.Offered;
    /// <summary>The person it is offered to; null when it waits in the department queue.</summary>
    public Guid? AssigneeId { get; set; }
    public RoutingRule Routing { get; set; }
    /// <summary>
    /// Why routing chose this assignee, in English (the REST <c>routingReason</c>). Cards render <see cref="RoutingFacts"/> in
    /// the reader's language instead; rows routed before facts were stored show this text.
    /// </summary>
    public string RoutingReason { get; set; } = "";
    public DateTime OfferedAt { get; set; }
    /// <summary>SLA deadline (UTC), computed in business time when offered.</summary>
    public DateTime DeadlineAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public Guid? DecidedById { get; set; }
    public RejectReason? RejectReason { get; set; }
    public string? RejectNote { get; set; }
    /// <summary>Business hours from offer to decision (or expiry), per the calendar at that time.</summary>
    public double? ResponseBusinessHours { get; set; }
    public double? ResponseWallHours { get; set; }
    /// <summary>0 for the first offer; +1 for each automatic reassignment after expiry.</summary>
    public int Attempt { get; set; }
    public Guid? PreviousHandoffId { get; set; }
    /// <summary>When the SLA sweep must next look at this offer (indexed, so an idle sweep reads nothing); MinValue = not yet scheduled.</summary>
    public DateTime NextSlaCheckAt { get; set; } = Sla.SlaSchedule.Unscheduled;
    public int Version { get; set; }
    /// <summary>
    /// The facts <see cref="Routing"/> went on (stored as JSON); null on rows routed before they were stored. Declared last:
    /// a fresh database then orders its columns as the migration that added it does.
    /// </summary>
    public RoutingFacts? RoutingFacts { get; set; }

    public Department From => Kind.From();
    public Department To => Kind.To();
    public bool IsOpen => State == HandoffState.Offered;

    /// <summary>
    /// Decision rights: the assignee; for a queued handoff, any member of the target department;
    /// and the assignee's manager.
    /// </summary>
    public bool CanBeDecidedBy(Person actor, Person? assignee)
    {
        if (AssigneeId is null)
        {
            return actor.Department == To;
        }
        if (actor.Id == AssigneeId)
        {
            return true;
        }
        return assignee is not null && assignee.ManagerId == actor.Id;
    }

    public DecisionResult Accept(Person actor, Person? assignee, DateTime now, double businessHours) =>
        Decide(actor, assignee, now, businessHours, HandoffState.Accepted, null, null);

    public DecisionResult Reject(Person actor, Person? assignee, DateTime now, double businessHours, RejectReason reason, string? note) =>
        Decide(actor, assignee, now, businessHours, HandoffState.Rejected, reason, note);

    /// <summary>The SLA ran out: the offer expires (the caller re-offers it to the next person).</summary>
    public DecisionResult Expire(DateTime now, double businessHours)
    {
        if (!IsOpen)
        {
            return DecisionResult.AlreadyDecided(State);
        }
        State = HandoffState.Expired;
        DecidedAt = now;
        ResponseBusinessHours = businessHours;
        ResponseWallHours = (now - OfferedAt).TotalHours;
        Version++;
        return DecisionResult.Done(State);
    }

    /// <summary>Moves an open offer to someone else (manual reassignment); the SLA clock keeps running.</summary>
    public DecisionResult Reassign(Guid? assigneeId, RoutingRule rule, string reason, RoutingFacts? facts = null)
    {
        if (!IsOpen)
        {
            return DecisionResult.AlreadyDecided(State);
        }
        AssigneeId = assigneeId;
        Routing = rule;
        RoutingReason = reason;
        RoutingFacts = facts;
        Version++;
        return DecisionResult.Done(State);
    }

    public bool WithinSla => DecidedAt is { } decided && decided <= DeadlineAt && State is HandoffState.Accepted or HandoffState.Rejected;

    private DecisionResult Decide(Person actor, Person? assignee, DateTime now, double businessHours,
        HandoffState outcome, RejectReason? reason, string? note)
    {
        if (!IsOpen)
        {
            return DecisionResult.AlreadyDecided(State);
        }
        if (!CanBeDecidedBy(actor, assignee))
        {
            return DecisionResult.NotYours(State);
        }
        if (outcome == HandoffState.Rejected && reason is null)
        {
            return DecisionResult.ReasonRequired(State);
        }
        // The cards cap the note (Input.Text maxLength, the Slack modal's max_length), but a crafted click is not a card.
        if (note is not null && note.Trim().Length > InputLimits.Note)
        {
            return new DecisionResult(DecisionStatus.NoteTooLong, State);
        }
        State = outcome;
        DecidedAt = now;
        DecidedById = actor.Id;
        RejectReason = reason;
        RejectNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        ResponseBusinessHours = businessHours;
        ResponseWallHours = (now - OfferedAt).TotalHours;
        // Whoever decides a queued handoff takes it.
        AssigneeId ??= actor.Id;
        Version++;
        return DecisionResult.Done(State);
    }
}

public enum DecisionStatus
{
    Done,
    AlreadyDecided,
    NotYours,
    ReasonRequired,
    /// <summary>The reject note is longer than <see cref="InputLimits.Note"/>; nothing changed.</summary>
    NoteTooLong,
}

public readonly record struct DecisionResult(DecisionStatus Status, HandoffState State)
{
    public bool Succeeded => Status == DecisionStatus.Done;
    public static DecisionResult Done(HandoffState state) => new(DecisionStatus.Done, state);
    public static DecisionResult AlreadyDecided(HandoffState state) => new(DecisionStatus.AlreadyDecided, state);
    public static DecisionResult NotYours(HandoffState state) => new(DecisionStatus.NotYours, state);
    public static DecisionResult ReasonRequired(HandoffState state) => new(DecisionStatus.ReasonRequired, state);
}
