using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;

namespace TheModel.Api.Handoffs;

public enum DecisionOutcomeStatus
{
    Done,
    NotFound,
    UnknownPerson,
    AlreadyDecided,
    NotYours,
    ReasonRequired,
    NoteTooLong,
}

/// <summary>What a decision attempt came to, with the handoff as it now stands (for the 409 body and card refresh).</summary>
public sealed record DecisionOutcome(DecisionOutcomeStatus Status, Handoff? Handoff, Person? DecidedBy = null)
{
    public bool Succeeded => Status == DecisionOutcomeStatus.Done;
}

/// <summary>
/// Handoff use cases shared by the REST API, Teams and Slack: offer (routing + SLA deadline + card in the
/// outbox), accept, reject, reassign, expire-and-reoffer. Each commits the state change, its events and its
/// outbox messages in one SaveChanges.
/// </summary>
public sealed class HandoffService(
    TheModelDb db, Router router, OutboxWriter outbox, IBusinessCalendar calendar, ISlaPolicies policies, TimeProvider time,
    BotTelemetry telemetry)
{
    /// <summary>The policies read in this unit of work (the calendar and policies are read afresh by the next one).</summary>
    private readonly Dictionary<HandoffKind, SlaPolicy> offerPolicies = db.CacheUntilSaved<HandoffKind, SlaPolicy>();

    /// <summary>Adds an offer for <paramref name="lead"/> to the unit of work (the caller saves).</summary>
    public async Task<Handoff> OfferAsync(Lead lead, HandoffKind kind, Actor actor, CancellationToken ct = default,
        Handoff? previous = null, IReadOnlyCollection<Guid>? exclude = null)
    {
        var now = Now;
        var route = await router.RouteAsync(lead, kind.To(), exclude ?? [], ct);
        if (!offerPolicies.TryGetValue(kind, out var policy))
        {
            offerPolicies[kind] = policy = await policies.ForAsync(kind, ct);
        }
        var handoff = new Handoff
        {
            LeadId = lead.Id,
            Kind = kind,
            AssigneeId = route.AssigneeId,
            Routing = route.Rule,
            RoutingReason = route.Reason,
            RoutingFacts = route.Facts,
            OfferedAt = now,
            DeadlineAt = calendar.AddBusinessTime(now, policy.AcceptWithin),
            Attempt = previous is null ? 0 : previous.Attempt + 1,
            PreviousHandoffId = previous?.Id,
        };
        db.AddNew(handoff);
        // Entering MQL/SQL starts the first-contact clock; a re-offer (previous) is the same stage entry.
        if (ContactClocks.Start(lead, kind, previous is not null, policy, calendar, now) is { } clock)
        {
            db.AddNew(clock);
        }
        db.Record(lead.Id, LeadEventType.HandoffOffered, now, actor, route.Reason, handoff, data: RoutingEventData.Of(route));
        await outbox.HandoffOfferedAsync(handoff, ct);
        return handoff;
    }

    /// <summary>Compiled once: every click runs it.</summary>
    private static readonly Func<TheModelDb, Guid, CancellationToken, Task<HandoffAndLead?>> HandoffWithLead =
        EF.CompileAsyncQuery((TheModelDb db, Guid id, CancellationToken _) => db.Handoffs.Where(h => h.Id == id)
            .Join(db.Leads, h => h.LeadId, l => l.Id, (h, l) => new HandoffAndLead(h, l))
            .FirstOrDefault());

    private sealed record HandoffAndLead(Handoff Handoff, Lead Lead);

    /// <summary><paramref name="platform"/>: where the click came from (<see cref="DecisionPlatforms"/>), for the decision metrics.</summary>
    public Task<DecisionOutcome> AcceptAsync(Guid handoffId, Guid personId, CancellationToken ct = default,
        string platform = DecisionPlatforms.Api) =>
        telemetry.DecisionAsync(DecisionActions.Accept, handoffId, platform, () => DecideAsync(handoffId, personId, null, null, ct));

    /// <summary><paramref name="platform"/>: where the click came from (<see cref="DecisionPlatforms"/>), for the decision metrics.</summary>
    public Task<DecisionOutcome> RejectAsync(Guid handoffId, Guid personId, RejectReason? reason, string? note,
        CancellationToken ct = default, string platform = DecisionPlatforms.Api) =>
        telemetry.DecisionAsync(DecisionActions.Reject, handoffId, platform, () => DecideAsync(handoffId, personId, reason, note, ct, reject: true));

    private async Task<DecisionOutcome> DecideAsync(Guid handoffId, Guid personId, RejectReason? reason, string? note,
        CancellationToken ct, bool reject = false)
    {
        // The handoff and its lead in one round trip: a decision that goes through changes both.
        var row = await HandoffWithLead(db, handoffId, ct);
        if (row is null)
        {
            return new(DecisionOutcomeStatus.NotFound, null);
        }
        var (handoff, lead) = (row.Handoff, row.Lead);
        // The endpoints have usually just looked the clicker up in this unit of work: Find answers from it.
        var actor = await db.People.FindAsync([personId], ct);
        if (actor is null)
        {
            return new(DecisionOutcomeStatus.UnknownPerson, handoff);
        }
        var assignee = handoff.AssigneeId is { } a ? await db.People.FindAsync([a], ct) : null;
        var now = Now;
        var businessHours = calendar.BusinessTimeBetween(handoff.OfferedAt, now).TotalHours;
        var result = !reject ? handoff.Accept(actor, assignee, now, businessHours)
            : reason is { } why ? handoff.Reject(actor, assignee, now, businessHours, why, note)
            : DecisionResult.ReasonRequired(handoff.State);
        if (!result.Succeeded)
        {
            db.DiscardChanges();
            return new(Map(result.Status), handoff, actor);
        }

        var who = Actor.Person(actor.Id, actor.Name);
        if (handoff.State == HandoffState.Accepted)
        {
            lead.OwnerId = handoff.AssigneeId;
            lead.Department = handoff.To;
            Touch(lead, now);
            db.Record(lead.Id, LeadEventType.HandoffAccepted, now, who, null, handoff);
        }
        else
        {
            db.Record(lead.Id, LeadEventType.HandoffRejected, now, who, $"{handoff.RejectReason}{(handoff.RejectNote is null ? "" : ": " + handoff.RejectNote)}", handoff);
            ApplyRejection(lead, handoff, now, who);
            await outbox.HandoffRejectedNoticeAsync(handoff, ct);
        }
        await outbox.HandoffDecidedAsync(handoff, ct);

        try
        {
            await db.SaveChangesAsync(ct);
            return new(DecisionOutcomeStatus.Done, handoff, actor);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            // Someone else decided first: report the state they left. (The loser can also trip over the winner's
            // outbox dedupe key before its own version check, which is the same race.)
            db.DiscardChanges();
            var current = await db.Handoffs.AsNoTracking().FirstAsync(h => h.Id == handoffId, ct);
            return new(DecisionOutcomeStatus.AlreadyDecided, current, actor);
        }
    }

    /// <summary>A rejected MQL goes back to marketing (nurture); a rejected SQL goes back to inside sales.</summary>
    private void ApplyRejection(Lead lead, Handoff handoff, DateTime now, Actor who)
    {
        switch (handoff.Kind)
        {
            case HandoffKind.MqlToIs:
                lead.Stage = LeadStage.Nurture;
                lead.Department = Department.MK;
                lead.OwnerId = null;
                lead.StageChangedAt = now;
                db.Record(lead.Id, LeadEventType.Nurtured, now, who, handoff.RejectReason.ToString(), handoff, Department.MK);
                break;
            case HandoffKind.SqlToFs:
                lead.Stage = LeadStage.Mql;
                lead.Department = Department.IS;
                lead.StageChangedAt = now;
                db.Record(lead.Id, LeadEventType.ReturnedToIs, now, who, handoff.RejectReason.ToString(), handoff, Department.IS);
                break;
            case HandoffKind.WonToCs:
                // The deal is won whatever CS says; FS keeps it until CS takes it.
                lead.Department = Department.FS;
                break;
        }
        Touch(lead, now);
    }

    /// <summary>Moves an open offer to a named person (or back to routing when <paramref name="toPersonId"/> is null).
    /// <paramref name="platform"/>: where the request came from (<see cref="DecisionPlatforms"/>), for the decision metrics.</summary>
    public Task<DecisionOutcome> ReassignAsync(Guid handoffId, Guid? toPersonId, Actor actor, CancellationToken ct = default,
        string platform = DecisionPlatforms.Api) =>
        telemetry.DecisionAsync(DecisionActions.Reassign, handoffId, platform, () => ReassignCoreAsync(handoffId, toPersonId, actor, ct));

    private async Task<DecisionOutcome> ReassignCoreAsync(Guid handoffId, Guid? toPersonId, Actor actor, CancellationToken ct)
    {
        var handoff = await db.Handoffs.FirstOrDefaultAsync(h => h.Id == handoffId, ct);
        if (handoff is null)
        {
            return new(DecisionOutcomeStatus.NotFound, null);
        }
        if (!handoff.IsOpen)
        {
            return new(DecisionOutcomeStatus.AlreadyDecided, handoff);
        }
        var lead = await db.Leads.FirstAsync(l => l.Id == handoff.LeadId, ct);
        RoutingDecision route;
        if (toPersonId is { } pid)
        {
            var person = await db.People.FirstOrDefaultAsync(p => p.Id == pid, ct);
            if (person is null)
            {
                return new(DecisionOutcomeStatus.UnknownPerson, handoff);
            }
            person.LastAssignedAt = Now;
            route = new RoutingDecision(pid, RoutingRule.Manual, new RoutingFacts { Assignee = person.Name, By = actor.Name });
        }
        else
        {
            route = await router.RouteAsync(lead, handoff.To, handoff.AssigneeId is { } current ? [current] : [], ct);
        }
        handoff.Reassign(route.AssigneeId, route.Rule, route.Reason, route.Facts);
        db.Record(lead.Id, LeadEventType.HandoffReassigned, Now, actor, route.Reason, handoff, data: RoutingEventData.Of(route));
        await outbox.HandoffDecidedAsync(handoff, ct);
        if (route.AssigneeId is { } newAssignee)
        {
            foreach (var (channel, target) in await outbox.PersonTargetsAsync(newAssignee, ct))
            {
                outbox.Enqueue(channel, target, OutboxKinds.HandoffOffered, handoff.Id,
                    $"{OutboxKinds.HandoffOffered}:{handoff.Id}:v{handoff.Version}:{channel}:{target}");
            }
        }
        try
        {
            await db.SaveChangesAsync(ct);
            return new(DecisionOutcomeStatus.Done, handoff);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            db.DiscardChanges();
            var current = await db.Handoffs.AsNoTracking().FirstAsync(h => h.Id == handoffId, ct);
            return new(DecisionOutcomeStatus.AlreadyDecided, current);
        }
    }

    private static void Touch(Lead lead, DateTime now)
    {
        lead.UpdatedAt = now;
        lead.LastActivityAt = now;
        lead.Version++;
    }

    private static DecisionOutcomeStatus Map(DecisionStatus status) => status switch
    {
        DecisionStatus.AlreadyDecided => DecisionOutcomeStatus.AlreadyDecided,
        DecisionStatus.NotYours => DecisionOutcomeStatus.NotYours,
        DecisionStatus.ReasonRequired => DecisionOutcomeStatus.ReasonRequired,
        DecisionStatus.NoteTooLong => DecisionOutcomeStatus.NoteTooLong,
        _ => DecisionOutcomeStatus.Done,
    };

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
