using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>A Slack message: fallback <c>text</c> (always set) and Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks);

/// <summary>Renders view models as Slack Block Kit.</summary>
public static class BlockKitRenderer
{
    /// <summary>Escapes a user- or CRM-supplied value for mrkdwn (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>).</summary>
    public static string Escape(string? value) =>
        (value ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    public static SlackMessage Handoff(HandoffCardModel model)
    {
        var text = $"{model.KindLabel}: {model.Company} — {model.ContactName} ({model.State})";
        var blocks = new JsonArray
        {
            Section($"*{Escape(model.KindLabel)}: {Escape(model.Company)}*\n{Escape(model.ContactName)} · {model.Score} ({model.Temperature})\n{Escape(model.RoutingReason)}\n{model.Deadline:yyyy-MM-dd HH:mm} ({Escape(model.TimeLeft)})"),
        };
        if (model.State == "Offered")
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = $"handoff:{model.HandoffId}",
                ["elements"] = new JsonArray
                {
                    Button("Accept", CardActions.Accept, model.HandoffId, "primary"),
                    Button("Reject", CardActions.Reject, model.HandoffId, "danger"),
                },
            });
        }
        return new SlackMessage(text, blocks);
    }

    /// <summary>The reject modal (<c>views.open</c> <c>view</c> object); its submission carries <paramref name="privateMetadata"/>.</summary>
    public static JsonObject RejectModal(HandoffCardModel model, string privateMetadata) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = CardActions.RejectSubmit,
        ["private_metadata"] = privateMetadata,
        ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Reject" },
        ["submit"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Reject" },
        ["close"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Cancel" },
        ["blocks"] = new JsonArray { Section(Escape($"{model.KindLabel}: {model.Company}")) },
    };

    public static SlackMessage Figures(FiguresCardModel model)
    {
        var blocks = new JsonArray { Section($"*{Escape(model.Title)}*") };
        foreach (var section in model.Sections)
        {
            blocks.Add(Section($"*{Escape(section.Title)}*\n" + string.Join("\n", section.Rows.Select(r => $"{Escape(r.Label)}: {Escape(r.Value)}"))));
        }
        return new SlackMessage(model.Title, blocks);
    }

    public static SlackMessage Text(string text) => new(text, new JsonArray { Section(Escape(text)) });

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    private static JsonObject Button(string text, string actionId, string value, string style) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["value"] = value,
        ["style"] = style,
        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = text },
    };
}
