using System.Linq.Expressions;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TheModel.Api.Queue;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;

namespace TheModel.Api.Outbox;

public sealed class OutboxOptions
{
    /// <summary>Run the dispatcher loop in the background (tests turn it off and call <see cref="OutboxDispatcher.RunOnceAsync"/>).</summary>
    public bool AutoDispatch { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a claim holds before another instance may take the row (a crashed sender's rows come back).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public int BatchSize { get; set; } = 100;
    /// <summary>How many unrelated rows of a batch are sent at once (related ones always go one after another).</summary>
    public int Concurrency { get; set; } = 4;
    /// <summary>How long a row waits, at most, while requests are being answered (see <see cref="ForegroundWork"/>).</summary>
    public TimeSpan YieldToRequests { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// While requests came in this recently, the regular rounds send one row at a time (<see cref="Concurrency"/> only when
    /// the bot is otherwise idle): a send in flight when a click arrives delays its answer. Zero turns this off.
    /// </summary>
    public TimeSpan OneAtATimeAfterRequests { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// How long a row may keep failing for now (outage, 5xx, 429, a process dying while sending it) before it fails for
    /// good, counted from its first attempt: a platform down for less than this heals without anyone re-queuing.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Send what a person is waiting on (a Slack click's card update, a chat answer) ahead of the queue (<see cref="OutboxExpress"/>).</summary>
    public bool Express { get; set; } = true;
    public string InstanceId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

/// <summary>
/// Sends what the outbox holds, claimed through <see cref="OutboxQueue"/>: several instances never send the same row at
/// once; a claim that is never finished expires and the row is sent again (at-least-once, with platform-side
/// de-duplication where the platform offers it).
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, TimeProvider time, OutboxOptions options, OutboxQueue queue, ForegroundWork foreground, BotTelemetry telemetry,
    ILogger<OutboxDispatcher> logger)
{
    /// <summary>Held by a regular round's send while people are active (<see cref="OutboxOptions.OneAtATimeAfterRequests"/>).</summary>
    private readonly SemaphoreSlim whilePeopleAreActive = new(1, 1);

    /// <summary>
    /// Claims one batch of due rows and sends it; returns how many were processed. Rows that belong together (the same
    /// handoff: its card before the update of that card; the same person's chat) go one after another in queue order;
    /// unrelated ones go side by side, up to <see cref="OutboxOptions.Concurrency"/> at once. Outcomes are committed as
    /// they come in, several rows per write (one write per row would make the dispatcher the store's busiest writer).
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var claimed = (await queue.ClaimAsync(null, ct)).Rows;
        await SendAsync(claimed, yieldToRequests: true, options.Concurrency, ct);
        return claimed.Count;
    }

    /// <summary>
    /// The express lane: sends the given rows now, ahead of any backlog and without giving way to requests, when they are
    /// still due and nobody holds them (whoever does sends them; a row is never sent twice at once). For messages a person
    /// is waiting on, e.g. the update of the Slack card they have just clicked while thousands of new cards queue.
    /// Returns how many were sent.
    /// </summary>
    public async Task<int> SendNowAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return 0;
        }
        var claimed = (await queue.ClaimAsync(ids, ct)).Rows;
        // One at a time: the lane's share of the machine stays bounded while requests come in.
        await SendAsync(claimed, yieldToRequests: false, concurrency: 1, ct);
        return claimed.Count;
    }

    private async Task SendAsync(List<OutboxMessage> claimed, bool yieldToRequests, int concurrency, CancellationToken ct)
    {
        if (claimed.Count == 0)
        {
            return;
        }
        var outcomes = Channel.CreateUnbounded<OutboxMessage>(new UnboundedChannelOptions { SingleReader = true });
        var recording = RecordOutcomesAsync(outcomes.Reader);
        try
        {
            await Parallel.ForEachAsync(Related(claimed), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = ct },
                async (group, token) => await SendInOrderAsync(group, outcomes.Writer, yieldToRequests, token));
        }
        finally
        {
            outcomes.Writer.Complete();
            await recording;
        }
    }

