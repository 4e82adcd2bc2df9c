using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Notices;

/// <summary>
/// The words of the notices the bot posts about a baton, in the reader's language (Japanese by default), the same on
/// Teams and Slack. Raw text, values included: each sender escapes them for its markup.
/// </summary>
public static class NoticeWords
{
    /// <summary>A channel has no one reader: it hears Japanese, like the cards.</summary>
    public static bool Japanese(Person? reader) => reader?.PrefersJapanese ?? true;

    public static string Reminder(bool ja, bool late = false) =>
        (ja ? $"⏰ リマインド：このバトンが{JapaneseTerms.Accept}を待っています。" : "⏰ Reminder: this baton is waiting for you.") + Late(ja, late);

    public static string Escalation(bool ja, bool late = false) =>
        (ja ? "🚨 エスカレーション：このバトンが期限を過ぎています。" : "🚨 Escalation: this baton is past its deadline.") + Late(ja, late);

    /// <summary>The banner over the card of a rejected baton, where the card shows who decided and the note.</summary>
    public static string Rejected(bool ja, string company, string reason) => ja
        ? $"「{company}」のバトンが{JapaneseTerms.Reject}されました（{reason}）。"
        : $"The baton for {company} was rejected ({reason}).";

    /// <summary>The rejection as one line without the card: who decided and the note are in it.</summary>
    public static string RejectedLine(HandoffCardModel model, string reason)
    {
        var by = model.Decision?.By?.Name ?? "?";
        var note = model.Decision?.Note is { Length: > 0 } n ? $" — {n}" : "";
        return model.Language == "ja"
            ? $"{model.KindLabel}: {model.Company}（{model.ContactName}）は {by} さんに{JapaneseTerms.Reject}されました。理由: {reason}{note}"
            : $"{model.KindLabel}: {model.Company} ({model.ContactName}) was rejected by {by}. Reason: {reason}{note}";
    }

    public static string ReasonRequired(bool ja) => ja ? $"{JapaneseTerms.Reject}の理由を選んでください。" : "Choose a reason to reject.";

    /// <summary>A step the sweep owed while the bot was down says so: the deadline it speaks of may be long past.</summary>
    private static string Late(bool ja, bool late) => !late ? "" : ja ? "（遅れて送信）" : " (sent late)";
}
