using Quartz;
using TheModel.Api.Digests;

namespace TheModel.Bot.Jobs;

/// <summary>
/// The weekly baton meeting digest. Fired by the cron trigger and once at start (catch-up); each run posts the week
/// owed by the most recent due time unless that week's scheduled run is already claimed in the database, so a
/// restart or a second instance never posts twice, and a run missed while the bot was down is posted once, late.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DigestJob(IServiceScopeFactory scopes, DigestSchedule schedule, TimeProvider time, JobsOptions options, ILogger<DigestJob> logger) : IJob
{
    public static readonly JobKey Key = new("weekly-digest", "digest");
    public static readonly TriggerKey Trigger = new("weekly-digest-cron", "digest");
    public static readonly TriggerKey CatchUpTrigger = new("weekly-digest-catch-up-at-start", "digest");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(time.GetUtcNow().UtcDateTime, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was claimed (claim and posts commit together), so the next trigger or start tries again.
            logger.LogError(ex, "Weekly digest run failed");
        }
    }

    /// <summary>Null when nothing was due or the due week was already posted.</summary>
    public async Task<DigestPostResult?> RunAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        if (schedule.LastAtOrBefore(nowUtc) is not { } due)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DigestRunner>().RunScheduledAsync(due, nowUtc, options.InstanceId, ct);
        if (result is null)
        {
            logger.LogDebug("Digest due at {Due:O} was already posted", due);
        }
        return result;
    }
}
