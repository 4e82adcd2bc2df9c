using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Digest;

/// <summary>
/// Feedback reaches the sender: with the scheduled digest, the week's rejections go to the <em>sending</em>
/// department's baton channel(s) as one summary card — MK gets IS's reasons on MQLs, IS gets FS's on SQLs, FS gets
/// CS's on Won. Each card is claimed by its dedupe key (week, department, channel), so a second run or a second
/// instance queues nothing more.
/// </summary>
public sealed class WeeklyFeedback(TheModelDb db, OutboxWriter outbox, IOptions<DigestOptions> digest)
{
    public static string Key(Period week, Api.People.Department department, string channel) =>
        $"feedback:{week.FromUtc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}:{department}:{channel}";

    /// <summary>Queues the week's cards not queued yet; returns how many.</summary>
    public async Task<int> QueueAsync(Period week, CancellationToken ct = default)
    {
        var rejected = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Rejected && h.DecidedAt >= week.FromUtc && h.DecidedAt < week.ToUtc)
            .Join(db.Leads.AsNoTracking(), h => h.LeadId, l => l.Id, (h, l) => new { h.Kind, h.RejectReason, h.RejectNote, h.DecidedById, h.DecidedAt, l.Company, l.Name })
            .ToListAsync(ct);
        if (rejected.Count == 0)
        {
            return 0;
        }
        var deciders = rejected.Select(r => r.DecidedById).OfType<Guid>().Distinct().ToList();
        var names = await db.People.AsNoTracking().Where(p => deciders.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var t = ChatTexts.For(digest.Value.Language);
        var ja = t.Language == "ja";
        var queued = 0;
        foreach (var kind in rejected.GroupBy(r => r.Kind))
        {
            var from = kind.Key.From();
            var department = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == from, ct);
            var targets = new List<(string Channel, string Target)>();
            if (!string.IsNullOrWhiteSpace(department?.TeamsConversationId))
            {
                targets.Add((OutboxChannels.Teams, department.TeamsConversationId));
            }
            if (!string.IsNullOrWhiteSpace(department?.SlackChannelId))
            {
                targets.Add((OutboxChannels.Slack, department.SlackChannelId));
            }
            if (targets.Count == 0)
            {
                continue;
            }
            var to = t.DepartmentName(kind.Key.To());
            var model = new FeedbackCardModel
            {
                Title = ja ? $"{to}からのフィードバック（{ChatTexts.KindLabel(kind.Key)}）· {week.Label}"
                    : $"Feedback from {to} on your {ChatTexts.KindLabel(kind.Key)} · {week.Label}",
                Subtitle = ja ? $"{t.Rejected}: {kind.Count()}件" : $"{t.Rejected}: {kind.Count()}",
                Reasons = kind.GroupBy(r => r.RejectReason?.ToString() ?? "Other")
                    .Select(g => new FeedbackReason(t.Reason(g.Key), g.Count())).OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList(),
                NotesTitle = ja ? "メモ" : "Notes",
                Notes = kind.Where(r => !string.IsNullOrWhiteSpace(r.RejectNote)).OrderBy(r => r.DecidedAt).Take(FeedbackCards.MaxNotes)
                    .Select(r => new FeedbackNote(
                        string.IsNullOrWhiteSpace(r.Name) ? r.Company : $"{r.Company} — {r.Name}",
                        r.DecidedById is { } id && names.TryGetValue(id, out var name) ? name : "?",
                        t.Reason(r.RejectReason?.ToString() ?? "Other"), r.RejectNote!)).ToList(),
                Language = t.Language,
            };
            var payload = JsonSerializer.Serialize(model, JsonSerializerOptions.Web);
            foreach (var (channel, target) in targets)
            {
                var key = Key(week, from, channel);
                if (await db.Outbox.AnyAsync(m => m.DedupeKey == key, ct))
                {
                    continue;
                }
                outbox.Enqueue(channel, target, OutboxKinds.FeedbackWeekly, null, key, payload);
                queued++;
            }
        }
        if (queued > 0)
        {
            await db.SaveChangesAsync(ct);
        }
        return queued;
    }

    public static FeedbackCardModel? Read(string? payload)
    {
        try
        {
            return payload is null ? null : JsonSerializer.Deserialize<FeedbackCardModel>(payload, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
