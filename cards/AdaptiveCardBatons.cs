using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

public static partial class AdaptiveCardRenderer
{
    /// <summary>
    /// Lines per section of the my-batons card: with a reason form per open baton, two full sections of open batons
    /// stay well under the 28 KB a Teams card may take. The builder cuts there too, so its "and N more" counts right.
    /// </summary>
    public const int MaxBatonLines = 6;

    /// <summary>
    /// The Teams "my batons" card: the person's batons by section, Accept (<c>Action.Execute</c>) and Reject (a reason
    /// form) per open one, the contact actions per accepted one awaiting the first touch, the department's week, a manager's people, and a <c>refresh</c> for the person's own
    /// <c>29:</c> id, so opening the chat shows the current list (Universal Actions; docs/protocols/teams.md §4).
    /// </summary>
    public static JsonObject MyBatons(BatonsViewModel model)
    {
        var t = CardTexts.For(model.Language);
        var body = new JsonArray { TextBlock(Md(model.Title), size: "Medium", weight: "Bolder") };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            body.Add(TextBlock(Md(model.Subtitle), subtle: true, spacing: "None"));
        }
        if (!string.IsNullOrWhiteSpace(model.Notice))
        {
            body.Add(TextBlock(Md(model.Notice, MaxTextChars)));
        }
        foreach (var section in model.Sections)
        {
            var title = TextBlock(Md(section.Title), weight: "Bolder", spacing: "Medium");
            title["separator"] = true;
            body.Add(title);
            foreach (var line in section.Lines.Take(MaxBatonLines))
            {
                body.Add(TextBlock(BatonText(line), spacing: "Small"));
                if (line.Open)
                {
                    body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray { BatonAccept(line, t), BatonReject(line, t) } });
                }
                else if (line.ContactActions)
                {
                    body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = BatonContacts(line, t) });
                }
            }
            if (!string.IsNullOrWhiteSpace(section.MoreText))
            {
                body.Add(TextBlock(Md(section.MoreText), subtle: true, spacing: "None"));
            }
        }
        if (model.Week is { Rows.Count: > 0 } week)
        {
            var title = TextBlock(Md(week.Title), weight: "Bolder", spacing: "Medium");
            title["separator"] = true;
            body.Add(title);
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(week.Rows.Select(r => (JsonNode)Fact(r.Label, r.Value)).ToArray()) });
        }
        if (model.Team.Count > 0 && !string.IsNullOrWhiteSpace(model.TeamTitle))
        {
            var title = TextBlock(Md(model.TeamTitle), weight: "Bolder", spacing: "Medium");
            title["separator"] = true;
            body.Add(title);
            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray(model.Team.Select(m => (JsonNode)Fact(m.Name, m.Counts)).ToArray()) });
        }
        var card = Card(body);
        if (!string.IsNullOrWhiteSpace(model.TeamsUserId))
        {
            card["refresh"] = new JsonObject
            {
                ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = CardActions.MyBatonsRefresh, ["data"] = new JsonObject() },
                ["userIds"] = new JsonArray(model.TeamsUserId),
            };
        }
        return FitToLimit(card);
    }

    private static string BatonText(BatonLine line)
    {
        var when = string.IsNullOrWhiteSpace(line.TimeLeft) ? "" : line.Overdue ? $" · **{Md(line.TimeLeft)}**" : $" · {Md(line.TimeLeft)}";
        var queue = line.Queue is null ? "" : $" · _{Md(line.Queue)}_";
        return $"**{Md(line.KindLabel)} · {Md(line.Company)}** — {Md(line.ContactName)}{when}{queue}";
    }

    /// <summary>The handoff card's contact actions (same verbs and handoffId; ids unique per card), without the note input.</summary>
    private static JsonArray BatonContacts(BatonLine line, CardTexts t)
    {
        var actions = new JsonArray();
        foreach (var action in CardActions.ContactLogs)
        {
            actions.Add(new JsonObject
            {
                ["type"] = "Action.Execute",
                ["id"] = $"{action}:{line.HandoffId}",
                ["title"] = t.ContactActionLabel(action),
                ["verb"] = action,
                ["data"] = new JsonObject { [CardFields.HandoffId] = line.HandoffId, [CardFields.View] = CardFields.MyBatonsView },
            });
        }
        return actions;
    }

    private static JsonObject BatonAccept(BatonLine line, CardTexts t) => new()
    {
        ["type"] = "Action.Execute",
        ["id"] = $"{CardActions.MyBatonsAccept}:{line.HandoffId}",
        ["title"] = t.Accept,
        ["verb"] = CardActions.MyBatonsAccept,
        ["data"] = new JsonObject { [CardFields.HandoffId] = line.HandoffId },
    };

    private static JsonObject BatonReject(BatonLine line, CardTexts t)
    {
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["id"] = $"{CardActions.MyBatonsReject}.form:{line.HandoffId}",
            ["title"] = t.Reject,
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JsonArray
                {
                    ReasonChoiceSet(CardFields.ReasonFor(line.HandoffId), t),
                },
                ["actions"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Action.Execute",
                        ["id"] = $"{CardActions.MyBatonsReject}:{line.HandoffId}",
                        ["title"] = t.RejectSubmit,
                        ["verb"] = CardActions.MyBatonsReject,
                        ["associatedInputs"] = "auto",
                        ["data"] = new JsonObject { [CardFields.HandoffId] = line.HandoffId },
                    },
                },
            },
        };
    }
}