    /// <summary>
    /// Commits outcomes as they arrive: whatever has come in since the last write goes in the next one. A crash before
    /// that write leaves the rows claimed; they are sent again when the lease runs out (at-least-once, as for a crash
    /// mid-send; posted cards are never posted twice, see the senders).
    /// </summary>
    private async Task RecordOutcomesAsync(ChannelReader<OutboxMessage> outcomes)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var notices = scope.ServiceProvider.GetRequiredService<OutboxFailureNotices>();
        // Not cancelled with the round: what was sent is recorded even while the host stops.
        while (await outcomes.WaitToReadAsync(CancellationToken.None))
        {
            var rows = new List<OutboxMessage>();
            while (outcomes.TryRead(out var message))
            {
                db.Outbox.Update(message);
                rows.Add(message);
            }
            // A row that turns failed is announced in the commit that records it: once, and never lost.
            var announced = 0;
            foreach (var failed in rows.Where(m => m.Status == OutboxStatus.Failed))
            {
                try
                {
                    announced += await notices.QueueAsync(failed, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Could not work out whom to tell that outbox {Id} failed", failed.Id);
                }
            }
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (Exception ex) when (announced > 0)
            {
                // The outcomes matter more than their announcement: record them alone.
                logger.LogError(ex, "Could not queue the announcement of failed outbox rows; recording their outcome without it");
                db.DiscardChanges();
                foreach (var message in rows)
                {
                    db.Outbox.Update(message);
                }
                await SaveOutcomesAsync(db, rows.Count);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not record the outcome of {Rows} outbox rows; they are sent again when their claim expires", rows.Count);
            }
            db.DiscardChanges();
        }
    }

