using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

public static partial class BlockKitRenderer
{
    /// <summary>Block Kit's limit for a home tab (and modal) view.</summary>
    public const int MaxHomeBlocks = 100;
    /// <summary>
    /// Lines per section of a home: three full sections of two blocks a line (open batons with Accept / Reject, accepted
    /// ones with the contact actions), the week and the team fit in <see cref="MaxHomeBlocks"/>. The builder cuts there
    /// too, so its "and N more" counts right.
    /// </summary>
    public const int MaxHomeLines = 13;

    /// <summary>
    /// The App Home (<c>views.publish</c>'s <c>view</c>, type <c>home</c>): the person's batons by section, open ones with
    /// Accept / Reject and accepted ones awaiting the first touch with the contact actions, both carrying the handoff
    /// card's action ids and values (so the card's handlers decide and log them), the
    /// department's week and, for a manager, their people. The builder caps the lists; <see cref="Limit"/> is the backstop.
    /// </summary>
    public static JsonObject Home(BatonsViewModel model)
    {
        var t = CardTexts.For(model.Language);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(TextClip.Clip(model.Title, MaxHeaderText)) },
        };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            blocks.Add(Context(Value(model.Subtitle)));
        }
        if (!string.IsNullOrWhiteSpace(model.Notice))
        {
            blocks.Add(Section(Value(model.Notice, MaxSectionText - 10)));
        }
        foreach (var section in model.Sections)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            blocks.Add(Section($"*{Value(section.Title)}*"));
            foreach (var line in section.Lines.Take(MaxHomeLines))
            {
                blocks.Add(Section(HomeLine(line)));
                if (line.Open)
                {
                    blocks.Add(new JsonObject
                    {
                        ["type"] = "actions",
                        ["block_id"] = $"handoff:{line.HandoffId}",
                        ["elements"] = new JsonArray
                        {
                            Button(t.Accept, CardActions.Accept, line.HandoffId, "primary"),
                            Button(t.Reject, CardActions.Reject, line.HandoffId, "danger"),
                        },
                    });
                }
                else if (line.ContactActions)
                {
                    blocks.Add(HomeContactButtons(line, t));
                }
            }
            if (!string.IsNullOrWhiteSpace(section.MoreText))
            {
                blocks.Add(Context(Value(section.MoreText)));
            }
        }
        if (model.Week is { Rows.Count: > 0 } week)
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            blocks.Add(Section($"*{Value(week.Title)}*"));
            blocks.Add(Fields(week.Rows.Select(r => Field(r.Label, Value(r.Value)))));
        }
        if (model.Team.Count > 0 && !string.IsNullOrWhiteSpace(model.TeamTitle))
        {
            blocks.Add(new JsonObject { ["type"] = "divider" });
            blocks.Add(Section($"*{Value(model.TeamTitle)}*"));
            // One section for the whole team: a big department must not eat the block budget.
            blocks.Add(Section(string.Join("\n", model.Team.Select(m => $"{(m.HasOverdue ? ":rotating_light: " : "")}*{Value(m.Name)}* — {Value(m.Counts)}"))));
        }
        return new JsonObject { ["type"] = "home", ["blocks"] = Limit(blocks, MaxHomeBlocks, t) };
    }

    /// <summary>
    /// The card's contact buttons (same <c>action_id</c>s, value the handoff id, <c>block_id</c> <c>contact:{id}</c>) without
    /// the note input: a view's block ids are unique, and one note box per line would crowd the home.
    /// </summary>
    private static JsonObject HomeContactButtons(BatonLine line, CardTexts t)
    {
        var buttons = new JsonArray();
        foreach (var action in CardActions.ContactLogs)
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = action,
                ["value"] = line.HandoffId,
                ["text"] = PlainText(TextClip.Clip(t.ContactActionLabel(action), MaxButtonText)),
            });
        }
        return new JsonObject { ["type"] = "actions", ["block_id"] = $"contact:{line.HandoffId}", ["elements"] = buttons };
    }

    private static string HomeLine(BatonLine line)
    {
        var when = string.IsNullOrWhiteSpace(line.TimeLeft) ? "" : line.Overdue ? $":rotating_light: *{Value(line.TimeLeft)}*" : Value(line.TimeLeft);
        var queue = line.Queue is null ? "" : $" · _{Value(line.Queue)}_";
        return $"*{Value(line.KindLabel)} · {Value(line.Company)}* — {Value(line.ContactName)}\n{when}{queue}".TrimEnd('\n');
    }
}
