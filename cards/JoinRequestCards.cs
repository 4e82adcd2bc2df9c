using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>
/// The join request card on both platforms. Approve / Decline carry the request id: Teams in <c>data.handoffId</c>
/// (the key the Teams router reads for every card action's subject), Slack as the button's <c>value</c>.
/// </summary>
public static class JoinRequestCards
{
    private const int MaxValue = 300;

    public static JsonObject Adaptive(JoinRequestCardModel model)
    {
        var t = Texts.For(model.Language);
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = AdaptiveMarkdown.Escape(t.Title(model.Department)), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(Facts(model, t).Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = AdaptiveMarkdown.Escape(f.Value) }).ToArray()),
            },
        };
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (model.State == "Pending")
        {
            card["actions"] = new JsonArray
            {
                Execute(CardActions.JoinApprove, t.Approve, model.RequestId, "positive"),
                Execute(CardActions.JoinDecline, t.Decline, model.RequestId, "destructive"),
            };
        }
        else
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = AdaptiveMarkdown.Escape(t.Outcome(model)), ["wrap"] = true, ["weight"] = "Bolder" });
        }
        return card;
    }

    public static SlackMessage BlockKit(JoinRequestCardModel model)
    {
        var t = Texts.For(model.Language);
        var title = t.Title(model.Department);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "section", ["text"] = Mrkdwn($"*{SlackMrkdwn.Escape(title)}*") },
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(Facts(model, t).Select(f => (JsonNode)Mrkdwn($"*{f.Label}*\n{SlackMrkdwn.Escape(f.Value)}")).ToArray()),
            },
        };
        if (model.State == "Pending")
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = $"join:{model.RequestId}",
                ["elements"] = new JsonArray
                {
                    Button(CardActions.JoinApprove, t.Approve, model.RequestId, "primary"),
                    Button(CardActions.JoinDecline, t.Decline, model.RequestId, "danger"),
                },
            });
        }
        else
        {
            blocks.Add(new JsonObject { ["type"] = "context", ["elements"] = new JsonArray { Mrkdwn(SlackMrkdwn.Escape(t.Outcome(model))) } });
        }
        return new SlackMessage(SlackMrkdwn.Escape($"{title}: {model.Name}"), blocks);
    }

    private static IEnumerable<(string Label, string Value)> Facts(JoinRequestCardModel model, Texts t)
    {
        yield return (t.Name, Clip(model.Name));
        if (!string.IsNullOrWhiteSpace(model.Email))
        {
            yield return (t.Email, Clip(model.Email));
        }
        yield return (model.Platform, Clip(model.PlatformId));
        yield return (t.Code, model.Code);
    }

    private static JsonObject Execute(string verb, string title, string requestId, string style) => new()
    {
        ["type"] = "Action.Execute",
        ["id"] = verb,
        ["title"] = title,
        ["verb"] = verb,
        ["style"] = style,
        ["data"] = new JsonObject { [CardFields.HandoffId] = requestId },
    };

    private static JsonObject Button(string actionId, string text, string value, string style) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["value"] = value,
        ["style"] = style,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = text },
    };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Clip(string value) => TextClip.Clip(value, MaxValue);

    private sealed class Texts(bool ja)
    {
        public static Texts For(string language) => new(language.StartsWith("ja", StringComparison.OrdinalIgnoreCase));

        private string T(string en, string jp) => ja ? jp : en;

        public string Title(string department) => T($"Join request · {department}", $"参加リクエスト · {department}");
        public string Name => T("Name", "名前");
        public string Email => T("Email", "メール");
        public string Code => T("Request", "リクエスト");
        public string Approve => T("Approve", JapaneseTerms.Approve);
        public string Decline => T("Decline", JapaneseTerms.Decline);

        public string Outcome(JoinRequestCardModel model) => model.State switch
        {
            "Approved" => T($"Approved by {model.DecidedBy}", $"{model.DecidedBy} さんが{JapaneseTerms.Approve}しました"),
            "Declined" => T($"Declined by {model.DecidedBy}", $"{model.DecidedBy} さんが{JapaneseTerms.Decline}しました"),
            _ => model.State,
        };
    }
}
