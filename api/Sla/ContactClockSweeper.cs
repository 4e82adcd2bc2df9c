using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Sla;

/// <summary>What one contact sweep did.</summary>
public sealed record ContactSweepResult(int Checked, int Reminders, int Escalations, int Late) : ISweepTally<ContactSweepResult>
{
    public static readonly ContactSweepResult None = new(0, 0, 0, 0);
    public static ContactSweepResult Zero => None;
    public int Steps => Reminders + Escalations;

    public static ContactSweepResult operator +(ContactSweepResult left, ContactSweepResult right) =>
        new(left.Checked + right.Checked, left.Reminders + right.Reminders, left.Escalations + right.Escalations, left.Late + right.Late);
}

/// <summary>
/// Chases the first-contact clocks: a reminder at each of the policy's fractions to whoever holds the lead, and at the
/// deadline an escalation to their manager and the department channel — until the first touch stops the clock. Each
/// step is claimed by inserting its <see cref="LeadStep"/> (unique per lead and step) in the same SaveChanges as its
/// outbox rows and the clock's next check, so a restart or a second instance can neither repeat nor lose one.
/// </summary>
public sealed class ContactClockSweeper(SweepRunner runner, SlaConfiguration configuration) : ISweep<long, ContactSweepResult>, IScheduledSweep
{
    internal const int BatchSize = 500;

    public string Name => "Contact";

    public SweepBatches Batches => new(BatchSize, MaxPerRun: 10);

    /// <summary>Running clocks whose next check has come: a range scan of the NextCheckAt index.</summary>
    internal static IQueryable<long> DueQuery(TheModelDb db, DateTime nowUtc) =>
        db.ContactClocks.AsNoTracking()
            .Where(c => c.NextCheckAt <= nowUtc && c.FirstTouchAt == null)
            .OrderBy(c => c.NextCheckAt)
            .Select(c => c.Id);

    public Task<ContactSweepResult> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default) =>
        runner.RunAsync(this, nowUtc, instanceId, ct);

    Task IScheduledSweep.RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct) => RunAsync(nowUtc, instanceId, ct);

    public async Task<IReadOnlyList<long>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct) =>
        await DueQuery(services.GetRequiredService<TheModelDb>(), round.Now).Take(BatchSize).ToListAsync(ct);

    public string Describe(long clockId) => $"clock {clockId}";

    public string Words(ContactSweepResult r) => $"{r.Reminders} reminders, {r.Escalations} escalations ({r.Late} late)";

    public async Task<ContactSweepResult> SweepAsync(IServiceProvider services, long clockId, SweepRound round, CancellationToken ct)
    {
        var (now, instanceId) = (round.Now, round.InstanceId);
        var db = services.GetRequiredService<TheModelDb>();
        var clock = await db.ContactClocks.FirstOrDefaultAsync(c => c.Id == clockId && c.FirstTouchAt == null, ct);
        if (clock is null)
        {
            return ContactSweepResult.None;
        }
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == clock.LeadId, ct);
        if (lead is null || lead.Stage != clock.Stage)
        {
            // Rejected, lost or moved on without a logged touch: nobody owes this contact any more.
            clock.NextCheckAt = ContactClocks.Stopped;
            await db.SaveChangesAsync(ct);
            return ContactSweepResult.None;
        }
        int reminders = 0, escalations = 0, lates = 0;
        var kind = ContactClocks.KindOf(clock.Stage);
        var calendar = services.GetRequiredService<IBusinessCalendar>();
        var policy = await services.GetRequiredService<ISlaPolicies>().ForAsync(kind, ct);
        var prefix = ContactClocks.Prefix(clock);
        var done = (await db.LeadSteps.Where(s => s.LeadId == clock.LeadId && s.Step.StartsWith(prefix)).Select(s => s.Step).ToListAsync(ct))
            .Select(s => s[prefix.Length..]).ToHashSet();
        var pending = ContactClocks.Schedule(clock, policy, calendar).Where(s => !done.Contains(s.Step)).ToList();
        var due = pending.Where(s => s.DueAt <= now).ToList();
        if (due.Count > 0)
        {
            var holder = await HolderAsync(db, lead, kind, ct);
            var outbox = services.GetRequiredService<OutboxWriter>();
            foreach (var step in due)
            {
                var late = now - step.DueAt > configuration.LateAfter;
                db.LeadSteps.Add(new LeadStep { LeadId = clock.LeadId, Step = prefix + step.Step, DueAt = step.DueAt, DoneAt = now, Late = late, ClaimedBy = instanceId });
                pending.Remove(step);
                lates += late ? 1 : 0;
                var escalate = step.Step == ContactClocks.Escalation;
                await NotifyAsync(db, outbox, clock, kind, holder, prefix + step.Step, late, escalate, ct);
                if (escalate)
                {
                    escalations++;
                }
                else
                {
                    reminders++;
                }
            }
        }
        clock.NextCheckAt = pending.Count > 0 ? pending.Min(s => s.DueAt) : ContactClocks.Stopped;
        await db.SaveChangesAsync(ct);
        return new ContactSweepResult(1, reminders, escalations, lates);
    }

    /// <summary>Who holds the lead: the open offer's assignee, else (accepted) the lead's owner in the receiving department.</summary>
    private static async Task<(Guid? PersonId, Guid? HandoffId)> HolderAsync(TheModelDb db, Lead lead, HandoffKind kind, CancellationToken ct)
    {
        var latest = await db.Handoffs.AsNoTracking().Where(h => h.LeadId == lead.Id && h.Kind == kind)
            .OrderByDescending(h => h.OfferedAt).ThenByDescending(h => h.Attempt)
            .Select(h => new { h.Id, h.State, h.AssigneeId }).FirstOrDefaultAsync(ct);
        var person = latest?.State == HandoffState.Offered ? latest.AssigneeId
            : lead.Department == kind.To() ? lead.OwnerId
            : null;
        return (person, latest?.Id);
    }

    /// <summary>A reminder to the holder (the department channel when nobody or nobody reachable holds it); an escalation to their manager and the channel.</summary>
    private static async Task NotifyAsync(TheModelDb db, OutboxWriter outbox, ContactClock clock, HandoffKind kind,
        (Guid? PersonId, Guid? HandoffId) holder, string step, bool late, bool escalate, CancellationToken ct)
    {
        var managerId = holder.PersonId is { } p ? await db.People.AsNoTracking().Where(x => x.Id == p).Select(x => x.ManagerId).FirstOrDefaultAsync(ct) : null;
        var targets = new List<(string Channel, string Target)>();
        if (escalate)
        {
            if (managerId is { } manager)
            {
                targets.AddRange(await outbox.PersonTargetsAsync(manager, ct));
            }
            targets.AddRange(await outbox.DepartmentTargetsAsync(kind.To(), ct));
        }
        else
        {
            targets.AddRange(holder.PersonId is { } person ? await outbox.PersonTargetsAsync(person, ct) : []);
            if (targets.Count == 0)
            {
                targets.AddRange(await outbox.DepartmentTargetsAsync(kind.To(), ct));
            }
        }
        var outboxKind = escalate ? OutboxKinds.ContactEscalation : OutboxKinds.ContactReminder;
        var payload = new ContactStepPayload(clock.Id, clock.Stage.ToString(), step, late, clock.DueAt, holder.PersonId, managerId).Json();
        foreach (var (channel, target) in targets.Distinct())
        {
            outbox.Enqueue(channel, target, outboxKind, holder.HandoffId, $"{step}:{channel}:{target}", payload, late: late);
        }
    }
}
