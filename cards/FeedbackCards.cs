using System.Text.Json.Nodes;

namespace TheModel.Cards;

public sealed record FeedbackReason(string Reason, int Count);

/// <summary>One rejection with its note: the lead, who turned it down, why, and the note.</summary>
public sealed record FeedbackNote(string Lead, string By, string Reason, string Note);

/// <summary>
/// The week's feedback to a sending department: why the receiving department turned its leads down — counts
/// per reason and up to <see cref="FeedbackCards.MaxNotes"/> notes. Texts come localized; the renderers escape them.
/// </summary>
public sealed record FeedbackCardModel
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    /// <summary>"Budget: 3" rows, most frequent first.</summary>
    public required IReadOnlyList<FeedbackReason> Reasons { get; init; }
    public string NotesTitle { get; init; } = "";
    public IReadOnlyList<FeedbackNote> Notes { get; init; } = [];
    public required string Language { get; init; }
}

/// <summary>The feedback summary as an Adaptive Card (Teams) and as Block Kit (Slack).</summary>
public static class FeedbackCards
{
    public const int MaxNotes = 10;
    private const int MaxNote = 300;

    public static JsonObject Adaptive(FeedbackCardModel model)
    {
        var body = new JsonArray { Text(AdaptiveMarkdown.Escape(TextClip.Clip(model.Title, 200)), "Bolder", "Medium") };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            body.Add(Text(AdaptiveMarkdown.Escape(TextClip.Clip(model.Subtitle, 200)), null, null, subtle: true));
        }
        var facts = new JsonArray();
        foreach (var (reason, count) in model.Reasons.Select(r => (r.Reason, r.Count)))
        {
            facts.Add(new JsonObject { ["title"] = AdaptiveMarkdown.Escape(TextClip.Clip(reason, 100)), ["value"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        if (model.Notes.Count > 0)
        {
            body.Add(Text(AdaptiveMarkdown.Escape(model.NotesTitle), "Bolder", null));
            foreach (var note in model.Notes.Take(MaxNotes))
            {
                body.Add(Text(AdaptiveMarkdown.Escape(TextClip.Clip($"{note.Lead} · {note.Reason} · {note.By}: {note.Note}", MaxNote)), null, null));
            }
        }
        return new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
    }

    public static SlackMessage BlockKit(FeedbackCardModel model)
    {
        var lines = new List<string> { $"*{SlackMrkdwn.Escape(TextClip.Clip(model.Title, 200))}*" };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            lines.Add(SlackMrkdwn.Escape(TextClip.Clip(model.Subtitle, 200)));
        }
        lines.AddRange(model.Reasons.Select(r => $"• {SlackMrkdwn.Escape(TextClip.Clip(r.Reason, 100))}: {r.Count}"));
        var blocks = new JsonArray { Section(string.Join("\n", lines)) };
        if (model.Notes.Count > 0)
        {
            var notes = model.Notes.Take(MaxNotes).Select(n =>
                $"• {SlackMrkdwn.Escape(TextClip.Clip($"{n.Lead} · {n.Reason} · {n.By}: {n.Note}", MaxNote))}");
            blocks.Add(Section($"*{SlackMrkdwn.Escape(model.NotesTitle)}*\n{string.Join("\n", notes)}"));
        }
        return new SlackMessage(SlackMrkdwn.Escape(model.Title), blocks);
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = TextClip.Clip(mrkdwn, 2900) },
    };

    private static JsonObject Text(string text, string? weight, string? size, bool subtle = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (weight is not null)
        {
            block["weight"] = weight;
        }
        if (size is not null)
        {
            block["size"] = size;
        }
        if (subtle)
        {
            block["isSubtle"] = true;
        }
        return block;
    }
}
