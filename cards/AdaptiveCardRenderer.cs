using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>
/// Renders view models as Adaptive Card 1.5 JSON for Teams (the card content, not the attachment).
/// Teams bot messages may reach ~100 KB, but webhooks and older clients stop at 28 KB, so every card is kept
/// under <see cref="MaxCardBytes"/> (docs/protocols/teams.md §4 "Size limit"). Every value shown is escaped with
/// <see cref="AdaptiveMarkdown"/>: a company named <c>[Verify](https://example.org)</c> shows as text, not as a link.
/// </summary>
public static partial class AdaptiveCardRenderer
{
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    /// <summary>Upper bound for one rendered card, measured as compact JSON with default (escaping) encoding.</summary>
    public const int MaxCardBytes = 28 * 1024;

    /// <summary>Teams refreshes automatically for at most 60 user MRIs (Universal Actions, "User IDs in refresh").</summary>
    public const int MaxRefreshUserIds = 60;

    /// <summary>Matches Slack's and the store's limit for the reject note.</summary>
    public const int MaxNoteLength = 1000;

    // Aim well below the limit: the attachment envelope and the activity around the card count too.
    private const int TargetCardBytes = 24 * 1024;
    // Budget for variable content of figures: the fixed frame of the card is left as headroom.
    private const int ContentBudgetBytes = 22 * 1024;
    private const int MaxFactChars = 400;
    private const int MaxTextChars = 3000;

    public static JsonObject Handoff(HandoffCardModel model) => Handoff(model, null);

