using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>Renders view models as Adaptive Card 1.5 JSON for Teams (the card content, not the attachment).</summary>
public static class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Handoff(HandoffCardModel model)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = $"{model.KindLabel}: {model.Company}", ["weight"] = "Bolder", ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray
                {
                    Fact("Contact", model.ContactName),
                    Fact("Score", $"{model.Score} ({model.Temperature})"),
                    Fact("Routed", model.RoutingReason),
                    Fact("Deadline", $"{model.Deadline:yyyy-MM-dd HH:mm} ({model.TimeLeft})"),
                    Fact("State", model.State),
                },
            },
        };
        var card = Card(body);
        if (model.State == "Offered")
        {
            card["actions"] = new JsonArray
            {
                new JsonObject { ["type"] = "Action.Execute", ["title"] = "Accept", ["verb"] = CardActions.Accept, ["data"] = new JsonObject { ["handoffId"] = model.HandoffId } },
                new JsonObject { ["type"] = "Action.Execute", ["title"] = "Reject", ["verb"] = CardActions.Reject, ["data"] = new JsonObject { ["handoffId"] = model.HandoffId } },
            };
        }
        return card;
    }

    public static JsonObject Figures(FiguresCardModel model)
    {
        var body = new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = model.Title, ["weight"] = "Bolder", ["wrap"] = true } };
        foreach (var section in model.Sections)
        {
            var facts = new JsonArray();
            foreach (var row in section.Rows)
            {
                facts.Add(Fact(row.Label, row.Change is null ? row.Value : $"{row.Value} ({row.Change})"));
            }
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = section.Title, ["weight"] = "Bolder", ["wrap"] = true });
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }
        return Card(body);
    }

    public static JsonObject Text(string text) =>
        Card(new JsonArray { new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true } });

    private static JsonObject Card(JsonArray body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = body,
    };

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };
}
