using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Digests;
using TheModel.Api.Events;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Qualification;

/// <summary>Why the threshold was turned, as the history shows it.</summary>
public static class ThresholdReasons
{
    public const string DigestAdvice = "digest advice";
    public const string Chat = "chat";
    public const string Api = "api";
}

/// <summary>One turn of the valve: who, when, old → new, why.</summary>
public sealed record ThresholdChange(DateTime At, string By, int From, int To, string Why);

public enum ThresholdChangeStatus
{
    Done,
    /// <summary>Outside 0–100: nothing changed.</summary>
    OutOfRange,
    /// <summary>Someone may not turn the valve (an admin, or a manager of IS or MK, may).</summary>
    NotAllowed,
    /// <summary>Another change committed at the same moment: nothing of this one was kept.</summary>
    Conflict,
}

public sealed record ThresholdChangeResult(ThresholdChangeStatus Status, int From, int To);

/// <summary>The payload of a <c>threshold.changed</c> outbox row: the notice text (in the digest's language) and its facts.</summary>
public sealed record ThresholdNotice(string Text, int From, int To, string By, string Why);

/// <summary>
/// The MQL threshold as a valve turned in the meeting: a change goes through <see cref="QualificationSettings"/>, is a
/// <c>ThresholdChanged</c> event (who, old → new, why) and is announced in the digest channel(s), all in one SaveChanges.
/// The next intake reads the new value (the settings are read on every intake).
/// </summary>
public sealed class ThresholdValve(
    TheModelDb db, QualificationSettings settings, DigestChannels digestChannels, OutboxWriter outbox, PersonDirectory directory,
    IOptions<DigestOptions> digest, TimeProvider time)
{
    public const int MaxHistory = 20;

    /// <summary>An admin, or a manager of Inside Sales (whose capacity it protects) or Marketing (whose leads it gates).</summary>
    public bool MayTurn(Person? person) =>
        directory.IsAdmin(person) || directory.ManagesDepartment(person, Department.IS) || directory.ManagesDepartment(person, Department.MK);

    public async Task<ThresholdChangeResult> TurnAsync(int threshold, Person? person, string why, CancellationToken ct = default) =>
        MayTurn(person)
            ? await ChangeAsync(threshold, Actor.Person(person!.Id, person.Name), why, ct)
            : new ThresholdChangeResult(ThresholdChangeStatus.NotAllowed, (await settings.GetAsync(ct)).MqlThreshold, threshold);

    /// <summary>The change itself, for a caller whose right to make it is already checked (the admin API, or <see cref="TurnAsync"/>).</summary>
    public async Task<ThresholdChangeResult> ChangeAsync(int threshold, Actor actor, string why, CancellationToken ct = default)
    {
        var from = (await settings.GetAsync(ct)).MqlThreshold;
        if (threshold is < 0 or > 100)
        {
            return new(ThresholdChangeStatus.OutOfRange, from, threshold);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var row = await settings.StageAsync(new QualificationRules(threshold), ct);
        db.Record(Guid.Empty, LeadEventType.ThresholdChanged, now, actor, why, data: new { from, to = threshold, why });
        var ja = digest.Value.Language == "ja";
        var notice = new ThresholdNotice(
            ja ? $"MQL閾値を {from} → {threshold} に変更しました（{actor.Name}・{WhyJa(why)}）" : $"MQL threshold changed {from} → {threshold} by {actor.Name} ({why})",
            from, threshold, actor.Name, why);
        var payload = JsonSerializer.Serialize(notice, JsonSerializerOptions.Web);
        foreach (var (platform, conversationId) in await digestChannels.ChannelsAsync(ct))
        {
            outbox.Enqueue(platform.Key(), conversationId, OutboxKinds.ThresholdChanged, null, $"threshold:v{row.Version}:{platform.Key()}", payload);
        }
        try
        {
            await db.SaveChangesAsync(ct);
            return new(ThresholdChangeStatus.Done, from, threshold);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            db.DiscardChanges();
            return new(ThresholdChangeStatus.Conflict, from, threshold);
        }
    }

    public async Task<int> CurrentAsync(CancellationToken ct = default) => (await settings.GetAsync(ct)).MqlThreshold;

    /// <summary>The turns of the valve, latest first.</summary>
    public async Task<IReadOnlyList<ThresholdChange>> HistoryAsync(CancellationToken ct = default)
    {
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.Type == LeadEventType.ThresholdChanged)
            .OrderByDescending(e => e.Id).Take(MaxHistory)
            .Select(e => new { e.At, e.Actor, e.Reason, e.Data })
            .ToListAsync(ct);
        return rows.Select(r =>
        {
            var (from, to) = (0, 0);
            if (r.Data is not null)
            {
                using var json = JsonDocument.Parse(r.Data);
                from = json.RootElement.TryGetProperty("from", out var f) && f.TryGetInt32(out var fv) ? fv : 0;
                to = json.RootElement.TryGetProperty("to", out var t) && t.TryGetInt32(out var tv) ? tv : 0;
            }
            return new ThresholdChange(DateTime.SpecifyKind(r.At, DateTimeKind.Utc), r.Actor, from, to, r.Reason ?? "");
        }).ToList();
    }

    private static string WhyJa(string why) => why switch
    {
        ThresholdReasons.DigestAdvice => "ダイジェストの提案",
        ThresholdReasons.Chat => "チャット",
        ThresholdReasons.Api => "API",
        _ => why,
    };
}
