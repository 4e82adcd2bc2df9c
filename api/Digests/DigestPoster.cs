using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Kpis;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api.Digests;

/// <summary>Renders a digest for a chat channel (the bot's cards live outside the domain, so the bot supplies this).</summary>
public interface IDigestFormatter
{
    /// <summary><paramref name="language"/> is <c>en</c> or <c>ja</c>; <paramref name="late"/> marks a post sent after its scheduled time.</summary>
    DigestMessage Format(WeeklyDigest digest, string language, bool late);
}

/// <summary>What a channel gets: the text, and the figures card model (serialized as is into the outbox payload).</summary>
public sealed record DigestMessage(string Text, object Figures);

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
    TheModelDb db, Deliveries deliveries, IDigestFormatter formatter, IBusinessCalendar calendar, DigestOptions options,
    TimeProvider time, ILogger<DigestPoster> logger)
{
    /// <summary>Settings key prefix written by <c>link digest</c>: <c>digest-channel:teams</c>, <c>digest-channel:slack</c>.</summary>
    public const string ChannelKeyPrefix = "digest-channel:";

    public static string ScheduledKey(DateOnly weekStart) => $"scheduled:{weekStart:yyyy-MM-dd}";

    public static string ManualKey(Guid id) => $"manual:{id}";

    public static string DedupeKey(string runKey, string channel) => $"digest:{runKey}:{channel}";

    /// <summary>Monday of the week, in the calendar's time zone.</summary>
    public DateOnly WeekStart(Period week) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(week.FromUtc, DateTimeKind.Utc), calendar.TimeZone));

    public Task<bool> HasRunAsync(string runKey, CancellationToken ct = default) =>
        db.DigestRuns.AsNoTracking().AnyAsync(r => r.Key == runKey, ct);

    /// <summary>The linked digest channels, Teams first; a setting that cannot be read is logged and skipped.</summary>
    public async Task<IReadOnlyList<(string Channel, string ConversationId)>> ChannelsAsync(CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == ChannelKeyPrefix + OutboxChannels.Teams || s.Key == ChannelKeyPrefix + OutboxChannels.Slack)
            .OrderByDescending(s => s.Key)
            .Select(s => new { s.Key, s.Json })
            .ToListAsync(ct);
        var channels = new List<(string, string)>();
        foreach (var row in rows)
        {
            var channel = row.Key[ChannelKeyPrefix.Length..];
            string? conversationId = null;
            try
            {
                using var json = JsonDocument.Parse(row.Json);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("conversationId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    conversationId = id.GetString();
                }
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Digest channel setting {Key} is not valid JSON; skipped", row.Key);
            }
            if (string.IsNullOrWhiteSpace(conversationId))
            {
                logger.LogWarning("Digest channel setting {Key} has no conversationId; skipped", row.Key);
                continue;
            }
            channels.Add((channel, conversationId));
        }
        return channels;
    }

    public async Task<DigestPostResult> PostAsync(WeeklyDigest digest, string runKey, bool manual, bool late, string claimedBy,
        CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var channels = await ChannelsAsync(ct);
        var message = formatter.Format(digest, options.Language, late);
        var payload = JsonSerializer.Serialize(new
        {
            text = message.Text,
            figures = message.Figures,
            late,
            week = digest.Week.Label,
            runKey,
        }, JsonSerializerOptions.Web);
        db.DigestRuns.Add(new DigestRun { Key = runKey, WeekStart = WeekStart(digest.Week), RanAt = now, Manual = manual, ClaimedBy = claimedBy });
        foreach (var (channel, conversationId) in channels)
        {
            deliveries.Enqueue(channel, conversationId, OutboxKinds.DigestWeekly, null, DedupeKey(runKey, channel), payload, late: late);
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
                string.Join(", ", channels.Select(c => c.Channel)), late ? " (late)" : "");
        }
        return new DigestPostResult(DigestPostStatus.Posted, runKey, digest.Week, late, channels.Select(c => c.Channel).ToList());
    }
}
