using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Api.Sweeps;
using TheModel.Api.Telemetry;

namespace TheModel.Api.Sla;

/// <summary>What one sweep did.</summary>
public sealed record SlaSweepResult(int Checked, int Reminders, int Escalations, int Expiries, int Late) : ISweepTally<SlaSweepResult>
{
    public static readonly SlaSweepResult None = new(0, 0, 0, 0, 0);
    public static SlaSweepResult Zero => None;
    public int Steps => Reminders + Escalations + Expiries;

    public static SlaSweepResult operator +(SlaSweepResult left, SlaSweepResult right) =>
        new(left.Checked + right.Checked, left.Reminders + right.Reminders, left.Escalations + right.Escalations,
            left.Expiries + right.Expiries, left.Late + right.Late);
}

/// <summary>
/// Chases open handoffs: sends the reminders, escalates at the deadline, and after the grace period expires the offer
/// and re-offers it to the next person by routing (or the queue). Each step is claimed by inserting its
/// <see cref="SlaStep"/> (unique per handoff and step) in the same transaction as its events, outbox rows and the
/// handoff's next check time, so a restart or a second instance can neither repeat nor lose a step. A step done more
/// than <see cref="SlaConfiguration.LateAfter"/> after it fell due (the bot was down) is done once, marked late.
/// </summary>
public sealed class SlaSweeper(SweepRunner runner, SlaConfiguration configuration, BotTelemetry telemetry)
    : ISweep<Guid, SlaSweepResult>, IScheduledSweep
{
    internal const int BatchSize = 500;

    public string Name => "SLA";

    public SweepBatches Batches => new(BatchSize, MaxPerRun: 10);

    /// <summary>Open handoffs whose next check has come: a range scan of the (State, NextSlaCheckAt) index.</summary>
    internal static IQueryable<Guid> DueQuery(TheModelDb db, DateTime nowUtc) =>
        db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Offered && h.NextSlaCheckAt <= nowUtc)
            .OrderBy(h => h.NextSlaCheckAt)
            .Select(h => h.Id);

    public async Task<SlaSweepResult> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default)
    {
        using var sweep = telemetry.StartSweep(instanceId);
        var result = await runner.RunAsync(this, nowUtc, instanceId, ct);
        sweep.Done(result);
        return result;
    }

    Task IScheduledSweep.RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct) => RunAsync(nowUtc, instanceId, ct);

    public async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct)
    {
        if (round.Batch == 0)
        {
            // Another instance may have changed the calendar; each round starts from the stored one.
            await services.GetRequiredService<SlaSettingsStore>().RefreshCalendarAsync(ct);
        }
        return await DueQuery(services.GetRequiredService<TheModelDb>(), round.Now).Take(BatchSize).ToListAsync(ct);
    }

    public string Describe(Guid handoffId) => $"handoff {handoffId}";

    public string Words(SlaSweepResult r) => $"{r.Reminders} reminders, {r.Escalations} escalations, {r.Expiries} reassignments ({r.Late} late)";

    public async Task<SlaSweepResult> SweepAsync(IServiceProvider services, Guid handoffId, SweepRound round, CancellationToken ct)
    {
        var (now, instanceId) = (round.Now, round.InstanceId);
        var db = services.GetRequiredService<TheModelDb>();
        var handoff = await db.Handoffs.FirstOrDefaultAsync(h => h.Id == handoffId && h.State == HandoffState.Offered, ct);
        if (handoff is null)
        {
            return SlaSweepResult.None;
        }
        int reminders = 0, escalations = 0, expiries = 0, lates = 0;
        var calendar = services.GetRequiredService<IBusinessCalendar>();
        var policy = await services.GetRequiredService<ISlaPolicies>().ForAsync(handoff.Kind, ct);
        var done = (await db.SlaSteps.Where(s => s.HandoffId == handoffId).Select(s => s.Step).ToListAsync(ct)).ToHashSet();
        var pending = SlaSchedule.For(handoff, policy, calendar).Where(s => !done.Contains(s.Step)).ToList();
        var outbox = services.GetRequiredService<OutboxWriter>();

        foreach (var step in pending.Where(s => s.DueAt <= now).ToList())
        {
            var late = now - step.DueAt > configuration.LateAfter;
            db.SlaSteps.Add(new SlaStep { HandoffId = handoffId, Step = step.Step, DueAt = step.DueAt, DoneAt = now, Late = late, ClaimedBy = instanceId });
            pending.Remove(step);
            lates += late ? 1 : 0;
            switch (step.Step)
            {
                case SlaSchedule.Escalation:
                    await NotifyAsync(db, outbox, handoff, step, late, now, escalate: true, ct);
                    escalations++;
                    break;
                case SlaSchedule.Expiry:
                    await ExpireAsync(services, db, handoff, policy, calendar, step, late, now, ct);
                    expiries++;
                    break;
                default:
                    await NotifyAsync(db, outbox, handoff, step, late, now, escalate: false, ct);
                    reminders++;
                    break;
            }
            if (!handoff.IsOpen)
            {
                break;
            }
        }
        handoff.NextSlaCheckAt = handoff.IsOpen && pending.Count > 0 ? pending.Min(s => s.DueAt) : SlaSchedule.Finished;
        await db.SaveChangesAsync(ct);
        telemetry.SlaStepsDone(reminders, escalations, expiries);
        return new SlaSweepResult(1, reminders, escalations, expiries, lates);
    }

    /// <summary>
    /// A reminder goes to the assignee directly (the department channel when it waits in the queue); an escalation to the
    /// assignee's manager and the department channel. Payload and dedupe key are the contract the chat senders render.
    /// </summary>
    private static async Task NotifyAsync(TheModelDb db, OutboxWriter outbox, Handoff handoff, SlaDueStep step, bool late,
        DateTime now, bool escalate, CancellationToken ct)
    {
        var assignee = handoff.AssigneeId is { } a ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == a, ct) : null;
        var managerId = assignee?.ManagerId;
        var targets = new List<(string Channel, string Target)>();
        if (escalate)
        {
            if (managerId is { } manager)
            {
                targets.AddRange(await outbox.PersonTargetsAsync(manager, ct));
            }
            targets.AddRange(await outbox.DepartmentTargetsAsync(handoff.To, ct));
        }
        else
        {
            targets.AddRange(assignee is not null ? await outbox.PersonTargetsAsync(assignee.Id, ct) : []);
            if (targets.Count == 0)
            {
                // Queued, or the assignee has no chat identity yet: the department channel hears it instead of nobody.
                targets.AddRange(await outbox.DepartmentTargetsAsync(handoff.To, ct));
            }
        }
        var kind = escalate ? OutboxKinds.SlaEscalation : OutboxKinds.SlaReminder;
        var payload = new SlaStepPayload(step.Step, late, managerId).Json();
        foreach (var (channel, target) in targets.Distinct())
        {
            outbox.Enqueue(channel, target, kind, handoff.Id, $"sla:{handoff.Id}:{step.Step}:{channel}:{target}", payload, late: late);
        }
        db.Record(handoff.LeadId, escalate ? LeadEventType.SlaEscalated : LeadEventType.SlaReminder, now, Actor.System,
            late ? $"{step.Step} (late)" : step.Step, handoff, data: new { step = step.Step, late, dueAt = step.DueAt, managerId });
    }

    /// <summary>The offer expires and goes to the next person by routing, never back to anyone who already let it expire.</summary>
    private static async Task ExpireAsync(IServiceProvider services, TheModelDb db, Handoff handoff, SlaPolicy policy,
        IBusinessCalendar calendar, SlaDueStep step, bool late, DateTime now, CancellationToken ct)
    {
        handoff.Expire(now, calendar.BusinessTimeBetween(handoff.OfferedAt, now).TotalHours);
        db.Record(handoff.LeadId, LeadEventType.HandoffExpired, now, Actor.System,
            $"No decision within the SLA; re-offered (reassignment {handoff.Attempt + 1} of {policy.MaxReassignments})", handoff,
            data: new { step = step.Step, late, dueAt = step.DueAt });
        await services.GetRequiredService<OutboxWriter>().HandoffDecidedAsync(handoff, ct);

        var exclude = new List<Guid>();
        Guid? cursor = handoff.Id;
        for (var hops = 0; cursor is { } id && hops <= SlaPolicyLimits.MaxReassignments + 1; hops++)
        {
            var link = await db.Handoffs.AsNoTracking().Where(h => h.Id == id)
                .Select(h => new { h.AssigneeId, h.PreviousHandoffId }).FirstOrDefaultAsync(ct);
            if (link?.AssigneeId is { } previous)
            {
                exclude.Add(previous);
            }
            cursor = link?.PreviousHandoffId;
        }
        var lead = await db.Leads.FirstAsync(l => l.Id == handoff.LeadId, ct);
        await services.GetRequiredService<HandoffService>().OfferAsync(lead, handoff.Kind, Actor.System, ct, previous: handoff, exclude: exclude);
    }
}