    /// <summary>
    /// The handoff card. While it is open it carries Accept (<c>Action.Execute</c>), Reject (<c>Action.ShowCard</c>
    /// with the reason form) and a <c>refresh</c> for <paramref name="refreshUserIds"/> (at most 60; null lets Teams
    /// refresh for everyone in chats of up to 60 members). Once decided or expired it shows the outcome, no buttons.
    /// </summary>
    public static JsonObject Handoff(HandoffCardModel model, IReadOnlyList<string>? refreshUserIds)
    {
        var t = CardTexts.For(model.Language);
        var open = model.State == "Offered";
        var body = new JsonArray();
        if (!string.IsNullOrWhiteSpace(model.Banner))
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["style"] = "warning",
                ["bleed"] = true,
                ["items"] = new JsonArray { TextBlock(Md(model.Banner), weight: "Bolder") },
            });
        }

        var header = $"{Md(model.KindLabel)} · {Md(model.Company)}";
        if (model.Attempt > 0)
        {
            header += $" · {Md(t.Attempt)} #{model.Attempt}";
        }
        body.Add(TextBlock(header, size: "Medium", weight: "Bolder"));
        var contact = string.Join(" · ", new[] { model.ContactName, model.ContactTitle, model.ContactEmail }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => Md(s)));
        body.Add(TextBlock(contact, subtle: true, spacing: "None"));
        if (!string.IsNullOrWhiteSpace(model.BackBecause))
        {
            body.Add(TextBlock($"♻️ {Md(model.BackBecause)}", weight: "Bolder"));
        }

        var mentions = new JsonArray();
        var facts = new JsonArray { Fact(t.Score, $"{model.Score} · {t.TemperatureLabel(model.Temperature)}") };
        foreach (var (label, value) in model.LeadFacts(t))
        {
            facts.Add(Fact(label, value));
        }
        facts.Add(model.Assignee is { } assignee ? MentionFact(t.Assignee, Mention(assignee, open ? mentions : null)) : Fact(t.Assignee, t.DepartmentQueue));
        AddFact(facts, t.RoutedBecause, model.RoutingReason);
        if (open)
        {
            facts.Add(Fact(t.Deadline, $"{Time(model.Deadline, model.TimeZoneLabel)} · {model.TimeLeft}"));
        }
        facts.Add(Fact(t.State, model.Overdue && open ? $"{t.StateLabel(model.State)} · {t.Overdue}" : t.StateLabel(model.State)));
        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        if (!string.IsNullOrWhiteSpace(model.ContactDue))
        {
            body.Add(TextBlock($"📞 {Md(model.ContactDue)}", weight: "Bolder"));
        }

        if (model.Decision is { } decision)
        {
            body.Add(DecisionContainer(decision, t, model.TimeZoneLabel));
        }

        if (!string.IsNullOrWhiteSpace(model.FirstTouch))
        {
            body.Add(TextBlock($"📞 {Md(model.FirstTouch)}", subtle: true));
        }
        if (!string.IsNullOrWhiteSpace(model.KickedOff))
        {
            body.Add(TextBlock($"✅ {Md(model.KickedOff)}", weight: "Bolder"));
        }
        if (model.ContactActions)
        {
            body.Add(new JsonObject
            {
                ["type"] = "Input.Text",
                ["id"] = CardFields.ContactNote,
                ["label"] = t.ContactNoteLabel,
                ["placeholder"] = t.ContactNotePlaceholder,
                ["maxLength"] = MaxNoteLength,
            });
        }

        var card = Card(body);
        if (open)
        {
            card["actions"] = new JsonArray { AcceptAction(model, t), RejectAction(model, t) };
            card["refresh"] = Refresh(model.HandoffId, refreshUserIds);
        }
        else if (model.ContactActions)
        {
            // One click logs; the note typed above (optional) rides along in the data (associatedInputs).
            var actions = new JsonArray();
            foreach (var action in CardActions.ContactLogs)
            {
                actions.Add(new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["id"] = action,
                    ["title"] = t.ContactActionLabel(action),
                    ["verb"] = action,
                    ["associatedInputs"] = "auto",
                    ["data"] = new JsonObject { [CardFields.HandoffId] = model.HandoffId },
                });
            }
            card["actions"] = actions;
            card["refresh"] = Refresh(model.HandoffId, refreshUserIds);
        }
        else if (model.KickOffAction)
        {
            card["actions"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["id"] = CardActions.KickOff,
                    ["title"] = t.KickOffLabel,
                    ["verb"] = CardActions.KickOff,
                    ["data"] = new JsonObject { [CardFields.HandoffId] = model.HandoffId },
                },
            };
            card["refresh"] = Refresh(model.HandoffId, refreshUserIds);
        }
        if (mentions.Count > 0)
        {
            card["msteams"] = new JsonObject { ["entities"] = mentions };
        }
        return FitToLimit(card);
    }

    public static JsonObject Figures(FiguresCardModel model)
    {
        if (model.Digest is { } digest)
        {
            return FitToLimit(DigestAdaptiveCard.Render(digest));
        }
        var t = CardTexts.For(model.Language);
        var body = new JsonArray { TextBlock(Md(model.Title), size: "Large", weight: "Bolder") };
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            body.Add(TextBlock(Md(model.Subtitle), subtle: true, spacing: "None"));
        }
        if (!string.IsNullOrWhiteSpace(model.Callout))
        {
            body.Add(new JsonObject
            {
                ["type"] = "Container",
                ["style"] = "attention",
                ["items"] = new JsonArray { TextBlock(Md(model.Callout), weight: "Bolder") },
            });
        }

        var budget = new Budget(ContentBudgetBytes - Size(body));
        if (model.Chart is { Count: > 0 } chart)
        {
            var element = Chart(model.ChartTitle, chart.Take(24).ToList());
            if (budget.TryTake(element))
            {
                body.Add(element);
            }
        }

        var shortened = false;
        foreach (var section in model.Sections)
        {
            var title = TextBlock(Md(section.Title), weight: "Bolder", spacing: "Medium");
            var rows = section.Rows;
            var element = Rows(rows);
            // Whole section if it fits; otherwise as many rows as fit, then stop.
            if (budget.TryTake(title, element))
            {
                body.Add(title);
                body.Add(element);
                continue;
            }
            var fitting = rows.Count;
            while (fitting > 0 && !budget.Fits(title, Rows(rows.Take(fitting).ToList())))
            {
                fitting = fitting * 3 / 4;
            }
            if (fitting > 0)
            {
                var partial = Rows(rows.Take(fitting).ToList());
                budget.TryTake(title, partial);
                body.Add(title);
                body.Add(partial);
            }
            shortened = true;
            break;
        }
        if (shortened)
        {
            body.Add(TextBlock(Md(t.Truncated), subtle: true));
        }
        return FitToLimit(Card(body));
    }

    /// <summary>The bot's own chat text (fixed sentences with values in them): code spans stay, the rest is escaped.</summary>
    public static JsonObject Text(string text) =>
        Card(new JsonArray { TextBlock(AdaptiveMarkdown.EscapeText(TextClip.Clip(text, MaxTextChars))) });

    /// <summary>"2026-12-08 15:00", and the zone when the card says which ("2026-12-08 15:00 JST").</summary>
    private static string Time(DateTimeOffset at, string? zoneLabel) =>
        at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(zoneLabel) ? "" : " " + zoneLabel);

    private static JsonObject DecisionContainer(DecisionView decision, CardTexts t, string? zoneLabel)
    {
        var facts = new JsonArray();
        AddFact(facts, t.DecidedBy, decision.By?.Name);
        facts.Add(Fact(t.DecidedAt, Time(decision.At, zoneLabel)));
        AddFact(facts, t.ResponseTime, decision.ResponseTime);
        AddFact(facts, t.ReasonLabel, decision.Reason is null ? null : t.ReasonText(decision.Reason));
        var items = new JsonArray
        {
            TextBlock($"{Md(t.Outcome)}: {Md(t.StateLabel(decision.Outcome))}", weight: "Bolder"),
            new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        if (!string.IsNullOrWhiteSpace(decision.Note))
        {
            items.Add(TextBlock($"{Md(t.Note)}: {Md(decision.Note, MaxNoteLength)}"));
        }
        return new JsonObject
        {
            ["type"] = "Container",
            ["style"] = decision.Outcome switch { "Accepted" => "good", "Rejected" => "attention", _ => "warning" },
            ["items"] = items,
        };
    }

    private static JsonObject AcceptAction(HandoffCardModel model, CardTexts t) => new()
    {
        ["type"] = "Action.Execute",
        ["id"] = CardActions.Accept,
        ["title"] = t.Accept,
        ["verb"] = CardActions.Accept,
        ["data"] = new JsonObject { [CardFields.HandoffId] = model.HandoffId },
    };

    /// <summary>The reason form opens on the card; Teams merges its inputs (<c>reason</c>, <c>note</c>) into the submit's data.</summary>
    private static JsonObject RejectAction(HandoffCardModel model, CardTexts t)
    {
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["id"] = CardActions.Reject,
            ["title"] = t.Reject,
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JsonArray
                {
                    ReasonChoiceSet(CardFields.Reason, t, t.ReasonLabel),
                    new JsonObject
                    {
                        ["type"] = "Input.Text",
                        ["id"] = CardFields.Note,
                        ["label"] = t.NoteLabel,
                        ["placeholder"] = t.NotePlaceholder,
                        ["isMultiline"] = true,
                        ["maxLength"] = MaxNoteLength,
                    },
                },
                ["actions"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Action.Execute",
                        ["id"] = CardActions.RejectSubmit,
                        ["title"] = t.RejectSubmit,
                        ["verb"] = CardActions.RejectSubmit,
                        ["associatedInputs"] = "auto",
                        ["data"] = new JsonObject { [CardFields.HandoffId] = model.HandoffId },
                    },
                },
            },
        };
    }

    /// <summary>The required reject-reason choice, on the handoff card's form and on the my-batons card's.</summary>
    internal static JsonObject ReasonChoiceSet(string id, CardTexts t, string? label = null)
    {
        var choices = new JsonArray();
        foreach (var reason in CardTexts.RejectReasons)
        {
            choices.Add(new JsonObject { ["title"] = t.ReasonText(reason), ["value"] = reason });
        }
        var set = new JsonObject { ["type"] = "Input.ChoiceSet", ["id"] = id };
        if (label is not null)
        {
            set["label"] = label;
        }
        set["placeholder"] = t.ReasonPlaceholder;
        set["style"] = "compact";
        set["isRequired"] = true;
        set["errorMessage"] = t.ReasonPlaceholder;
        set["choices"] = choices;
        return set;
    }

    private static JsonObject Refresh(string handoffId, IReadOnlyList<string>? userIds)
    {
        var refresh = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = CardActions.Refresh,
                ["data"] = new JsonObject { [CardFields.HandoffId] = handoffId },
            },
        };
        if (userIds is not null)
        {
            var ids = new JsonArray();
            foreach (var id in userIds.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct(StringComparer.Ordinal).Take(MaxRefreshUserIds))
            {
                ids.Add(id);
            }
            refresh["userIds"] = ids;
        }
        return refresh;
    }

    /// <summary>
    /// <c>&lt;at&gt;Name&lt;/at&gt;</c> plus its entity when Teams knows the person; the escaped name otherwise. The
    /// tag's name is escaped too (<see cref="MentionText"/>), and the entity's <c>text</c> is the very same string.
    /// </summary>
    private static string Mention(PersonRef person, JsonArray? entities)
    {
        var id = !string.IsNullOrWhiteSpace(person.TeamsUserId) ? person.TeamsUserId : person.TeamsAadObjectId;
        var name = Clip(person.Name);
        if (entities is null || string.IsNullOrWhiteSpace(id) || name.Trim().Length == 0)
        {
            return AdaptiveMarkdown.Escape(name);
        }
        var text = MentionText(name);
        entities.Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = text,
            ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = name },
        });
        return text;
    }

    /// <summary>
    /// <c>&lt;at&gt;{name}&lt;/at&gt;</c> with the name escaped, so a name cannot close the tag early or carry a link;
    /// used for every Teams mention (cards and messages), whose entity <c>text</c> must match it verbatim.
    /// </summary>
    public static string MentionText(string name) => $"<at>{AdaptiveMarkdown.Escape(name)}</at>";

    private static JsonObject Chart(string? title, IReadOnlyList<BarDatum> data)
    {
        var points = new JsonArray();
        var facts = new JsonArray();
        foreach (var d in data)
        {
            points.Add(new JsonObject { ["x"] = Clip(d.Label, 60), ["y"] = double.IsFinite(d.Value) ? d.Value : 0 });
            facts.Add(Fact(d.Label, d.Display));
        }
        var chart = new JsonObject
        {
            ["type"] = "Chart.VerticalBar",
            ["showBarValues"] = true,
            ["colorSet"] = "categorical",
            ["data"] = points,
            // Mobile clients and previews do not draw charts: the same figures as a FactSet.
            ["fallback"] = new JsonObject { ["type"] = "FactSet", ["facts"] = facts },
        };
        if (!string.IsNullOrWhiteSpace(title))
        {
            chart["title"] = Clip(title, 150);
        }
        return chart;
    }

    /// <summary>A FactSet, or a Table (falling back to a FactSet) when rows carry a change column.</summary>
    private static JsonObject Rows(IReadOnlyList<FigureRow> rows)
    {
        var facts = new JsonArray();
        foreach (var row in rows)
        {
            facts.Add(Fact(row.Label, row.Change is null ? row.Value : $"{row.Value} ({row.Change})"));
        }
        var factSet = new JsonObject { ["type"] = "FactSet", ["facts"] = facts };
        if (rows.All(r => r.Change is null))
        {
            return factSet;
        }
        var tableRows = new JsonArray();
        foreach (var row in rows)
        {
            tableRows.Add(new JsonObject
            {
                ["type"] = "TableRow",
                ["cells"] = new JsonArray { Cell(row.Label), Cell(row.Value, "Right"), Cell(row.Change ?? "", "Right") },
            });
        }
        return new JsonObject
        {
            ["type"] = "Table",
            ["showGridLines"] = false,
            ["firstRowAsHeader"] = false,
            ["columns"] = new JsonArray { new JsonObject { ["width"] = 3 }, new JsonObject { ["width"] = 2 }, new JsonObject { ["width"] = 2 } },
            ["rows"] = tableRows,
            ["fallback"] = factSet,
        };
    }

    private static JsonObject Cell(string text, string? align = null)
    {
        var block = TextBlock(Md(text));
        if (align is not null)
        {
            block["horizontalAlignment"] = align;
        }
        return new JsonObject { ["type"] = "TableCell", ["items"] = new JsonArray { block } };
    }

    private static JsonObject Card(JsonArray body) => new()
    {
        ["type"] = "AdaptiveCard",
        ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
        ["version"] = "1.5",
        ["body"] = body,
    };

    internal static JsonObject TextBlock(string text, string? size = null, string? weight = null, bool subtle = false, string? spacing = null,
        string? color = null, bool separator = false)
    {
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        if (size is not null)
        {
            block["size"] = size;
        }
        if (weight is not null)
        {
            block["weight"] = weight;
        }
        if (subtle)
        {
            block["isSubtle"] = true;
        }
        if (spacing is not null)
        {
            block["spacing"] = spacing;
        }
        if (color is not null)
        {
            block["color"] = color;
        }
        if (separator)
        {
            block["separator"] = true;
        }
        return block;
    }

    private static void AddFact(JsonArray facts, string title, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            facts.Add(Fact(title, value));
        }
    }

    private static JsonObject Fact(string title, string value) => new() { ["title"] = Md(title, 100), ["value"] = Md(value) };

    /// <summary>A fact whose value is a mention tag built by <see cref="Mention"/> (already escaped).</summary>
    private static JsonObject MentionFact(string title, string mention) => new() { ["title"] = Md(title, 100), ["value"] = mention };

    private static string Clip(string? text, int max = MaxFactChars) => TextClip.Clip(text, max);

    /// <summary>Shortened, then escaped: the shortening happens first so an escape is never cut from its character.</summary>
    private static string Md(string? text, int max = MaxFactChars) => AdaptiveMarkdown.Escape(TextClip.Clip(text, max));

    /// <summary>Shortens already-escaped text without leaving a lone backslash before the ellipsis (it would show).</summary>
    private static string ClipEscaped(string text, int max)
    {
        var clipped = TextClip.Clip(text, max);
        if (clipped.Length == text.Length || !clipped.EndsWith(TextClip.Ellipsis, StringComparison.Ordinal))
        {
            return clipped;
        }
        var head = clipped[..^TextClip.Ellipsis.Length];
        var slashes = head.Length - head.TrimEnd('\\').Length;
        return slashes % 2 == 1 ? head[..^1] + TextClip.Ellipsis : clipped;
    }

    /// <summary>
    /// Last line of defence for the size limit: while the card is too big, shortens its longest visible text
    /// (text blocks, fact titles and values; never ids, verbs or mention texts, which must match their entities).
    /// </summary>
    private static JsonObject FitToLimit(JsonObject card)
    {
        var size = Size(card);
        while (size >= TargetCardBytes)
        {
            var longest = VisibleTexts(card["body"]).MaxBy(x => ((string?)x.Owner[x.Key])?.Length ?? 0);
            var text = longest.Owner is null ? null : (string?)longest.Owner[longest.Key];
            if (text is null || text.Length <= 20)
            {
                break;
            }
            longest.Owner![longest.Key] = ClipEscaped(text, text.Length * 2 / 3);
            size = Size(card);
        }
        return card;
    }

    private static IEnumerable<(JsonObject Owner, string Key)> VisibleTexts(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if ((string?)(o["type"] as JsonValue) == "TextBlock" && o["text"] is JsonValue)
                {
                    yield return (o, "text");
                }
                if (o["title"] is JsonValue && o["value"] is JsonValue v && !((string?)v ?? "").StartsWith("<at>", StringComparison.Ordinal))
                {
                    yield return (o, "value");
                    yield return (o, "title");
                }
                foreach (var (key, child) in o)
                {
                    if (key is "choices" or "data")
                    {
                        continue;
                    }
                    foreach (var x in VisibleTexts(child))
                    {
                        yield return x;
                    }
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var x in VisibleTexts(child))
                    {
                        yield return x;
                    }
                }
                break;
        }
    }

    internal static int Size(JsonNode node) => Encoding.UTF8.GetByteCount(node.ToJsonString());

    /// <summary>Counts the bytes of elements added to a card so variable-length content stops before the limit.</summary>
    private sealed class Budget(int bytes)
    {
        private int _left = bytes;

        public bool Fits(params JsonNode[] nodes) => nodes.Sum(Size) <= _left;

        public bool TryTake(params JsonNode[] nodes)
        {
            var size = nodes.Sum(Size);
            if (size > _left)
            {
                return false;
            }
            _left -= size;
            return true;
        }
    }
}
