using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Store;
using TheModel.Cards;

namespace TheModel.Bot.HandoffCards;

/// <summary>The lead's last Nurtured event before an MQL offer: why it went to nurture, when, by whom, with what note.</summary>
public sealed record NurturedBefore(DateTime At, string? Reason, string Actor, string? RejectNote, string? Data);

/// <summary>
/// The line on a recycled MQL's card that says why it is back (敗者復活戦): "rejected 90 days ago for bad timing by 佐藤:
/// 'next fiscal year'". Any MqlToIs offer of a lead that was nurtured before gets it, whether the recycle clock or a
/// score crossing the threshold brought it back.
/// </summary>
public static class RecycledLine
{
    /// <summary>By event order, not time: a lead nurtured and re-offered within the same instant still reads right.</summary>
    private static readonly Func<TheModelDb, Guid, Guid, CancellationToken, Task<NurturedBefore?>> LastNurtured =
        EF.CompileAsyncQuery((TheModelDb db, Guid leadId, Guid handoffId, CancellationToken _) =>
            db.Events.AsNoTracking()
                .Where(e => e.LeadId == leadId && e.Type == LeadEventType.Nurtured
                    && e.Id < db.Events.Where(o => o.LeadId == leadId && o.HandoffId == handoffId && o.Type == LeadEventType.HandoffOffered)
                        .Select(o => o.Id).FirstOrDefault())
                .OrderByDescending(e => e.Id)
                .Select(e => new NurturedBefore(e.At, e.Reason, e.Actor, db.Handoffs.Where(h => h.Id == e.HandoffId).Select(h => h.RejectNote).FirstOrDefault(), e.Data))
                .FirstOrDefault());

    public static async Task<NurturedBefore?> ReadAsync(TheModelDb db, Handoff handoff, CancellationToken ct) =>
        handoff.Kind == HandoffKind.MqlToIs ? await LastNurtured(db, handoff.LeadId, handoff.Id, ct) : null;

    /// <summary>The sentence in the reader's language, or null for a lead that was never nurtured.</summary>
    public static string? Text(NurturedBefore? back, DateTime offeredAt, bool ja)
    {
        if (back is null)
        {
            return null;
        }
        var days = Math.Max(0, (int)Math.Round((offeredAt - back.At).TotalDays));
        var lost = back.Reason == Api.Recycle.RecycleOptions.Lost;
        var note = lost ? LostReason(back.Data) : back.RejectNote;
        var reason = back.Reason is null || lost ? null : CardTexts.For(ja ? "ja" : "en").ReasonText(back.Reason);
        if (ja)
        {
            var what = lost ? $"{days}日前に失注（{back.Actor}）" : $"{days}日前に{back.Actor}が「{reason}」で{JapaneseTerms.Reject}";
            return note is null ? $"再来リード: {what}" : $"再来リード: {what}: 「{note}」";
        }
        var said = lost ? $"lost {days} days ago by {back.Actor}"
            : $"rejected {days} days ago for {(reason is null ? "no reason" : char.ToLowerInvariant(reason[0]) + reason[1..])} by {back.Actor}";
        return note is null ? $"Back from nurture: {said}" : $"Back from nurture: {said}: '{note}'";
    }

    private static string? LostReason(string? data)
    {
        if (data is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(data);
            return doc.RootElement.TryGetProperty("lostReason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
