using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Store;

namespace TheModel.Api.Leads;

public enum LeadChangeStatus
{
    Done,
    NotFound,
    /// <summary>The lead is not in a stage this change can start from (the body says which it is in).</summary>
    WrongStage,
    /// <summary>Someone else changed the lead at the same moment; nothing of this change was kept.</summary>
    Conflict,
}

public sealed record LeadChange(LeadChangeStatus Status, Lead? Lead = null, Handoff? Offered = null, string? Detail = null)
{
    public static readonly LeadChange NotFound = new(LeadChangeStatus.NotFound);
}

/// <summary>
/// Stage changes after intake: score/field edits, qualify (BANT → SQL, offered to FS), won (→ CS, webhook),
/// lost (→ Nurture), activities. Each change, its events and its outbox rows commit in one SaveChanges.
/// </summary>
public sealed class LeadStageChanges(
    TheModelDb db, LeadIntake intake, HandoffService handoffs, OutboxWriter outbox, QualificationSettings qualification, TimeProvider time,
    Customers.CustomerLifecycle customers)
{
    public async Task<LeadChange> PatchAsync(Guid id, LeadPatch patch, Actor actor, CancellationToken ct = default)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadChange.NotFound;
        }
        var now = Now;
        var oldScore = lead.Score;
        var changed = LeadIntake.Apply(lead, patch.ApplyTo(lead));
        if (changed.Count > 0 || lead.Score != oldScore)
        {
            lead.UpdatedAt = now;
            lead.Version++;
        }
        if (changed.Count > 0)
        {
            db.Record(lead.Id, LeadEventType.LeadUpdated, now, actor, department: lead.Department, data: new { fields = changed });
        }
        Handoff? offered = null;
        if (lead.Score != oldScore)
        {
            db.Record(lead.Id, LeadEventType.ScoreChanged, now, actor, department: lead.Department, data: new { from = oldScore, to = lead.Score });
            offered = await intake.QualifyByScoreAsync(lead, oldScore, (await qualification.GetAsync(ct)).MqlThreshold, actor, ct);
        }
        return await SaveAsync(lead, offered, ct);
    }

    /// <summary>IS qualifies an MQL it has accepted: BANT complete → SQL, offered to FS.</summary>
    public async Task<LeadChange> QualifyAsync(Guid id, BantInput bant, Actor actor, CancellationToken ct = default)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadChange.NotFound;
        }
        if (lead.Stage != LeadStage.Mql || lead.Department != Department.IS)
        {
            return new(LeadChangeStatus.WrongStage, lead, Detail: lead.Stage == LeadStage.Mql
                ? "The MQL has not been accepted by Inside Sales yet; accept its MqlToIs handoff first."
                : $"Only an MQL accepted by Inside Sales can be qualified; this lead is {lead.Stage}.");
        }
        var now = Now;
        lead.Bant = new Bant { Budget = bant.Budget, Authority = bant.Authority!.Trim(), Need = bant.Need!.Trim(), Timeline = bant.Timeline!.Trim() };
        lead.Stage = LeadStage.Sql;
        Touch(lead, now, stageChanged: true);
        db.Record(lead.Id, LeadEventType.BecameSql, now, actor, "BANT complete", department: Department.IS,
            data: new { bant.Budget, bant.Authority, bant.Need, bant.Timeline });
        var offered = await handoffs.OfferAsync(lead, HandoffKind.SqlToFs, actor, ct);
        return await SaveAsync(lead, offered, ct);
    }

    /// <summary>FS wins an SQL: amount recorded, offered to CS for onboarding, and the won webhook queued.
    /// <paramref name="termMonths"/>: the contract's term; default <c>Cs:DefaultTermMonths</c>.</summary>
    public async Task<LeadChange> WinAsync(Guid id, decimal amount, Actor actor, CancellationToken ct = default, int? termMonths = null)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadChange.NotFound;
        }
        if (lead.Stage != LeadStage.Sql)
        {
            return new(LeadChangeStatus.WrongStage, lead, Detail: $"Only an SQL can be won; this lead is {lead.Stage}.");
        }
        var now = Now;
        lead.Stage = LeadStage.Won;
        lead.Amount = amount;
        customers.StartContract(lead, now, termMonths);
        Touch(lead, now, stageChanged: true);
        db.Record(lead.Id, LeadEventType.Won, now, actor, department: Department.FS, amount: amount);
        var offered = await handoffs.OfferAsync(lead, HandoffKind.WonToCs, actor, ct);
        await outbox.WonWebhookAsync(lead, ct);
        return await SaveAsync(lead, offered, ct);
    }

    /// <summary>
    /// A lost deal is recorded as <c>Lost</c> (it counts in the win rate) and the lead then goes back to
    /// marketing as <c>Nurture</c> (it counts as recycled, reason <c>Lost</c>); the free-text reason is kept on the lead.
    /// </summary>
    public async Task<LeadChange> LoseAsync(Guid id, string reason, Actor actor, CancellationToken ct = default)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadChange.NotFound;
        }
        if (lead.Stage is not (LeadStage.Inquiry or LeadStage.Mql or LeadStage.Sql))
        {
            return new(LeadChangeStatus.WrongStage, lead, Detail: $"Only an open lead (Inquiry, Mql, Sql) can be lost; this lead is {lead.Stage}.");
        }
        var now = Now;
        var from = lead.Department;
        lead.LostReason = reason.Trim();
        lead.Stage = LeadStage.Nurture;
        lead.Department = Department.MK;
        lead.OwnerId = null;
        Touch(lead, now, stageChanged: true);
        db.Record(lead.Id, LeadEventType.Lost, now, actor, lead.LostReason, department: from);
        db.Record(lead.Id, LeadEventType.Nurtured, now, actor, "Lost", department: Department.MK, data: new { lostReason = lead.LostReason });
        return await SaveAsync(lead, null, ct);
    }

    /// <summary>A call, mail or meeting: it keeps the lead from counting as neglected (リード放置).</summary>
    public async Task<LeadChange> RecordActivityAsync(Guid id, string note, string? kind, Actor actor, CancellationToken ct = default)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadChange.NotFound;
        }
        var now = Now;
        Touch(lead, now, stageChanged: false);
        db.Record(lead.Id, LeadEventType.Activity, now, actor, note.Trim(), department: lead.Department,
            data: kind is null ? null : new { kind = kind.Trim() });
        return await SaveAsync(lead, null, ct);
    }

    /// <summary>Saves; false when the lead's version moved under us (optimistic concurrency), with nothing kept.</summary>
    /// <summary>Commits the change; a concurrent change to the same lead wins and this one reports a conflict.</summary>
    private async Task<LeadChange> SaveAsync(Lead lead, Handoff? offered, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return new(LeadChangeStatus.Done, lead, offered);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            db.DiscardChanges();
            return new(LeadChangeStatus.Conflict, lead, Detail: "The lead was changed by another request at the same moment; read it again and retry.");
        }
    }

    private static void Touch(Lead lead, DateTime now, bool stageChanged)
    {
        lead.UpdatedAt = now;
        lead.LastActivityAt = now;
        if (stageChanged)
        {
            lead.StageChangedAt = now;
        }
        lead.Version++;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
