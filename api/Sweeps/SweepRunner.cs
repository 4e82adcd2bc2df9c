using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TheModel.Api.Common;

namespace TheModel.Api.Sweeps;

/// <summary>
/// Runs a sweep: reads its due items batch by batch and sweeps each in a DI scope of its own, so one item's failure or
/// lost claim rolls back that item only. A claim lost to another instance (a concurrency conflict or a unique step
/// already inserted) is not an error: the winner did the step. Any other error is logged and the item stays due for the
/// next run. A short batch ends the run (nothing more is due), and so does the sweep's batch limit.
/// </summary>
public sealed class SweepRunner(IServiceScopeFactory scopes, ILogger<SweepRunner> logger)
{
    public async Task<TTally> RunAsync<TItem, TTally>(ISweep<TItem, TTally> sweep, DateTime nowUtc, string instanceId, CancellationToken ct)
        where TTally : ISweepTally<TTally>
    {
        var now = DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        var total = TTally.Zero;
        for (var batch = 0; batch < sweep.Batches.MaxPerRun; batch++)
        {
            var round = new SweepRound(now, instanceId, batch);
            IReadOnlyList<TItem> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                due = await sweep.DueAsync(scope.ServiceProvider, round, ct);
            }
            var done = TTally.Zero;
            foreach (var item in due)
            {
                done += await SweepOneAsync(sweep, item, round, ct);
            }
            total += done;
            if (due.Count < sweep.Batches.Size || !sweep.ReadsOnAfter(done))
            {
                break;
            }
        }
        if (total.Steps > 0)
        {
            logger.LogInformation("{Sweep} sweep: {Tally}", sweep.Name, sweep.Words(total));
        }
        return total;
    }

    private async Task<TTally> SweepOneAsync<TItem, TTally>(ISweep<TItem, TTally> sweep, TItem item, SweepRound round, CancellationToken ct)
        where TTally : ISweepTally<TTally>
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            // Counted only once committed: a step another instance claimed first is not ours.
            return await sweep.SweepAsync(scope.ServiceProvider, item, round, ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            // All of this item rolled back; the next run sees what the winner left.
            logger.LogDebug(ex, "{Sweep} sweep of {Item} not claimed by {Instance}: changed concurrently", sweep.Name, sweep.Describe(item), round.InstanceId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Sweep} sweep of {Item} failed; it stays due and is retried next round", sweep.Name, sweep.Describe(item));
        }
        return TTally.Zero;
    }
}
