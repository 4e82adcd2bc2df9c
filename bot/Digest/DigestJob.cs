using Coravel.Invocable;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;
using TheModel.Bot.Jobs;

namespace TheModel.Bot.Digest;

/// <summary>
/// The weekly baton meeting digest. Coravel invokes it at start (catch-up) and every minute; each run posts the week
/// owed by the most recent due time (<see cref="DigestSchedule"/>) unless that week's scheduled run is already claimed
/// in the database, so a restart or a second instance never posts twice, and a run missed while the bot was down is
/// posted once, late. One instance per process remembers the due time it settled, so the minutes between due times
/// cost no query.
/// </summary>
public sealed class DigestJob(
    IServiceScopeFactory scopes, DigestSchedule schedule, TimeProvider time, IOptions<JobsOptions> options,
    IHostApplicationLifetime lifetime, ILogger<DigestJob> logger) : IInvocable
{
    public const string Name = "weekly-digest";

    // Written only by runs under Coravel's overlap lock (Name); a run that fails leaves it, so the next minute retries.
    private DateTime? settled;

    public async Task Invoke()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await RunAsync(time.GetUtcNow().UtcDateTime, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Nothing was claimed (claim and posts commit together), so the next run tries again.
            logger.LogError(ex, "Weekly digest run failed");
        }
    }

    /// <summary>Null when nothing was due or the due week was already posted.</summary>
    public async Task<DigestPostResult?> RunAsync(DateTime nowUtc, CancellationToken ct = default)
    {
        if (schedule.LastAtOrBefore(nowUtc) is not { } due || due == settled)
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<DigestRunner>().RunScheduledAsync(due, nowUtc, options.Value.InstanceId, ct);
        // The senders' feedback goes with the scheduled digest; its cards are claimed per week, so this is idempotent.
        await scope.ServiceProvider.GetRequiredService<WeeklyFeedback>().QueueAsync(
            scope.ServiceProvider.GetRequiredService<DigestFigureQueries>().LastCompleteWeek(due), ct);
        if (result is null)
        {
            logger.LogDebug("Digest due at {Due:O} was already posted", due);
        }
        settled = due;
        return result;
    }
}
