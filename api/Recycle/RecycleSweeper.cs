using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Recycle;

/// <summary>
/// The recycle clock (敗者復活戦): finds leads resting in Nurture whose latest <c>Nurtured</c> event is older than the
/// delay of its reason (<see cref="RecycleOptions"/>) and re-offers each to IS as a recycled MQL. Each comeback is
/// claimed by its <see cref="LeadStep"/> <c>recycle:&lt;nurturedEventId&gt;</c>, inserted in the same SaveChanges as the
/// stage change, its events and the offer's outbox rows, so a restart or a second instance never brings a lead back twice.
/// A lead whose score crossed the threshold meanwhile is no longer in Nurture: nothing to do.
/// </summary>
public sealed class RecycleSweeper(SweepRunner runner, RecycleDelays delays, SlaConfiguration sla)
    : ISweep<RecycleSweeper.Comeback, SweepCount>, IScheduledSweep
{
    internal const int BatchSize = 200;
    public const string StepPrefix = "recycle:";

    public static string StepFor(long nurturedEventId) => $"{StepPrefix}{nurturedEventId}";

    /// <summary>A nurtured lead whose rest (<see cref="Delay"/> after its <c>Nurtured</c> event) is over.</summary>
    public sealed record Comeback(long EventId, Guid LeadId, DateTime At, string Reason, TimeSpan Delay);

    public string Name => "Recycle";

    /// <summary>One read per run, of up to <see cref="BatchSize"/> comebacks per reason.</summary>
    public SweepBatches Batches => new(BatchSize, MaxPerRun: 1);

    /// <summary>Brings back every lead whose rest is over at <paramref name="nowUtc"/>; returns how many came back.</summary>
    public async Task<int> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default) =>
        (await runner.RunAsync(this, nowUtc, instanceId, ct)).Steps;

    Task IScheduledSweep.RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct) => RunAsync(nowUtc, instanceId, ct);

    public async Task<IReadOnlyList<Comeback>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct)
    {
        var db = services.GetRequiredService<TheModelDb>();
        List<Comeback> due = [];
        // One range read of the (Type, At) index per reason that comes back at all; "never" reasons cost nothing.
        foreach (var (reason, delay) in delays.All)
        {
            var cutoff = round.Now - delay;
            due.AddRange(await (
                from e in db.Events.AsNoTracking()
                where e.Type == LeadEventType.Nurtured && e.At <= cutoff && e.Reason == reason
                join l in db.Leads.AsNoTracking() on e.LeadId equals l.Id
                where l.Stage == LeadStage.Nurture
                    && !db.Events.Any(later => later.LeadId == e.LeadId && later.Type == LeadEventType.Nurtured && later.Id > e.Id)
                orderby e.At
                select new Comeback(e.Id, e.LeadId, e.At, reason, delay)).Take(BatchSize).ToListAsync(ct));
        }
        return due;
    }

    public string Describe(Comeback comeback) => $"lead {comeback.LeadId}";

    public string Words(SweepCount recycled) => $"{recycled.Steps} nurtured leads re-offered to IS";

    public async Task<SweepCount> SweepAsync(IServiceProvider services, Comeback candidate, SweepRound round, CancellationToken ct)
    {
        var (now, instanceId) = (round.Now, round.InstanceId);
        var db = services.GetRequiredService<TheModelDb>();
        var step = StepFor(candidate.EventId);
        if (await db.LeadSteps.AnyAsync(s => s.LeadId == candidate.LeadId && s.Step == step, ct))
        {
            return SweepCount.Zero;
        }
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == candidate.LeadId && l.Stage == LeadStage.Nurture, ct);
        if (lead is null)
        {
            return SweepCount.Zero;
        }
        var dueAt = candidate.At + candidate.Delay;
        var late = now - dueAt > sla.LateAfter;
        db.LeadSteps.Add(new LeadStep { LeadId = lead.Id, Step = step, DueAt = dueAt, DoneAt = now, Late = late, ClaimedBy = instanceId });
        var days = (int)Math.Round((now - candidate.At).TotalDays);
        var data = new { nurturedEventId = candidate.EventId, reason = candidate.Reason, nurturedAt = candidate.At, days };
        db.Record(lead.Id, LeadEventType.RecycledBack, now, Actor.System, candidate.Reason, department: People.Department.MK, data: data);
        await services.GetRequiredService<LeadIntake>().RecycleAsync(lead, $"recycled: {candidate.Reason} {days} days ago", data, ct);
        // The lead's version is the concurrency token: a score update committing at the same moment wins, this rolls back.
        lead.Version++;
        await db.SaveChangesAsync(ct);
        return SweepCount.One;
    }
}

