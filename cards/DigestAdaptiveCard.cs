using System.Globalization;
using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>
/// The weekly digest as an Adaptive Card. The first screen is the headline: the week, the bottleneck, the
/// chain's figures with ▲▼→ and the dropped-ball count; then the two charts (<c>Chart.VerticalBar.Grouped</c>,
/// <c>Chart.Line</c>), each falling back to a FactSet where charts are not drawn; then at most five dropped balls
/// with their assignees mentioned; the details are folded sections opened with <c>Action.ToggleVisibility</c>, so
/// the card is short until someone asks.
/// </summary>
public static class DigestAdaptiveCard
{
    public const string DetailsIdPrefix = "digest-details-";

    public static JsonObject Render(DigestCardModel model)
    {
        var body = new JsonArray { Text(Md(model.Title), size: "Large", weight: "Bolder") };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            body.Add(Text(Md(model.Subtitle), subtle: true, spacing: "None"));
        }
        if (!string.IsNullOrWhiteSpace(model.Callout) || model.Advice is not null)
        {
            // The advice and its button sit with the bottleneck, in one call-out: the first thing the meeting reads.
            var items = new JsonArray();
            if (!string.IsNullOrWhiteSpace(model.Callout))
            {
                items.Add(Text(Md(model.Callout), weight: "Bolder"));
            }
            if (model.Advice is { } advice)
            {
                items.Add(Text(Md(advice.Text)));
                items.Add(AdviceButton(advice));
            }
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["style"] = "attention",
                ["items"] = items,
            });
        }
        body.Add(Headline(model.Headline));
        body.Add(Text(Md(model.DroppedHeadline), weight: "Bolder", color: model.HasDroppedBalls ? "Attention" : null));

        if (model.Chain is { } chain)
        {
            body.Add(ChainChart(chain));
        }
        if (model.Trend is { Weeks.Count: > 0 } trend)
        {
            body.Add(TrendChart(trend));
        }

        var mentions = new JsonArray();
        if (model.Dropped.Count > 0)
        {
            body.Add(Text(Md(model.DroppedTitle), weight: "Bolder", spacing: "Medium"));
            foreach (var ball in model.Dropped)
            {
                var who = ball.Assignee is { } person ? Mention(person, mentions) : Md(ball.AssigneeText);
                body.Add(Text($"{who} · {Md(ball.Lead)} · {Md(ball.Detail)}", spacing: "Small"));
            }
            if (!string.IsNullOrWhiteSpace(model.DroppedMore))
            {
                body.Add(Text(Md(model.DroppedMore), subtle: true, spacing: "Small"));
            }
        }

        if (model.Details.Count > 0)
        {
            body.Add(Text(Md(model.DetailsTitle), weight: "Bolder", spacing: "Medium", separator: true));
            for (var i = 0; i < model.Details.Count; i++)
            {
                var (toggle, details) = Folded(model.Details[i], DetailsIdPrefix + i.ToString(CultureInfo.InvariantCulture));
                body.Add(toggle);
                body.Add(details);
            }
        }

        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (mentions.Count > 0)
        {
            card["msteams"]!["entities"] = mentions;
        }
        return card;
    }

    /// <summary>The advice's button: one <c>Action.Execute</c> carrying the suggested threshold.</summary>
    private static JsonObject AdviceButton(DigestAdviceView advice) => new()
    {
        ["type"] = "ActionSet",
        ["actions"] = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "Action.Execute",
                ["id"] = CardActions.DigestSetThreshold,
                ["verb"] = CardActions.DigestSetThreshold,
                ["title"] = advice.Button,
                ["style"] = "positive",
                ["data"] = new JsonObject { [CardFields.Threshold] = advice.Threshold },
            },
        },
    };

    /// <summary>The arrow for a direction; <c>→</c> for no change, nothing when the change is unknown.</summary>
    public static string ArrowText(Arrow? arrow) => arrow switch
    {
        Arrow.Up => "▲",
        Arrow.Down => "▼",
        Arrow.Flat => "→",
        _ => "",
    };

    private static JsonObject Headline(IReadOnlyList<HeadlineFigure> figures)
    {
        var columns = new JsonArray();
        foreach (var f in figures)
        {
            var change = f.Change is null ? ArrowText(f.Arrow) : $"{ArrowText(f.Arrow)} {f.Change}".Trim();
            var items = new JsonArray
            {
                Text(Md(f.Label, 60), subtle: true, size: "Small"),
                Text(Md(f.Value, 60), size: "ExtraLarge", weight: "Bolder", spacing: "None"),
            };
            if (change.Length > 0)
            {
                items.Add(Text(Md(change, 60), size: "Small", spacing: "None",
                    color: f.Arrow switch { Arrow.Up => "Good", Arrow.Down => "Attention", _ => null }));
            }
            columns.Add(new JsonObject { ["type"] = "Column", ["width"] = "stretch", ["items"] = items });
        }
        return new JsonObject { ["type"] = "ColumnSet", ["spacing"] = "Medium", ["columns"] = columns };
    }

    private static JsonObject ChainChart(ChainChart chain)
    {
        JsonArray Values(Func<ChainBar, double> value) =>
            new(chain.Bars.Select(b => (JsonNode)new JsonObject { ["x"] = Clip(b.Label, 40), ["y"] = Round(value(b)) }).ToArray());
        var facts = new JsonArray(chain.Bars.Select(b => (JsonNode)Fact(b.Label,
            b.Average is { } avg ? $"{Number(b.ThisWeek)} ({chain.AverageLabel} {Number(avg)})" : Number(b.ThisWeek))).ToArray());
        return new JsonObject
        {
            ["type"] = "Chart.VerticalBar.Grouped",
            ["title"] = Clip(chain.Title, 150),
            ["colorSet"] = "categorical",
            ["showBarValues"] = true,
            ["data"] = new JsonArray
            {
                new JsonObject { ["legend"] = Clip(chain.ThisWeekLabel, 60), ["values"] = Values(b => b.ThisWeek) },
                new JsonObject { ["legend"] = Clip(chain.AverageLabel, 60), ["values"] = Values(b => b.Average ?? 0) },
            },
            // Clients that draw no charts (mobile, previews, the JS renderer) show the same figures as a fact set.
            ["fallback"] = new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
    }

    private static JsonObject TrendChart(TrendChart trend)
    {
        var data = new JsonArray();
        foreach (var line in trend.Lines)
        {
            var values = new JsonArray();
            for (var i = 0; i < trend.Weeks.Count && i < line.Values.Count; i++)
            {
                // A week without offers has no rate: the line skips it rather than dropping to 0.
                if (line.Values[i] is { } v && double.IsFinite(v))
                {
                    values.Add(new JsonObject { ["x"] = trend.Weeks[i], ["y"] = Round(v) });
                }
            }
            data.Add(new JsonObject { ["legend"] = Clip(line.Label, 60), ["values"] = values });
        }
        return new JsonObject
        {
            ["type"] = "Chart.Line",
            ["title"] = Clip(trend.Title, 150),
            ["colorSet"] = "categorical",
            ["data"] = data,
            ["fallback"] = new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(trend.Fallback.Select(r => (JsonNode)Fact(r.Label, r.Change is null ? r.Value : $"{r.Value} ({r.Change})")).ToArray()),
            },
        };
    }

    /// <summary>A clickable title row that shows or hides the section's facts below it.</summary>
    private static (JsonObject Toggle, JsonObject Details) Folded(FigureSection section, string id)
    {
        var toggle = new JsonObject
        {
            ["type"] = "Container",
            ["spacing"] = "Small",
            ["selectAction"] = new JsonObject
            {
                ["type"] = "Action.ToggleVisibility",
                ["title"] = Clip(section.Title, 100),
                ["targetElements"] = new JsonArray { id },
            },
            ["items"] = new JsonArray { Text($"▸ {Md(section.Title, 150)}", color: "Accent") },
        };
        var facts = new JsonArray(section.Rows.Select(r => (JsonNode)Fact(r.Label, r.Change is null ? r.Value : $"{r.Value} ({r.Change})")).ToArray());
        var details = new JsonObject
        {
            ["type"] = "Container",
            ["id"] = id,
            ["isVisible"] = false,
            ["spacing"] = "None",
            ["items"] = new JsonArray { new JsonObject { ["type"] = "FactSet", ["facts"] = facts } },
        };
        return (toggle, details);
    }

    private static string Mention(PersonRef person, JsonArray entities)
    {
        var id = !string.IsNullOrWhiteSpace(person.TeamsUserId) ? person.TeamsUserId : person.TeamsAadObjectId;
        var name = Clip(person.Name, 100);
        if (string.IsNullOrWhiteSpace(id) || name.Trim().Length == 0)
        {
            return AdaptiveMarkdown.Escape(name);
        }
        var text = AdaptiveCardRenderer.MentionText(name);
        // The same person twice needs one entity: Teams matches every occurrence of the text.
        if (!entities.Any(e => (string?)e?["text"] == text))
        {
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = text,
                ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
            });
        }
        return text;
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 1, MidpointRounding.AwayFromZero) : 0;

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);

    private static JsonObject Fact(string title, string value) => new() { ["title"] = Md(title, 100), ["value"] = Md(value) };

    private static JsonObject Text(string text, string? size = null, string? weight = null, bool subtle = false, string? spacing = null,
        string? color = null, bool separator = false) =>
        AdaptiveCardRenderer.TextBlock(text, size, weight, subtle, spacing, color, separator);

    private static string Clip(string? text, int max = 400) => TextClip.Clip(text, max);

    private static string Md(string? text, int max = 400) => AdaptiveMarkdown.Escape(TextClip.Clip(text, max));
}
