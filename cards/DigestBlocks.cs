using System.Globalization;
using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>
/// The weekly digest in Block Kit. Slack has no collapsible blocks, so the channel gets the summary — the
/// week, the bottleneck, the chain with ▲▼→, the dropped balls with their assignees mentioned — and the details go
/// as a reply in its thread (<see cref="DigestDetails"/>), next to the two chart images.
/// </summary>
public static partial class BlockKitRenderer
{
    /// <summary>Dropped balls listed by name in the summary; the rest are counted ("and N more").</summary>
    public const int MaxDroppedInSummary = 5;

    /// <summary>The channel message: headline first. With <paramref name="withDetails"/> (a chat answer, which has no thread of its own) the details follow in the same message.</summary>
    public static SlackMessage DigestSummary(DigestCardModel model, bool withDetails = false)
    {
        var t = CardTexts.For(model.Language);
        var blocks = Heading(model.Title, model.Subtitle, model.Callout);
        if (model.Headline.Count > 0)
        {
            blocks.Add(Fields(model.Headline.Take(MaxFields).Select(f =>
                Field(f.Label, $"*{Value(f.Value)}* {DigestAdaptiveCard.ArrowText(f.Arrow)} {Value(f.Change)}".TrimEnd()))));
        }
        // Right under the figures: the advice and the button that does it.
        if (model.Advice is { } advice)
        {
            blocks.Add(Section($":bulb: {Value(advice.Text, MaxSectionText - 20)}"));
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = "digest:advice",
                ["elements"] = new JsonArray
                {
                    Button(advice.Button, CardActions.DigestSetThreshold, advice.Threshold.ToString(CultureInfo.InvariantCulture), "primary"),
                },
            });
        }
        if (model.Chain is { Bars.Count: > 0 } chain)
        {
            // The chart images come in the thread; this text chart is what every client shows at once.
            var bars = chain.Bars.Select(b => new BarDatum(b.Label, b.ThisWeek,
                b.Average is { } avg ? $"{Number(b.ThisWeek)} ({chain.AverageLabel} {Number(avg)})" : Number(b.ThisWeek))).ToList();
            blocks.Add(Section($"*{Value(chain.Title)}*\n```\n{BarChart(bars)}\n```"));
        }
        var dropped = new List<string> { $"{(model.HasDroppedBalls ? ":warning: " : "")}*{Value(model.DroppedHeadline)}*" };
        dropped.AddRange(model.Dropped.Take(MaxDroppedInSummary).Select(b =>
            $"• {(b.Assignee is { } person ? Mention(person) : Value(b.AssigneeText))} · {Value(b.Lead)} · {Value(b.Detail)}"));
        if (!string.IsNullOrWhiteSpace(model.DroppedMore))
        {
            dropped.Add($"_{Value(model.DroppedMore)}_");
        }
        blocks.Add(Section(string.Join("\n", dropped)));
        if (withDetails)
        {
            foreach (var block in DetailBlocks(model))
            {
                blocks.Add(block);
            }
        }
        else if (model.Details.Count > 0)
        {
            blocks.Add(Context(Value(model.ThreadNote)));
        }
        var text = string.IsNullOrWhiteSpace(model.Callout) ? Escape(model.Title) : $"{Escape(model.Title)} — {Escape(model.Callout)}";
        return new SlackMessage(Fallback(text), Limit(blocks, MaxMessageBlocks, t));
    }

    /// <summary>The thread reply: each department's figures, the SLA lines, the reasons, nurture and backlog.</summary>
    public static SlackMessage DigestDetails(DigestCardModel model)
    {
        var blocks = new JsonArray();
        foreach (var block in DetailBlocks(model))
        {
            blocks.Add(block);
        }
        if (blocks.Count == 0)
        {
            blocks.Add(Section(Value(model.DetailsTitle)));
        }
        return new SlackMessage(Fallback($"{Escape(model.Title)} — {Escape(model.DetailsTitle)}"), Limit(blocks, MaxMessageBlocks, CardTexts.For(model.Language)));
    }

    private static IEnumerable<JsonObject> DetailBlocks(DigestCardModel model)
    {
        foreach (var section in model.Details)
        {
            yield return Section($"*{Value(section.Title)}*");
            var fields = section.Rows.Select(r => Field(r.Label, r.Change is null ? Value(r.Value) : $"{Value(r.Value)} ({Value(r.Change)})")).ToList();
            foreach (var chunk in fields.Chunk(MaxFields))
            {
                yield return Fields(chunk);
            }
        }
    }

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);
}
