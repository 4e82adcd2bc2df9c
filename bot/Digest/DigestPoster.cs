using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Conversations;
using TheModel.Api.Digests;
using TheModel.Api.Kpis;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Bot.Digest;

public enum DigestPostStatus
{
    Posted,
    /// <summary>The run key was claimed before (another instance, or an earlier start): nothing was queued.</summary>
    AlreadyPosted,
}

public sealed record DigestPostResult(DigestPostStatus Status, string RunKey, Period Week, bool Late, IReadOnlyList<string> Channels);

/// <summary>
/// Claims a digest run and queues one <c>digest.weekly</c> outbox row per linked digest channel, in one transaction:
/// the unique <see cref="DigestRun.Key"/> (and each row's dedupe key) means a week's scheduled digest is queued once,
/// however many instances try, and the outbox delivers it even if the process dies right after.
/// </summary>
public sealed class DigestPoster(
    TheModelDb db, OutboxWriter outbox, DigestChannels channelSettings, DigestFormatter formatter, IBusinessCalendar calendar, DigestOptions options,
    TimeProvider time, ILogger<DigestPoster> logger)
{
    public static string ScheduledKey(DateOnly weekStart) => $"scheduled:{weekStart:yyyy-MM-dd}";

    public static string ManualKey(Guid id) => $"manual:{id}";

    public static string DedupeKey(string runKey, string channel) => $"digest:{runKey}:{channel}";

    /// <summary>Monday of the week, in the calendar's time zone.</summary>
    public DateOnly WeekStart(Period week) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(week.FromUtc, DateTimeKind.Utc), calendar.TimeZone));

    public Task<bool> HasRunAsync(string runKey, CancellationToken ct = default) =>
        db.DigestRuns.AsNoTracking().AnyAsync(r => r.Key == runKey, ct);

    public async Task<DigestPostResult> PostAsync(DigestFigures digest, string runKey, bool manual, bool late, string claimedBy,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var channels = await channelSettings.ChannelsAsync(ct);
        var message = formatter.Format(digest, options.Language, late);
        var payload = JsonSerializer.Serialize(new DigestPayload(message.Text, message.Figures, late, digest.Week.Label, runKey),
            JsonSerializerOptions.Web);
        db.DigestRuns.Add(new DigestRun { Key = runKey, WeekStart = WeekStart(digest.Week), RanAt = now, Manual = manual, ClaimedBy = claimedBy });
        foreach (var (platform, conversationId) in channels)
        {
            outbox.Enqueue(platform.Key(), conversationId, OutboxKinds.DigestWeekly, null, DedupeKey(runKey, platform.Key()), payload, late: late);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            db.DiscardChanges();
            if (!await HasRunAsync(runKey, ct))
            {
                throw;
            }
            // Another instance claimed the same run first; its transaction queued the posts.
            logger.LogInformation(ex, "Digest run {RunKey} was already claimed; {Instance} posts nothing", runKey, claimedBy);
            return new DigestPostResult(DigestPostStatus.AlreadyPosted, runKey, digest.Week, late, []);
        }
        if (channels.Count == 0)
        {
            logger.LogWarning("Digest run {RunKey} for {Week}: no digest channel is linked (say `link digest` in a channel)", runKey, digest.Week.Label);
        }
        else
        {
            logger.LogInformation("Digest run {RunKey} for {Week} queued for {Channels}{Late}", runKey, digest.Week.Label,
                string.Join(", ", channels.Select(c => c.Platform.Key())), late ? " (late)" : "");
        }
        return new DigestPostResult(DigestPostStatus.Posted, runKey, digest.Week, late, channels.Select(c => c.Platform.Key()).ToList());
    }
}