    private async Task SaveOutcomesAsync(TheModelDb db, int rows)
    {
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record the outcome of {Rows} outbox rows; they are sent again when their claim expires", rows);
        }
    }

    /// <summary>
    /// Splits claimed rows into groups that must go one after another (each in queue order): rows of one handoff, and rows
    /// to one person (a first message may open their chat, which the next one then uses), transitively.
    /// </summary>
    internal static List<List<OutboxMessage>> Related(IReadOnlyList<OutboxMessage> messages)
    {
        var parent = Enumerable.Range(0, messages.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        var firstByKey = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            // A person's rows in any channel; rows with neither a handoff nor a person are related by where they go (a
            // channel's posts, one webhook URL).
            var toPerson = OutboxMessage.TryParsePersonTarget(m.Target, out _);
            string[] keys = (m.HandoffId, toPerson) switch
            {
                ({ } handoff, true) => [$"handoff:{handoff}", m.Target],
                ({ } handoff, false) => [$"handoff:{handoff}"],
                (null, true) => [m.Target],
                (null, false) => [$"{m.Channel}|{m.Target}"],
            };
            foreach (var key in keys)
            {
                if (firstByKey.TryGetValue(key, out var other))
                {
                    parent[Root(i)] = Root(other);
                }
                else
                {
                    firstByKey[key] = i;
                }
            }
        }
        return messages.Select((m, i) => (m, i)).GroupBy(x => Root(x.i)).OrderBy(g => g.Key)
            .Select(g => g.OrderBy(x => x.m.Id).Select(x => x.m).ToList()).ToList();
    }

    /// <summary>Sends related rows one after another, handing each outcome to the recorder.</summary>
    private async Task SendInOrderAsync(IReadOnlyList<OutboxMessage> group, ChannelWriter<OutboxMessage> outcomes, bool yieldToRequests, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var senders = scope.ServiceProvider.GetServices<IOutboxSender>().ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);
        foreach (var message in group)
        {
            // Requests are being answered (clicks, messages, an intake): let them go first (bounded, so sending never stalls).
            if (yieldToRequests && foreground.WhenQuietAsync() is { IsCompleted: false } quiet)
            {
                await Task.WhenAny(quiet, Task.Delay(options.YieldToRequests, time, ct));
            }
            var oneAtATime = yieldToRequests && options.OneAtATimeAfterRequests > TimeSpan.Zero && foreground.SeenWithin(options.OneAtATimeAfterRequests);
            if (oneAtATime)
            {
                await whilePeopleAreActive.WaitAsync(ct);
            }
            // The span covers the send only (not the wait above): its HTTP calls are its children.
            using var activity = BotTelemetry.StartSend(message);
            SendResult result;
            try
            {
                result = senders.TryGetValue(message.Channel, out var sender)
                    ? await SendSafelyAsync(sender, message, db, ct)
                    : new SendResult.Failed($"no sender for channel '{message.Channel}' (is it configured?)");
            }
            finally
            {
                if (oneAtATime)
                {
                    whilePeopleAreActive.Release();
                }
            }
            Apply(message, result, time.GetUtcNow().UtcDateTime);
            telemetry.SendFinished(activity, message);
            message.LockedBy = null;
            message.LockedUntil = null;
            await outcomes.WriteAsync(message, CancellationToken.None);
        }
    }

    private async Task<SendResult> SendSafelyAsync(IOutboxSender sender, OutboxMessage message, TheModelDb db, CancellationToken ct)
    {
        try
        {
            return await sender.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Outbox {Id} ({Kind} to {Channel}) threw", message.Id, message.Kind, message.Channel);
            // Whatever the sender left half-done in the unit of work (e.g. a store that lost a race) must not ride along
            // with this row's outcome.
            db.DiscardChanges();
            return new SendResult.Retry(ex.Message);
        }
    }

    /// <summary>Records the outcome; the attempt was counted when the row was claimed.</summary>
    private void Apply(OutboxMessage message, SendResult result, DateTime now)
    {
        switch (result)
        {
            case SendResult.Sent sent:
                message.Status = OutboxStatus.Sent;
                message.SentAt = now;
                message.ExternalRef = sent.ExternalRef;
                message.LastError = null;
                break;
            case SendResult.Skipped skipped:
                message.Status = OutboxStatus.Skipped;
                message.LastError = skipped.Why;
                break;
            case SendResult.Failed failed:
                message.Status = OutboxStatus.Failed;
                message.LastError = failed.Error;
                logger.LogError("Outbox {Id} ({Kind} to {Channel}:{Target}) failed for good: {Error}",
                    message.Id, message.Kind, message.Channel, message.Target, failed.Error);
                break;
            case SendResult.Retry retry when queue.NextAttemptAt(message, retry.After, now) is { } next:
                message.NextAttemptAt = next;
                message.LastError = retry.Error;
                logger.LogWarning("Outbox {Id} ({Kind} to {Channel}) will retry at {Next}: {Error}",
                    message.Id, message.Kind, message.Channel, message.NextAttemptAt, retry.Error);
                break;
            case SendResult.Retry retry:
                message.Status = OutboxStatus.Failed;
                message.LastError = $"gave up after {message.Attempts} attempts in {Duration(now - message.TryingSince)}: {retry.Error}";
                logger.LogError("Outbox {Id} ({Kind} to {Channel}) gave up: {Error}", message.Id, message.Kind, message.Channel, message.LastError);
                break;
        }
    }

    /// <summary>"26 h", "3 min", "40 s": for the reason a row gave up.</summary>
    internal static string Duration(TimeSpan span) => span switch
    {
        { TotalHours: >= 2 } => $"{Math.Floor(span.TotalHours):0} h",
        { TotalMinutes: >= 2 } => $"{Math.Floor(span.TotalMinutes):0} min",
        _ => $"{Math.Max(0, Math.Floor(span.TotalSeconds)):0} s",
    };
}

