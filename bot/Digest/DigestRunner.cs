using Microsoft.Extensions.Logging;
using TheModel.Api.Digests;
using TheModel.Api.Kpis;
using TheModel.Api.Telemetry;

namespace TheModel.Bot.Digest;

/// <summary>
/// The two ways a digest is posted. Scheduled: handed the scheduled time it is running for (the job reads the cron),
/// it posts the week before that time once, under <c>scheduled:{Monday}</c>, late when now is well past the scheduled
/// time (e.g. the bot was down). Manual: always posts, under a fresh <c>manual:{guid}</c>.
/// </summary>
public sealed class DigestRunner(
    DigestFigureQueries digests, DigestPoster poster, DigestOptions options, BotTelemetry telemetry, ILogger<DigestRunner> logger)
{
    /// <summary>Null when that week's scheduled digest was already claimed (nothing is computed then).</summary>
    public async Task<DigestPostResult?> RunScheduledAsync(DateTime scheduledAtUtc, DateTime nowUtc, string instance, CancellationToken ct = default)
    {
        var week = digests.LastCompleteWeek(scheduledAtUtc);
        var key = DigestPoster.ScheduledKey(poster.WeekStart(week));
        if (await poster.HasRunAsync(key, ct))
        {
            telemetry.DigestRun(manual: false, posted: false);
            return null;
        }
        var late = nowUtc - scheduledAtUtc > options.LateAfter;
        if (late)
        {
            logger.LogWarning("Digest for {Week} was due at {ScheduledAt:O} and runs late at {Now:O}", week.Label, scheduledAtUtc, nowUtc);
        }
        var digest = await digests.BuildAsync(week, ct);
        var result = await poster.PostAsync(digest, key, manual: false, late, instance, ct);
        telemetry.DigestRun(manual: false, posted: result.Status == DigestPostStatus.Posted);
        return result.Status == DigestPostStatus.Posted ? result : null;
    }

    public async Task<DigestPostResult> RunManualAsync(Period week, string requestedBy, CancellationToken ct = default)
    {
        var digest = await digests.BuildAsync(week, ct);
        var result = await poster.PostAsync(digest, DigestPoster.ManualKey(Guid.CreateVersion7()), manual: true, late: false, requestedBy, ct);
        telemetry.DigestRun(manual: true, posted: result.Status == DigestPostStatus.Posted);
        return result;
    }
}
