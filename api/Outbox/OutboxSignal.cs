using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TheModel.Api.Outbox;

/// <summary>Wakes the dispatcher as soon as a commit has queued messages, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>Notified and not yet waited for.</summary>
    internal bool Pending => signal.CurrentCount > 0;

    public void Notify()
    {
        if (signal.CurrentCount == 0)
        {
            try { signal.Release(); } catch (SemaphoreFullException) { /* already signalled */ }
        }
    }

    /// <summary>Waits until notified or <paramref name="timeout"/> passes on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var delay = Task.Delay(timeout, time, cts.Token);
        var woken = signal.WaitAsync(cts.Token);
        await Task.WhenAny(delay, woken);
        await cts.CancelAsync();
        ct.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// After a successful save that added outbox rows, pokes <see cref="OutboxSignal"/>; when the save ran inside a
/// transaction, once that transaction has committed (before, the dispatcher could not see the rows yet). One instance
/// serves every context (the store's options are built once), so what it saw before the save is kept on the context.
/// </summary>
public sealed class OutboxSignalInterceptor(OutboxSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saw(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saw(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private static void Saw(DbContext? context)
    {
        if (context is not Store.TheModelDb db)
        {
            return;
        }
        // Added rows are known without change detection; SaveChanges detects changes itself right after this.
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            // Inside a transaction an earlier save's rows may still wait for the commit; outside, a failed save's rows are gone.
            if (db.Database.CurrentTransaction is null)
            {
                db.OutboxSaving.Clear();
            }
            db.OutboxSaving.AddRange(db.UntrackedOutboxRows);
            foreach (var entry in tracker.Entries<OutboxMessage>())
            {
                if (entry.State == EntityState.Added)
                {
                    db.OutboxSaving.Add(entry.Entity);
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }
    }

    private void Saved(DbContext? context)
    {
        if (context is Store.TheModelDb { OutboxSaving.Count: > 0 } db && db.Database.CurrentTransaction is null)
        {
            Committed(db);
        }
    }

    private void Committed(DbContext? context)
    {
        if (context is Store.TheModelDb { OutboxSaving.Count: > 0 } db)
        {
            db.OutboxCommitted.AddRange(db.OutboxSaving);
            db.OutboxSaving.Clear();
            signal.Notify();
        }
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Forget(DbContext? context)
    {
        if (context is Store.TheModelDb db)
        {
            db.OutboxSaving.Clear();
        }
    }
}
