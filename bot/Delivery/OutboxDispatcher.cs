using Microsoft.EntityFrameworkCore;
using TheModel.Api.Outbox;
using TheModel.Api.Store;

namespace TheModel.Bot.Delivery;

public sealed class OutboxOptions
{
    /// <summary>Run the dispatcher loop in the background (tests turn it off and call <see cref="OutboxDispatcher.RunOnceAsync"/>).</summary>
    public bool AutoDispatch { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>How long a claim holds before another instance may take the row (a crashed sender's rows come back).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public int BatchSize { get; set; } = 20;
    public int MaxAttempts { get; set; } = 10;
    public string InstanceId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

/// <summary>
/// Sends what the outbox holds. Rows are claimed atomically (conditional UPDATE), so several instances never send
/// the same row at once; a claim that is never finished expires and the row is sent again (at-least-once, with
/// platform-side de-duplication where the platform offers it). Retries back off exponentially, never sooner than
/// the platform's <c>Retry-After</c>.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, TimeProvider time, OutboxOptions options, ILogger<OutboxDispatcher> logger)
{
    /// <summary>Claims and sends one batch of due rows; returns how many were processed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var senders = scope.ServiceProvider.GetServices<IOutboxSender>().ToDictionary(s => s.Channel, StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow().UtcDateTime;
        var claim = $"{options.InstanceId}:{Guid.NewGuid():N}";
        var leaseUntil = now + options.Lease;

        var due = await db.Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .OrderBy(m => m.Id).Take(options.BatchSize).Select(m => m.Id).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }
        await db.Outbox
            // Re-checks every condition of "due": between our read and this update another instance may have sent the
            // row, or tried it and pushed its next attempt out.
            .Where(m => due.Contains(m.Id) && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now && (m.LockedUntil == null || m.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, claim).SetProperty(m => m.LockedUntil, leaseUntil), ct);
        var claimed = await db.Outbox.Where(m => m.LockedBy == claim).OrderBy(m => m.Id).ToListAsync(ct);

        foreach (var message in claimed)
        {
            var result = senders.TryGetValue(message.Channel, out var sender)
                ? await SendSafelyAsync(sender, message, ct)
                : new SendResult.Failed($"no sender for channel '{message.Channel}' (is it configured?)");
            Apply(message, result, time.GetUtcNow().UtcDateTime);
            message.LockedBy = null;
            message.LockedUntil = null;
            await db.SaveChangesAsync(ct);
        }
        return claimed.Count;
    }

    private async Task<SendResult> SendSafelyAsync(IOutboxSender sender, OutboxMessage message, CancellationToken ct)
    {
        try
        {
            return await sender.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Outbox {Id} ({Kind} to {Channel}) threw", message.Id, message.Kind, message.Channel);
            return new SendResult.Retry(ex.Message);
        }
    }

    private void Apply(OutboxMessage message, SendResult result, DateTime now)
    {
        message.Attempts++;
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
            case SendResult.Retry retry when message.Attempts >= options.MaxAttempts:
                message.Status = OutboxStatus.Failed;
                message.LastError = $"gave up after {message.Attempts} attempts: {retry.Error}";
                logger.LogError("Outbox {Id} ({Kind} to {Channel}) gave up: {Error}", message.Id, message.Kind, message.Channel, retry.Error);
                break;
            case SendResult.Retry retry:
                var backoff = Backoff(message.Attempts);
                message.NextAttemptAt = now + (retry.After is { } after && after > backoff ? after : backoff);
                message.LastError = retry.Error;
                logger.LogWarning("Outbox {Id} ({Kind} to {Channel}) will retry at {Next}: {Error}",
                    message.Id, message.Kind, message.Channel, message.NextAttemptAt, retry.Error);
                break;
        }
    }

    /// <summary>2 s, 4 s, 8 s … capped at 10 minutes.</summary>
    internal static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(600, Math.Pow(2, Math.Clamp(attempts, 1, 10))));
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