/// <summary>
/// The outbox as a <see cref="DurableQueue{TRow}"/>: the claim also stamps when the attempts started; a row is out of
/// tries once <see cref="OutboxOptions.GiveUpAfter"/> has passed since its first attempt (or the admin's re-queue,
/// <see cref="OutboxMessage.TryingSince"/>); a row given up on is announced to the admins in the same commit.
/// </summary>
public sealed class OutboxQueue(IServiceScopeFactory scopes, TimeProvider time, OutboxOptions options, ILogger<OutboxQueue> logger,
    QueueJitter? jitter = null) : DurableQueue<OutboxMessage>(scopes, time, jitter, logger)
{
    /// <summary>The longest wait between two attempts of our own choosing: a platform back after a short outage is tried again within minutes.</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the given attempt, before jitter.</summary>
    internal static TimeSpan Backoff(int attempts) => QueuePolicy.Backoff(attempts, MaxBackoff);

    public override QueuePolicy Policy { get; } = new()
    {
        Lease = options.Lease, BatchSize = options.BatchSize, MaxBackoff = MaxBackoff, InstanceId = options.InstanceId,
    };

    protected override IQueryable<OutboxMessage> Pending(TheModelDb db) => db.Outbox.Where(m => m.Status == OutboxStatus.Pending);

    protected override Expression<Func<OutboxMessage, bool>> OutOfTries(DateTime now)
    {
        var startedBefore = now - options.GiveUpAfter;
        return m => (m.RequeuedAt ?? m.FirstAttemptAt) < startedBefore;
    }

    protected override bool IsOutOfTries(OutboxMessage row, DateTime now) => now - row.TryingSince >= options.GiveUpAfter;

    /// <summary>
    /// The claim is the attempt's record, committed before any request leaves: a sender handed a row with more than one
    /// attempt knows an earlier one may have been delivered.
    /// </summary>
    protected override void OnClaim(UpdateSettersBuilder<OutboxMessage> set, DateTime now) => set
        .SetProperty(m => m.FirstAttemptAt, m => m.FirstAttemptAt ?? (DateTime?)now)
        .SetProperty(m => m.LastAttemptAt, now);

    protected override void SetFailed(UpdateSettersBuilder<OutboxMessage> set) => set.SetProperty(m => m.Status, OutboxStatus.Failed);

    protected override string CrashedReason(OutboxMessage row, DateTime now) =>
        $"process died while sending, {row.Attempts} times in {OutboxDispatcher.Duration(now - row.TryingSince)}";

    protected override Task AnnounceGiveUpAsync(OutboxMessage row, string reason, IServiceProvider services, CancellationToken ct)
    {
        row.Status = OutboxStatus.Failed;
        row.LastError = reason;
        return services.GetRequiredService<OutboxFailureNotices>().QueueAsync(row, ct);
    }

    protected override string Describe(OutboxMessage row) => $"Outbox {row.Id} ({row.Kind} to {row.Channel})";
}

/// <summary>
/// Rows someone is waiting on, sent by <see cref="OutboxDispatcher.SendNowAsync"/> as soon as they are handed over
/// (<see cref="Send"/>), beside the regular rounds. Only in memory and bounded: a row not sent this way (the lane is full
/// under a burst, a restart, another instance holding it) is still in the outbox and goes in its turn.
/// </summary>
public sealed class OutboxExpress
{
    /// <summary>Ids waiting for the lane; beyond this, rows go in their turn (a burst must not turn into foreground work).</summary>
    public const int Capacity = 100;

    private readonly Channel<long> queue = Channel.CreateBounded<long>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Whether a lane runs in this process (the dispatcher's host); without one, rows go in their turn.</summary>
    internal bool Running { get; set; }

    public void Send(IEnumerable<OutboxMessage> committed)
    {
        if (!Running)
        {
            return;
        }
        foreach (var message in committed)
        {
            if (message.Id > 0)
            {
                queue.Writer.TryWrite(message.Id);
            }
        }
    }

    /// <summary>Waits for handed-over ids and takes everything handed over by then (several rows per claim).</summary>
    internal async Task<IReadOnlyCollection<long>> NextAsync(int max, CancellationToken ct)
    {
        await queue.Reader.WaitToReadAsync(ct);
        var ids = new HashSet<long>();
        while (ids.Count < max && queue.Reader.TryRead(out var id))
        {
            ids.Add(id);
        }
        return ids;
    }
}

/// <summary>Runs the express lane until the host stops.</summary>
public sealed class OutboxExpressHost(OutboxDispatcher dispatcher, OutboxExpress express, OutboxOptions options, ILogger<OutboxExpressHost> logger)
    : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        express.Running = true;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.SendNowAsync(await express.NextAsync(options.BatchSize, stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The rows are still in the outbox: the regular rounds send them.
                logger.LogError(ex, "Express outbox send failed; the rows go in their turn");
            }
        }
    }
}

/// <summary>Runs the dispatcher until the host stops; wakes early when a commit queued something.</summary>
public sealed class OutboxDispatcherHost(OutboxDispatcher dispatcher, OutboxSignal signal, OutboxOptions options,
    TimeProvider time, ILogger<OutboxDispatcherHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Outbox dispatch round failed; will try again");
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
