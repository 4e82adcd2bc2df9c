using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.Queue;
using TheModel.Api.Store;

namespace TheModel.Bot.Slack;

/// <summary>Kinds of <see cref="InboundWork"/> the Slack worker runs.</summary>
public static class SlackWorkKinds
{
    public const string Event = "slack.event";
    public const string Command = "slack.command";
    public const string Interaction = "slack.interaction";
}

/// <summary>
/// The durable side of Slack's 3-second rule: a request is verified, written here, and acknowledged; the work
/// runs afterwards from the InboundWork table (docs/protocols/slack.md §2 "Avoiding duplicate processing").
/// </summary>
public sealed class SlackInbox(TheModelDb db, TimeProvider time, SlackWorkSignal signal)
{
    public const ChatPlatform Channel = ChatPlatform.Slack;

    public async Task EnqueueAsync(string kind, string payload, CancellationToken ct)
    {
        Add(kind, payload);
        await db.SaveChangesAsync(ct);
        signal.Notify();
    }

    /// <summary>
    /// Records <paramref name="eventId"/> and queues the event in one commit; false when it was already received
    /// (a retry, or another instance got it first). The receipt's primary key decides, so it holds across restarts.
    /// </summary>
    public async Task<bool> AcceptEventAsync(string eventId, string payload, CancellationToken ct)
    {
        if (await db.InboundReceipts.AsNoTracking().AnyAsync(r => r.Channel == Channel && r.EventId == eventId, ct))
        {
            return false;
        }
        db.InboundReceipts.Add(new InboundReceipt { Channel = Channel, EventId = eventId, ReceivedAt = time.GetUtcNow().UtcDateTime });
        Add(SlackWorkKinds.Event, payload);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Lost the race with another request/instance: the unique key said no, so nothing was queued.
            db.DiscardChanges();
            if (await db.InboundReceipts.AsNoTracking().AnyAsync(r => r.Channel == Channel && r.EventId == eventId, ct))
            {
                return false;
            }
            throw;
        }
        signal.Notify();
        return true;
    }

    private void Add(string kind, string payload)
    {
        var now = time.GetUtcNow().UtcDateTime;
        db.InboundWork.Add(new InboundWork { Channel = Channel, Kind = kind, Payload = payload, CreatedAt = now, NextAttemptAt = now });
    }
}

/// <summary>Wakes the worker as soon as something was queued.</summary>
public sealed class SlackWorkSignal
{
    private readonly OutboxSignal inner = new();

    public void Notify() => inner.Notify();

    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) => inner.WaitAsync(timeout, time, ct);
}

/// <summary>
/// The inbound work as a <see cref="DurableQueue{TRow}"/>: Slack's rows only; a row is out of tries after
/// <see cref="SlackOptions.MaxAttempts"/> attempts, at most <see cref="MaxBackoff"/> apart.
/// </summary>
public sealed class SlackWorkQueue(IServiceScopeFactory scopes, TimeProvider time, SlackOptions options, ILogger<SlackWorkQueue> logger,
    QueueJitter? jitter = null) : DurableQueue<InboundWork>(scopes, time, jitter, logger)
{
    /// <summary>The longest wait between two runs of a failing row of our own choosing (Slack's <c>Retry-After</c> may ask for more).</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    public override QueuePolicy Policy { get; } = new()
    {
        Lease = options.Lease, BatchSize = options.ClaimBatch, MaxBackoff = MaxBackoff, InstanceId = options.InstanceId,
    };

    protected override IQueryable<InboundWork> Pending(TheModelDb db) =>
        db.InboundWork.Where(w => w.Channel == SlackInbox.Channel && w.Status == InboundWorkStatus.Pending);

    protected override Expression<Func<InboundWork, bool>> OutOfTries(DateTime now)
    {
        var max = options.MaxAttempts;
        return w => w.Attempts >= max;
    }

    protected override bool IsOutOfTries(InboundWork row, DateTime now) => row.Attempts >= options.MaxAttempts;

    protected override void SetFailed(UpdateSettersBuilder<InboundWork> set) => set.SetProperty(w => w.Status, InboundWorkStatus.Failed);

    protected override string CrashedReason(InboundWork row, DateTime now) => $"process died while handling it, {row.Attempts} times";

    protected override string Describe(InboundWork row) => $"Slack work {row.Id} ({row.Kind})";
}

