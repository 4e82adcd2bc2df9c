using System.Globalization;
using System.Text;
using TheModel.Api.People;
using TheModel.Api.Qualification;

namespace TheModel.Bot.Chat;

/// <summary>
/// The valve in chat (<c>threshold 75</c> / <c>閾値 75</c>) and on the digest's advice button: the same rule
/// (<see cref="ThresholdValve"/>), answered privately to the person who asked.
/// </summary>
public static class ThresholdAnswers
{
    public static async Task<ChatReply> AnswerAsync(ThresholdValve valve, int? value, Person? person, string language, string why, CancellationToken ct)
    {
        var ja = language == "ja";
        string T(string en, string jp) => ja ? jp : en;
        if (value is not { } threshold)
        {
            return new ChatReply { Text = await ShowAsync(valve, ja, ct), Private = true };
        }
        var result = await valve.TurnAsync(threshold, person, why, ct);
        var text = result.Status switch
        {
            ThresholdChangeStatus.Done => T($"MQL threshold {result.From} → {result.To}. Announced in the digest channel; the next intake uses it.",
                $"MQL閾値を {result.From} → {result.To} に変更しました。ダイジェストチャンネルに告知し、次の取り込みから適用されます。"),
            ThresholdChangeStatus.NotAllowed => T("Not yours: only an admin or a manager of IS or MK can turn the MQL threshold.",
                "権限がありません: MQL閾値を変更できるのは管理者、またはIS・MKのマネージャーです。"),
            ThresholdChangeStatus.OutOfRange => T($"The MQL threshold must be between 0 and 100 (was {threshold}); nothing changed.",
                $"MQL閾値は0〜100で指定してください（{threshold}）。変更していません。"),
            _ => T("Someone changed the threshold at the same moment; nothing changed. Try again.", "同時に別の変更がありました。変更していません。もう一度お試しください。"),
        };
        return new ChatReply { Text = text, Private = true };
    }

    private static async Task<string> ShowAsync(ThresholdValve valve, bool ja, CancellationToken ct)
    {
        var current = await valve.CurrentAsync(ct);
        var text = new StringBuilder(ja ? $"MQL閾値: {current}" : $"MQL threshold: {current}");
        foreach (var change in await valve.HistoryAsync(ct))
        {
            var at = change.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            text.Append("\n• ").Append($"{at} UTC · {change.From} → {change.To} · {change.By} · {change.Why}");
        }
        return text.ToString();
    }
}
