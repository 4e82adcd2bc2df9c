using TheModel.Api.Leads;
using TheModel.Api.Outbox;

namespace TheModel.Api.Customers;

/// <summary>
/// The renewal reminder and escalation as plain text (the senders escape it for their platform): they point at the
/// renewal card, which the notice posted with its Renewed / Churned / Upsold actions, and at the chat commands.
/// (The notice's words are the card's text fallback.)
/// </summary>
public static class RenewalTexts
{
    public static string For(string kind, RenewalStepPayload step, Lead lead, bool ja)
    {
        // The step key carries the calendar's date of the renewal: renewal:2027-11-16:notice.
        var parts = step.Step.Split(':');
        var date = parts.Length > 1 ? parts[1] : step.DueAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var who = string.IsNullOrWhiteSpace(lead.Name) ? lead.Company : $"{lead.Company} ({lead.Name})";
        var handle = string.IsNullOrWhiteSpace(lead.Email) ? lead.Company : lead.Email;
        var record = ja
            ? $"更新カードで結果を記録してください（チャットでも: 更新 / 解約 / アップセル {handle} …）。"
            : $"Record the outcome on the renewal card (or in chat: renewed / churned / upsold {handle} …).";
        return (kind, ja) switch
        {
            (OutboxKinds.RenewalEscalation, true) => $"⚠️ 更新期日です（エスカレーション）: {who} の契約更新日 {date} を過ぎました。{record}",
            (OutboxKinds.RenewalEscalation, false) => $"⚠️ Renewal due (escalation): {who} reached its renewal date {date}. {record}",
            (OutboxKinds.RenewalReminder, true) => $"⏰ 更新のリマインド: {who} の契約更新日は {date} です。{record}",
            (OutboxKinds.RenewalReminder, false) => $"⏰ Renewal reminder: {who} renews on {date}. {record}",
            (_, true) => $"🔔 更新のお知らせ: {who} の契約更新日は {date} です。{record}",
            _ => $"🔔 Renewal coming up: {who} renews on {date}. {record}",
        };
    }
}