/// <summary>
/// Runs queued Slack work, claimed through <see cref="SlackWorkQueue"/>: two instances never run the same row; a claim
/// that is never finished expires and the row runs again.
/// </summary>
public sealed class SlackInboundWorker(IServiceScopeFactory scopes, TimeProvider time, SlackOptions options, SlackWorkQueue queue,
    ForegroundWork foreground, OutboxExpress express, ILogger<SlackInboundWorker> logger)
{
    /// <summary>Slack's last retry comes about 5 minutes after the first delivery; a day of receipts is ample.</summary>
    public static readonly TimeSpan KeepReceipts = TimeSpan.FromDays(1);
    public static readonly TimeSpan KeepFinishedWork = TimeSpan.FromDays(7);

    private DateTime lastPruned = DateTime.MinValue;

    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await PruneAsync(ct);
        var (claim, claimed) = await queue.ClaimAsync(null, ct);
        if (claimed.Count == 0)
        {
            return 0;
        }

        // Clicks are independent of each other (a decision race has one winner whatever the order), so they run side by
        // side and wait for the store together; a person's commands and messages are answered in the order they came.
        var clicks = claimed.Where(w => w.Kind == SlackWorkKinds.Interaction).ToList();
        var inOrder = claimed.Where(w => w.Kind != SlackWorkKinds.Interaction).ToList();
        var done = new System.Collections.Concurrent.ConcurrentBag<long>();
        await Task.WhenAll(
            Parallel.ForEachAsync(clicks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.InteractionConcurrency), CancellationToken = ct },
                async (work, token) => await RunOneAsync(work, claim, done, token)),
            RunInOrderAsync(inOrder, claim, done, ct));
        // The rows that ran through are marked done together: one write for the round, not one per row. (A crash before
        // this line runs them again after the lease; their effects are idempotent: decisions race-safe, replies deduped.)
        await FinishDoneAsync(done.ToList(), claim, ct);
        return claimed.Count;
    }

    private async Task RunInOrderAsync(List<InboundWork> works, string claim, System.Collections.Concurrent.ConcurrentBag<long> done, CancellationToken ct)
    {
        foreach (var work in works)
        {
            await RunOneAsync(work, claim, done, ct);
        }
    }

    private async Task RunOneAsync(InboundWork work, string claim, System.Collections.Concurrent.ConcurrentBag<long> done, CancellationToken ct)
    {
        // Each row in its own scope: a handler's failed unit of work must not leak into the next row.
        string? error = null;
        TimeSpan? after = null;
        using (foreground.Enter())
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
                await db.HoldConnectionAsync(ct);
                await scope.ServiceProvider.GetRequiredService<SlackWorkRunner>().RunAsync(work, ct);
                // The person sees the outcome in Slack only through these (the clicked card's update, the answer, "not
                // yours"): they go now, not behind whatever else the outbox holds.
                express.Send(db.OutboxCommitted.Where(m => m.Channel == OutboxChannels.Slack));
            }
            catch (SlackRetryException ex)
            {
                error = ex.Message;
                after = ex.After;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogError(ex, "Slack work {Id} ({Kind}) threw", work.Id, work.Kind);
                error = ex.Message;
            }
        }
        if (error is null)
        {
            done.Add(work.Id);
            return;
        }
        await FinishAsync(work, claim, error, after, ct);
    }

    private async Task FinishDoneAsync(List<long> ids, string claim, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        await db.WriteAsync(token => db.InboundWork.Where(w => ids.Contains(w.Id) && w.LockedBy == claim)
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Status, InboundWorkStatus.Done)
                .SetProperty(w => w.LastError, (string?)null)
                .SetProperty(w => w.LockedBy, (string?)null)
                .SetProperty(w => w.LockedUntil, (DateTime?)null), token), ct);
    }

    /// <summary>Forgets old receipts and finished work, at most once an hour.</summary>
    private async Task PruneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (now - lastPruned < TimeSpan.FromHours(1))
        {
            return;
        }
        lastPruned = now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var receiptsBefore = now - KeepReceipts;
        var workBefore = now - KeepFinishedWork;
        await db.WriteAsync(token => db.InboundReceipts.Where(r => r.Channel == SlackInbox.Channel && r.ReceivedAt < receiptsBefore).ExecuteDeleteAsync(token), ct);
        await db.WriteAsync(token => db.InboundWork.Where(w => w.Channel == SlackInbox.Channel && w.Status == InboundWorkStatus.Done && w.CreatedAt < workBefore)
            .ExecuteDeleteAsync(token), ct);
    }

    /// <summary>Records a failed run: tried again later (<see cref="SlackWorkQueue"/>), or failed for good when out of tries.</summary>
    private async Task FinishAsync(InboundWork work, string claim, string error, TimeSpan? after, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var next = queue.NextAttemptAt(work, after, time.GetUtcNow().UtcDateTime);
        if (next is null)
        {
            logger.LogError("Slack work {Id} ({Kind}) gave up after {Attempts} attempts: {Error}", work.Id, work.Kind, work.Attempts, error);
        }
        await db.WriteAsync(token => db.InboundWork.Where(w => w.Id == work.Id && w.LockedBy == claim)
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Status, next is null ? InboundWorkStatus.Failed : InboundWorkStatus.Pending)
                .SetProperty(w => w.LastError, error)
                .SetProperty(w => w.NextAttemptAt, next ?? work.NextAttemptAt)
                .SetProperty(w => w.LockedBy, (string?)null)
                .SetProperty(w => w.LockedUntil, (DateTime?)null), token), ct);
    }
}

/// <summary>Runs the worker until the host stops; wakes early when a request queued something.</summary>
public sealed class SlackInboundWorkerHost(SlackInboundWorker worker, SlackWorkSignal signal, SlackOptions options, TimeProvider time,
    ILogger<SlackInboundWorkerHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int ran;
                while ((ran = await worker.RunOnceAsync(stoppingToken)) > 0)
                {
                    if (ran < options.ClaimBatch && options.GatherDelay > TimeSpan.Zero)
                    {
                        await Task.Delay(options.GatherDelay, time, stoppingToken);
                    }
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Slack work round failed; will try again");
            }
            try
            {
                await signal.WaitAsync(options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
