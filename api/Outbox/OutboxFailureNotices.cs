using System.Text.Json;
using Microsoft.Extensions.Logging;
using TheModel.Api.Conversations;
using TheModel.Api.Digests;
using TheModel.Api.People;

namespace TheModel.Api.Outbox;

/// <summary>What an <c>outbox.failed</c> notice says: which row failed, why, and in which language to say it.</summary>
public sealed record OutboxFailureNotice(long FailedId, string Kind, string Channel, string Target, string? Error, int Attempts, string Language)
{
    public bool Japanese => Language == "ja";

    /// <summary>The notice as the admins read it (plain text; each platform escapes it its own way).</summary>
    public string Text() => Japanese
        ? $"⚠ 送信できなかったメッセージがあります: #{FailedId}（{Kind}、{Channel} → {Target}、{Attempts} 回試行）。理由: {Error}\n" +
          $"確認のうえ再送するには: POST /api/outbox/{FailedId}/retry（失敗の一覧: GET /api/outbox?status=failed）"
        : $"⚠ A message could not be delivered: #{FailedId} ({Kind}, {Channel} → {Target}, {Attempts} attempts). Reason: {Error}\n" +
          $"To send it again once the cause is fixed: POST /api/outbox/{FailedId}/retry (all failed: GET /api/outbox?status=failed)";

    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    /// <summary>The notice in a row's payload, or null when it is not one.</summary>
    public static OutboxFailureNotice? Read(string? payload)
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<OutboxFailureNotice>(payload, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Tells the admins, once, that an outbox row failed for good: an <c>outbox.failed</c> row to each linked digest channel
/// (one per platform), or when none is linked to each admin's direct chat. Queued in the caller's unit of work, so it
/// commits with the row's failure; its dedupe key (the row and the run of attempts that failed: a re-queued row that fails again is told again) makes it once. A notice
/// that fails itself is never announced.
/// </summary>
public sealed class OutboxFailureNotices(OutboxWriter outbox, DigestChannels digests, PersonDirectory people, DigestOptions digestOptions,
    ILogger<OutboxFailureNotices> logger)
{
    public static string DedupeKey(OutboxMessage failed, string channel, string target) =>
        $"{OutboxKinds.OutboxFailed}:{failed.Id}:{failed.TryingSince.Ticks}:{channel}:{target}";

    /// <summary>Queues the notices of <paramref name="failed"/>; returns how many.</summary>
    public async Task<int> QueueAsync(OutboxMessage failed, CancellationToken ct = default)
    {
        if (failed.Kind == OutboxKinds.OutboxFailed)
        {
            return 0;
        }
        var targets = new List<(string Channel, string Target, string Language)>();
        foreach (var (platform, conversationId) in await digests.ChannelsAsync(ct))
        {
            targets.Add((platform.Key(), conversationId, digestOptions.Language));
        }
        if (targets.Count == 0)
        {
            foreach (var admin in await people.AdminsAsync(ct))
            {
                foreach (var (channel, target) in await outbox.PersonTargetsAsync(admin.Id, ct))
                {
                    targets.Add((channel, target, admin.PrefersJapanese ? "ja" : "en"));
                }
            }
        }
        if (targets.Count == 0)
        {
            logger.LogWarning("Outbox {Id} ({Kind} to {Channel}) failed and nobody can be told: link a digest channel or give an admin a chat identity",
                failed.Id, failed.Kind, failed.Channel);
            return 0;
        }
        foreach (var (channel, target, language) in targets)
        {
            var notice = new OutboxFailureNotice(failed.Id, failed.Kind, failed.Channel, failed.Target, failed.LastError, failed.Attempts, language);
            outbox.Enqueue(channel, target, OutboxKinds.OutboxFailed, null, DedupeKey(failed, channel, target), notice.ToJson());
        }
        return targets.Count;
    }
}
