using System.Net;
using System.Text.RegularExpressions;
using TheModel.Bot.Chat;

namespace TheModel.Bot.Teams;

/// <summary>
/// A Teams message activity → <see cref="ChatText"/>: the bot's own <c>&lt;at&gt;…&lt;/at&gt;</c> removed, the HTML
/// markup stripped and decoded, other users' mentions kept as their names with their ids (from the mention entities) listed.
/// </summary>
public static partial class TeamsChatText
{
    public static ChatText Normalize(Activity activity)
    {
        var text = activity.Text ?? "";
        var mentions = new List<string>();
        foreach (var mention in activity.Entities ?? [])
        {
            if (mention.Type != "mention")
            {
                continue;
            }
            if (mention.Mentioned?.Id == activity.Recipient?.Id)
            {
                if (!string.IsNullOrEmpty(mention.Text))
                {
                    text = text.Replace(mention.Text, " ", StringComparison.Ordinal);
                }
            }
            else if (mention.Mentioned?.Id is { Length: > 0 } id && !mentions.Contains(id))
            {
                mentions.Add(id);
            }
        }
        text = Tags().Replace(text, " ");
        return new ChatText(Spaces().Replace(WebUtility.HtmlDecode(text), " ").Trim(), mentions);
    }

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
