using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api.Recycle;

/// <summary>
/// The recycle clock (敗者復活戦): finds leads resting in Nurture whose latest <c>Nurtured</c> event is older than the
/// delay of its reason (<see cref="RecycleOptions"/>) and re-offers each to IS as a recycled MQL. Each comeback is
/// claimed by its <see cref="LeadStep"/> <c>recycle:&lt;nurturedEventId&gt;</c>, inserted in the same SaveChanges as the
/// stage change, its events and the offer's outbox rows, so a restart or a second instance never brings a lead back twice.
/// A lead whose score crossed the threshold meanwhile is no longer in Nurture: nothing to do.
/// </summary>
public sealed class RecycleSweeper(IServiceScopeFactory scopes, RecycleDelays delays, SlaConfiguration sla, ILogger<RecycleSweeper> logger)
{
    internal const int BatchSize = 200;
    public const string StepPrefix = "recycle:";

    public static string StepFor(long nurturedEventId) => $"{StepPrefix}{nurturedEventId}";

    private sealed record Candidate(long EventId, Guid LeadId, DateTime At, string Reason);

    /// <summary>Brings back every lead whose rest is over at <paramref name="nowUtc"/>; returns how many came back.</summary>
    public async Task<int> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default)
    {
        var now = DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        List<(Candidate Candidate, TimeSpan Delay)> due = [];
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            // One range read of the (Type, At) index per reason that comes back at all; "never" reasons cost nothing.
            foreach (var (reason, delay) in delays.All)
            {
                var cutoff = now - delay;
                var found = await (
                    from e in db.Events.AsNoTracking()
                    where e.Type == LeadEventType.Nurtured && e.At <= cutoff && e.Reason == reason
                    join l in db.Leads.AsNoTracking() on e.LeadId equals l.Id
                    where l.Stage == LeadStage.Nurture
                        && !db.Events.Any(later => later.LeadId == e.LeadId && later.Type == LeadEventType.Nurtured && later.Id > e.Id)
                    orderby e.At
                    select new Candidate(e.Id, e.LeadId, e.At, reason)).Take(BatchSize).ToListAsync(ct);
                due.AddRange(found.Select(c => (c, delay)));
            }
        }
        var recycled = 0;
        foreach (var (candidate, delay) in due)
        {
            try
            {
                recycled += await RecycleAsync(candidate, delay, now, instanceId, ct) ? 1 : 0;
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                // Another instance claimed this comeback first, or the lead changed meanwhile: all rolled back.
                logger.LogDebug(ex, "Recycle of lead {LeadId} not claimed by {Instance}: changed concurrently", candidate.LeadId, instanceId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Recycle of lead {LeadId} failed; it stays due and is retried next round", candidate.LeadId);
            }
        }
        if (recycled > 0)
        {
            logger.LogInformation("Recycle clock: {Count} nurtured leads re-offered to IS", recycled);
        }
        return recycled;
    }

    private async Task<bool> RecycleAsync(Candidate candidate, TimeSpan delay, DateTime now, string instanceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<TheModelDb>();
        var step = StepFor(candidate.EventId);
        if (await db.LeadSteps.AnyAsync(s => s.LeadId == candidate.LeadId && s.Step == step, ct))
        {
            return false;
        }
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == candidate.LeadId && l.Stage == LeadStage.Nurture, ct);
        if (lead is null)
        {
            return false;
        }
        var dueAt = candidate.At + delay;
        var late = now - dueAt > sla.LateAfter;
        db.LeadSteps.Add(new LeadStep { LeadId = lead.Id, Step = step, DueAt = dueAt, DoneAt = now, Late = late, ClaimedBy = instanceId });
        var days = (int)Math.Round((now - candidate.At).TotalDays);
        var data = new { nurturedEventId = candidate.EventId, reason = candidate.Reason, nurturedAt = candidate.At, days };
        db.Record(lead.Id, LeadEventType.RecycledBack, now, Actor.System, candidate.Reason, department: People.Department.MK, data: data);
        await services.GetRequiredService<LeadIntake>().RecycleAsync(lead, $"recycled: {candidate.Reason} {days} days ago", data, ct);
        // The lead's version is the concurrency token: a score update committing at the same moment wins, this rolls back.
        lead.Version++;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
