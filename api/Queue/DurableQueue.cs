using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TheModel.Api.Store;

namespace TheModel.Api.Queue;

/// <summary>What one claim took: its token (the rows' <see cref="IQueueRow.LockedBy"/>) and the rows, in id order.</summary>
public sealed record QueueClaim<TRow>(string Token, List<TRow> Rows);

/// <summary>
/// A table of work that several instances run at least once. Rows are claimed atomically (a conditional UPDATE that
/// also counts the attempt, in its own commit before the work starts), so two claims never hold the same row; a claim
/// that ends without an outcome (the process died) runs out after the lease and the row is claimed again, until it is
/// out of tries: then it is given up on instead (it might otherwise take every instance down in turn, for ever).
/// Failed attempts retry after a backoff with jitter (<see cref="QueuePolicy.RetryWait"/>). Each queue says only what
/// differs: its table, when a row is out of tries, what the claim and giving up write and announce.
/// </summary>
public abstract class DurableQueue<TRow>(IServiceScopeFactory scopes, TimeProvider time, QueueJitter? jitter, ILogger logger)
    where TRow : class, IQueueRow
{
    private readonly QueueJitter jitter = jitter ?? new QueueJitter();

    public abstract QueuePolicy Policy { get; }

    /// <summary>The queue's rows still to run: its table (and channel), its pending status.</summary>
    protected abstract IQueryable<TRow> Pending(TheModelDb db);

    /// <summary>Rows out of tries at <paramref name="now"/>, in SQL: when such a row's claim runs out, it is given up on.</summary>
    protected abstract Expression<Func<TRow, bool>> OutOfTries(DateTime now);

    /// <summary>The rule of <see cref="OutOfTries"/> for a row whose attempt has just failed.</summary>
    protected abstract bool IsOutOfTries(TRow row, DateTime now);

    /// <summary>What the claim records beside the lease and the attempt count (e.g. when the attempts started).</summary>
    protected virtual void OnClaim(UpdateSettersBuilder<TRow> set, DateTime now)
    {
    }

    /// <summary>Sets the queue's own "failed for good" status.</summary>
    protected abstract void SetFailed(UpdateSettersBuilder<TRow> set);

    /// <summary>The <see cref="IQueueRow.LastError"/> of a row given up on because its holder died on its last try.</summary>
    protected abstract string CrashedReason(TRow row, DateTime now);

    /// <summary>Adds to <paramref name="services"/>' unit of work what giving up on <paramref name="row"/> announces: committed with it, or not at all.</summary>
    protected virtual Task AnnounceGiveUpAsync(TRow row, string reason, IServiceProvider services, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The row in log lines, e.g. "Outbox 12 (handoff.offered to slack)".</summary>
    protected abstract string Describe(TRow row);

    /// <summary>
    /// Claims due rows that nobody holds: the given ones, or the next batch in due order. Rows found with a claim that ran
    /// out while they were out of tries are given up on instead.
    /// </summary>
    public async Task<QueueClaim<TRow>> ClaimAsync(IReadOnlyCollection<long>? ids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var token = $"{Policy.InstanceId}:{Guid.NewGuid():N}";
        var leaseUntil = now + Policy.Lease;

        var due = ids?.ToList();
        if (due is null)
        {
            var next = await Pending(db).AsNoTracking()
                .Where(r => r.NextAttemptAt <= now && (r.LockedUntil == null || r.LockedUntil < now))
                // Due order, read straight off (Status, NextAttemptAt): ordering a backlog by Id would sort all of it each round.
                .OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Take(Policy.BatchSize)
                .Select(r => new { r.Id, Expired = r.LockedUntil != null })
                .ToListAsync(ct);
            due = next.Select(r => r.Id).ToList();
            var expired = next.Where(r => r.Expired).Select(r => r.Id).ToList();
            if (expired.Count > 0)
            {
                var crashed = await Crashed(db, expired, now).Select(r => r.Id).ToListAsync(ct);
                await GiveUpOnCrashedAsync(crashed, now, ct);
                due = due.Except(crashed).ToList();
            }
        }
        if (due.Count == 0)
        {
            return new QueueClaim<TRow>(token, []);
        }
        var claimed = await db.WriteAsync(t => Pending(db)
            // Re-checks every condition of "due": between our read and this update another instance may have run the row,
            // or tried it and pushed its next attempt out. A lease that ran out on a row out of tries is not claimed: the
            // round that finds it gives up on it (above).
            .Where(r => due.Contains(r.Id) && r.NextAttemptAt <= now)
            .Where(FreeToClaim(now))
            .ExecuteUpdateAsync(set =>
            {
                set.SetProperty(r => r.LockedBy, token)
                    .SetProperty(r => r.LockedUntil, leaseUntil)
                    .SetProperty(r => r.Attempts, r => r.Attempts + 1);
                OnClaim(set, now);
            }, t), ct);
        var rows = claimed == 0 ? [] : await db.Set<TRow>().AsNoTracking().Where(r => r.LockedBy == token).OrderBy(r => r.Id).ToListAsync(ct);
        return new QueueClaim<TRow>(token, rows);
    }

    /// <summary>
    /// When a claimed row whose attempt failed is tried next (<see cref="QueuePolicy.RetryWait"/>, never sooner than
    /// <paramref name="retryAfter"/>), or null when it is out of tries and fails for good.
    /// </summary>
    public DateTime? NextAttemptAt(TRow row, TimeSpan? retryAfter, DateTime now) =>
        IsOutOfTries(row, now) ? null : now + Policy.RetryWait(row.Attempts, retryAfter, jitter.NextShare());

    /// <summary>Nobody holds the row, or its claim ran out while it still had tries left.</summary>
    private Expression<Func<TRow, bool>> FreeToClaim(DateTime now)
    {
        Expression<Func<TRow, bool>> free = r => r.LockedUntil == null;
        Expression<Func<TRow, bool>> expired = r => r.LockedUntil < now;
        var outOfTries = OutOfTries(now);
        var row = free.Parameters[0];
        return Expression.Lambda<Func<TRow, bool>>(
            Expression.OrElse(free.Body, Expression.AndAlso(Rebind(expired, row), Expression.Not(Rebind(outOfTries, row)))), row);
    }

    private static Expression Rebind(LambdaExpression lambda, ParameterExpression row) =>
        new ParameterSwap(lambda.Parameters[0], row).Visit(lambda.Body);

    private sealed class ParameterSwap(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }

    /// <summary>The given rows, if still pending, with a claim that ran out, and out of tries.</summary>
    private IQueryable<TRow> Crashed(TheModelDb db, List<long> ids, DateTime now) =>
        Pending(db).Where(r => ids.Contains(r.Id) && r.LockedUntil < now).Where(OutOfTries(now));

    /// <summary>Marks each row failed, with its announcement in the same commit.</summary>
    private async Task GiveUpOnCrashedAsync(List<long> ids, DateTime now, CancellationToken ct)
    {
        foreach (var id in ids)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            var row = await Crashed(db, [id], now).AsNoTracking().FirstOrDefaultAsync(ct);
            if (row is null)
            {
                continue;
            }
            var reason = CrashedReason(row, now);
            await AnnounceGiveUpAsync(row, reason, scope.ServiceProvider, ct);
            var marked = await db.WriteAsync(async t =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(t);
                // Conditional, like the claim: another instance may have taken it or given up on it since the read.
                var n = await Crashed(db, [id], now).ExecuteUpdateAsync(set =>
                {
                    SetFailed(set);
                    set.SetProperty(r => r.LastError, reason)
                        .SetProperty(r => r.LockedBy, (string?)null)
                        .SetProperty(r => r.LockedUntil, (DateTime?)null);
                }, t);
                if (n > 0)
                {
                    await db.SaveChangesAsync(t);
                }
                await tx.CommitAsync(t);
                return n;
            }, ct);
            if (marked > 0)
            {
                logger.LogError("{Row} gave up: {Error}", Describe(row), reason);
            }
        }
    }
}
