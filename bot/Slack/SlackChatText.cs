using System.Text.RegularExpressions;
using TheModel.Bot.Chat;

namespace TheModel.Bot.Slack;

/// <summary>
/// Slack's message markup → <see cref="ChatText"/>: the leading app mention(s) <c>&lt;@U…&gt;</c> removed, links
/// unwrapped to what the user typed (<c>&lt;mailto:a@b.jp|a@b.jp&gt;</c> → <c>a@b.jp</c>, <c>&lt;http…|label&gt;</c> →
/// <c>label</c>), other user mentions kept as <c>@U…</c> with their ids listed.
/// </summary>
public static partial class SlackChatText
{
    public static ChatText Normalize(string? text)
    {
        var mentions = new List<string>();
        var plain = Markup().Replace(LeadingMention().Replace(text ?? "", ""), m =>
        {
            var target = m.Groups["target"].Value;
            if (UserMention().Match(target) is { Success: true } user)
            {
                mentions.Add(user.Groups["id"].Value);
            }
            return m.Groups["label"].Success ? m.Groups["label"].Value : target;
        });
        return new ChatText(plain.Trim(), mentions);
    }

    [GeneratedRegex(@"^\s*(<@[A-Z0-9]+(\|[^>]*)?>\s*)+")]
    private static partial Regex LeadingMention();

    [GeneratedRegex(@"<(?:mailto:)?(?<target>[^|>]+)(?:\|(?<label>[^>]*))?>")]
    private static partial Regex Markup();

    [GeneratedRegex(@"^@(?<id>[A-Z0-9]+)$")]
    private static partial Regex UserMention();
}
