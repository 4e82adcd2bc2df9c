using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>
/// The few sentences the Slack adapter says itself, in the reader's language (Japanese by default). They are neutral
/// text, values included: whoever puts them into mrkdwn escapes them (<see cref="SlackMrkdwn"/>).
/// </summary>
public static class SlackTexts
{
    public static bool Japanese(Person? person, string? locale = null) =>
        person?.PrefersJapanese ?? (locale is null || locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase));

    public static string NotYours(bool ja) => ja
        ? $"このバトンはあなた宛てではありません。担当者（またはそのマネージャー）だけが{JapaneseTerms.Accept}・{JapaneseTerms.Reject}できます。"
        : "This baton isn't yours: only its assignee (or their manager) can accept or reject it.";

    public static string UnknownPerson(bool ja) => ja
        ? "あなたの Slack アカウントはまだメンバー名簿に紐づいていません。管理者に登録を依頼してください。"
        : "Your Slack account isn't linked to the directory yet: ask an admin to add you.";

    public static string NotFound(bool ja) => ja ? "このバトンは見つかりません。" : "This baton no longer exists.";

    public static string Outcome(bool ja, Handoff? handoff) => handoff?.State switch
    {
        HandoffState.Accepted => ja ? $"このバトンはすでに{JapaneseTerms.Accept}されています。" : "This baton has already been accepted.",
        HandoffState.Rejected => ja ? $"このバトンはすでに{JapaneseTerms.Reject}済みです。" : "This baton has already been rejected.",
        HandoffState.Expired => ja ? $"このバトンは期限切れで{JapaneseTerms.Reassign}されました。" : "This baton expired and was offered to someone else.",
        _ => ja ? "このバトンはすでに処理されています。" : "This baton has already been decided.",
    };

    public static string NoteTooLong(bool ja) => ja
        ? $"メモは {InputLimits.Note} 文字以内にしてください。"
        : $"The note may be at most {InputLimits.Note} characters.";
}
