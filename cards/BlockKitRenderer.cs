using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TheModel.Cards.ViewModels;

namespace TheModel.Cards;

/// <summary>A Slack message: fallback <c>text</c> (always set) and Block Kit blocks.</summary>
public sealed record SlackMessage(string Text, JsonArray Blocks);

/// <summary>
/// Renders view models as Slack Block Kit, within the limits of docs/protocols/slack.md §6 (50 blocks per
/// message, 100 per modal, section text 3000, fields 10 × 2000, button text 75, modal title 24 …): long values
/// are shortened, never rejected by Slack. Every user- or CRM-supplied value is escaped for mrkdwn.
/// </summary>
public static partial class BlockKitRenderer
{
    public const int MaxMessageBlocks = 50;
    public const int MaxModalBlocks = 100;
    public const int MaxSectionText = 3000;
    public const int MaxFields = 10;
    public const int MaxFieldText = 2000;
    public const int MaxButtonText = 75;
    public const int MaxModalTitle = 24;
    public const int MaxHeaderText = 150;
    public const int MaxPrivateMetadata = 3000;
    public const int MaxNoteLength = 1000;
    /// <summary>Slack truncates <c>text</c> above 40,000 characters; fallbacks stay far below.</summary>
    public const int MaxFallbackText = 3000;

    // Slack answers msg_blocks_too_long near 13k characters of blocks, below the documented limits (bolt-js #2509).
    private const int MaxTotalBlockChars = 11_000;
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private const int MaxValueChars = 300;
    private const int BarWidth = 20;
    private const int MaxBars = 24;

    /// <summary>Escapes a user- or CRM-supplied value for mrkdwn: <see cref="SlackMrkdwn.Escape"/>.</summary>
    public static string Escape(string? value) => SlackMrkdwn.Escape(value);

    /// <summary>
    /// The handoff message. Open: Accept and Reject buttons (<c>action_id</c> = <see cref="CardActions"/>, <c>value</c> =
    /// handoff id) in an actions block with <c>block_id</c> <c>handoff:{id}</c>. Decided or expired: the outcome, no buttons.
    /// </summary>
    public static SlackMessage Handoff(HandoffCardModel model)
    {
        var t = CardTexts.For(model.Language);
        var open = model.State == "Offered";
        var blocks = new JsonArray();
        if (!string.IsNullOrWhiteSpace(model.Banner))
        {
            blocks.Add(Section($":warning: *{Value(model.Banner)}*"));
        }

        var header = $"*{Value(model.KindLabel)} · {Value(model.Company)}*";
        if (model.Attempt > 0)
        {
            header += $" · {Escape(t.Attempt)} #{model.Attempt}";
        }
        var contact = string.Join(" · ", new[] { model.ContactName, model.ContactTitle, model.ContactEmail }
            .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => Value(s)));
        blocks.Add(Section($"{header}\n{contact}"));
        if (!string.IsNullOrWhiteSpace(model.BackBecause))
        {
            blocks.Add(Context($":recycle: {Value(model.BackBecause)}"));
        }

        var fields = new List<string> { Field(t.Score, $"{model.Score} · {Escape(t.TemperatureLabel(model.Temperature))}") };
        fields.AddRange(model.LeadFacts(t).Select(f => Field(f.Label, Value(f.Value))));
        fields.Add(Field(t.Assignee, model.Assignee is { } assignee ? Mention(assignee) : Escape(t.DepartmentQueue)));
        if (open)
        {
            var deadline = model.Overdue ? $":rotating_light: {Date(model.Deadline, model.TimeZoneLabel)} · *{Value(model.TimeLeft)}*" : $"{Date(model.Deadline, model.TimeZoneLabel)} · {Value(model.TimeLeft)}";
            fields.Add(Field(t.Deadline, deadline));
        }
        fields.Add(Field(t.State, Escape(t.StateLabel(model.State))));
        foreach (var chunk in fields.Chunk(MaxFields))
        {
            blocks.Add(Fields(chunk));
        }
        if (!string.IsNullOrWhiteSpace(model.ContactDue))
        {
            blocks.Add(Context($":telephone_receiver: *{Value(model.ContactDue)}*"));
        }
        if (!string.IsNullOrWhiteSpace(model.RoutingReason))
        {
            blocks.Add(Context($"{Escape(t.RoutedBecause)}: {Value(model.RoutingReason)}"));
        }

        if (model.Decision is { } decision)
        {
            blocks.Add(Section(DecisionText(decision, t)));
        }
        if (open)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = $"handoff:{model.HandoffId}",
                ["elements"] = new JsonArray
                {
                    Button(t.Accept, CardActions.Accept, model.HandoffId, "primary"),
                    Button(t.Reject, CardActions.Reject, model.HandoffId, "danger"),
                },
            });
        }

        if (!string.IsNullOrWhiteSpace(model.FirstTouch))
        {
            blocks.Add(Context($":telephone_receiver: {Value(model.FirstTouch)}"));
        }
        if (model.ContactActions)
        {
            foreach (var block in ContactBlocks(model, t))
            {
                blocks.Add(block);
            }
        }
        if (!string.IsNullOrWhiteSpace(model.KickedOff))
        {
            blocks.Add(Section($":white_check_mark: *{Escape(model.KickedOff)}*"));
        }
        if (model.KickOffAction)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = $"customer:{model.HandoffId}",
                ["elements"] = new JsonArray { Button(t.KickOffLabel, CardActions.KickOff, model.HandoffId, "primary") },
            });
        }

        var who = model.Assignee is { } a ? $" → {Mention(a)}" : "";
        var text = $"{Escape(model.KindLabel)}: {Escape(model.Company)} — {Escape(model.ContactName)}{who} ({Escape(t.StateLabel(model.State))})";
        if (!string.IsNullOrWhiteSpace(model.Banner))
        {
            text = $"{Escape(model.Banner)} · {text}";
        }
        return new SlackMessage(Fallback(text), Limit(blocks, MaxMessageBlocks, t));
    }

    /// <summary>
    /// An accepted card's contact logging: an optional note input and the four buttons (<c>block_id</c>
    /// <c>contact:{id}</c>). A click logs at once; Slack sends the note typed above in the payload's <c>state</c>.
    /// </summary>
    private static IEnumerable<JsonObject> ContactBlocks(HandoffCardModel model, CardTexts t)
    {
        yield return new JsonObject
        {
            ["type"] = "input",
            ["block_id"] = CardFields.ContactNote,
            ["optional"] = true,
            ["label"] = PlainText(t.ContactNoteLabel),
            ["element"] = new JsonObject
            {
                ["type"] = "plain_text_input",
                ["action_id"] = CardFields.ContactNote,
                ["max_length"] = MaxNoteLength,
                ["placeholder"] = PlainText(t.ContactNotePlaceholder),
            },
        };
        var buttons = new JsonArray();
        foreach (var action in CardActions.ContactLogs)
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "button",
                ["action_id"] = action,
                ["value"] = model.HandoffId,
                ["text"] = PlainText(TextClip.Clip(t.ContactActionLabel(action), MaxButtonText)),
            });
        }
        yield return new JsonObject { ["type"] = "actions", ["block_id"] = $"contact:{model.HandoffId}", ["elements"] = buttons };
    }

    /// <summary>
    /// The reject modal (<c>views.open</c> <c>view</c> object). Its <c>view_submission</c> carries
    /// <paramref name="privateMetadata"/> and the values at <c>state.values.reason.reason.selected_option.value</c>
    /// (a reject reason name) and <c>state.values.note.note.value</c> (optional).
    /// </summary>
    public static JsonObject RejectModal(HandoffCardModel model, string privateMetadata)
    {
        if (privateMetadata.Length > MaxPrivateMetadata)
        {
            // Cutting it would corrupt what the submission needs to find the handoff: refuse loudly instead.
            throw new ArgumentException($"private_metadata is limited to {MaxPrivateMetadata} characters.", nameof(privateMetadata));
        }
        var t = CardTexts.For(model.Language);
        var options = new JsonArray();
        foreach (var reason in CardTexts.RejectReasons)
        {
            options.Add(new JsonObject { ["text"] = PlainText(TextClip.Clip(t.ReasonText(reason), 75)), ["value"] = reason });
        }
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CardActions.RejectSubmit,
            ["private_metadata"] = privateMetadata,
            ["title"] = PlainText(TextClip.Clip(t.RejectTitle, MaxModalTitle)),
            ["submit"] = PlainText(TextClip.Clip(t.RejectSubmit, MaxModalTitle)),
            ["close"] = PlainText(TextClip.Clip(t.Cancel, MaxModalTitle)),
            ["blocks"] = new JsonArray
            {
                Section($"*{Value(model.KindLabel)} · {Value(model.Company)}*\n{Value(model.ContactName)}"),
                new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = CardFields.Reason,
                    ["label"] = PlainText(t.ReasonLabel),
                    ["element"] = new JsonObject
                    {
                        ["type"] = "static_select",
                        ["action_id"] = CardFields.Reason,
                        ["placeholder"] = PlainText(t.ReasonPlaceholder),
                        ["options"] = options,
                    },
                },
                new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = CardFields.Note,
                    ["optional"] = true,
                    ["label"] = PlainText(t.NoteLabel),
                    ["element"] = new JsonObject
                    {
                        ["type"] = "plain_text_input",
                        ["action_id"] = CardFields.Note,
                        ["multiline"] = true,
                        ["max_length"] = MaxNoteLength,
                        ["placeholder"] = PlainText(t.NotePlaceholder),
                    },
                },
            },
        };
    }

    /// <summary>The header of a figures message or a digest: title, the dates under it, the call-out in bold.</summary>
    private static JsonArray Heading(string title, string? subtitle, string? callout)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(TextClip.Clip(title, MaxHeaderText)) },
        };
        if (!string.IsNullOrWhiteSpace(subtitle))
        {
            blocks.Add(Context(Value(subtitle)));
        }
        if (!string.IsNullOrWhiteSpace(callout))
        {
            blocks.Add(Section($":mag: *{Value(callout, MaxSectionText - 20)}*"));
        }
        return blocks;
    }

    /// <summary>Figures (funnel, KPIs, plan, digest): header, call-out, a text bar chart in a code block, sections of fields.</summary>
    public static SlackMessage Figures(FiguresCardModel model)
    {
        if (model.Digest is { } digest)
        {
            return DigestSummary(digest, withDetails: true);
        }
        var t = CardTexts.For(model.Language);
        var blocks = Heading(model.Title, model.Subtitle, model.Callout);
        if (model.Chart is { Count: > 0 } chart)
        {
            var title = string.IsNullOrWhiteSpace(model.ChartTitle) ? "" : $"*{Value(model.ChartTitle)}*\n";
            blocks.Add(Section($"{title}```\n{BarChart(chart)}\n```"));
        }
        foreach (var section in model.Sections)
        {
            blocks.Add(Section($"*{Value(section.Title)}*"));
            var fields = section.Rows.Select(r => Field(r.Label, r.Change is null ? Value(r.Value) : $"{Value(r.Value)} ({Value(r.Change)})")).ToList();
            foreach (var chunk in fields.Chunk(MaxFields))
            {
                blocks.Add(Fields(chunk));
            }
        }

        var text = new StringBuilder(Escape(model.Title));
        if (!string.IsNullOrWhiteSpace(model.Callout))
        {
            text.Append(" — ").Append(Escape(model.Callout));
        }
        return new SlackMessage(Fallback(text.ToString()), Limit(blocks, MaxMessageBlocks, t));
    }

    /// <summary>A plain text answer (escaped), split into sections of at most 3000 characters.</summary>
    public static SlackMessage Text(string text)
    {
        var escaped = Escape(text);
        var blocks = new JsonArray();
        var rest = escaped;
        while (rest.Length > 0 && blocks.Count < MaxMessageBlocks)
        {
            var cut = SafeCut(rest, MaxSectionText);
            blocks.Add(Section(rest[..cut]));
            rest = rest[cut..];
        }
        if (blocks.Count == 0)
        {
            blocks.Add(Section(" "));
        }
        return new SlackMessage(Fallback(escaped), Limit(blocks, MaxMessageBlocks, CardTexts.English));
    }

    /// <summary>
    /// A monospace bar chart, one line per datum: label padded to the widest, a bar in eighth-blocks scaled to
    /// the largest value, then the display value (<c>MQL  █████▌ 55</c>).
    /// </summary>
    public static string BarChart(IReadOnlyList<BarDatum> data)
    {
        var rows = data.Take(MaxBars).ToList();
        var labelColumns = Math.Min(16, rows.Count == 0 ? 0 : rows.Max(d => TextClip.Columns(d.Label)));
        var max = rows.Where(d => double.IsFinite(d.Value)).Select(d => d.Value).DefaultIfEmpty(0).Max();
        var lines = rows.Select(d =>
        {
            var value = double.IsFinite(d.Value) && d.Value > 0 ? d.Value : 0;
            var bar = max > 0 ? Bar(value / max * BarWidth) : "";
            // Text inside a code block is not mrkdwn, but &, < and > must still be escaped.
            return $"{Escape(TextClip.PadColumns(d.Label, labelColumns))} {bar} {Escape(TextClip.Clip(d.Display, 40))}".TrimEnd();
        });
        return string.Join("\n", lines);
    }

    private static string Bar(double cells)
    {
        const string partials = " ▏▎▍▌▋▊▉";
        var eighths = (int)Math.Round(cells * 8, MidpointRounding.AwayFromZero);
        if (eighths == 0 && cells > 0)
        {
            eighths = 1; // a non-zero value always shows a sliver
        }
        var bar = new string('█', eighths / 8);
        return eighths % 8 == 0 ? bar : bar + partials[eighths % 8];
    }

    private static string DecisionText(DecisionView decision, CardTexts t)
    {
        var icon = decision.Outcome switch { "Accepted" => ":white_check_mark:", "Rejected" => ":x:", _ => ":hourglass:" };
        var sb = new StringBuilder($"{icon} *{Escape(t.Outcome)}: {Escape(t.StateLabel(decision.Outcome))}*");
        if (decision.By is { } by)
        {
            sb.Append($"\n{Escape(t.DecidedBy)}: {Mention(by)}");
        }
        sb.Append($"\n{Escape(t.DecidedAt)}: {Date(decision.At)}");
        if (!string.IsNullOrWhiteSpace(decision.ResponseTime))
        {
            sb.Append($"\n{Escape(t.ResponseTime)}: {Value(decision.ResponseTime)}");
        }
        if (!string.IsNullOrWhiteSpace(decision.Reason))
        {
            sb.Append($"\n{Escape(t.ReasonLabel)}: {Value(t.ReasonText(decision.Reason))}");
        }
        if (!string.IsNullOrWhiteSpace(decision.Note))
        {
            sb.Append($"\n{Escape(t.Note)}: {Value(decision.Note, MaxNoteLength)}");
        }
        return sb.ToString();
    }

    /// <summary><c>&lt;@U…&gt;</c> when the Slack id is known (and well-formed), the escaped name otherwise.</summary>
    private static string Mention(PersonRef person) =>
        person.SlackUserId is { } id && SlackUserId().IsMatch(id) ? $"<@{id}>" : Value(person.Name);

    /// <summary>
    /// Slack renders the date in each reader's own time zone; the fallback is the model's (reader's) local time, with the
    /// zone named when the model names it (a channel copy).
    /// </summary>
    private static string Date(DateTimeOffset at, string? zoneLabel = null) =>
        $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}{(string.IsNullOrEmpty(zoneLabel) ? "" : " " + Escape(zoneLabel))}>";

    /// <summary>Escaped and shortened: the shortening happens before escaping so an entity is never cut in half.</summary>
    private static string Value(string? value, int max = MaxValueChars) => Escape(TextClip.Clip(value, max));

    private static string Field(string label, string mrkdwnValue) => $"*{Value(label, 100)}*\n{mrkdwnValue}";

    private static string Fallback(string text) => Truncate(text, MaxFallbackText);

    /// <summary>Enforces the block count and the total size, replacing what does not fit with a "shortened" note.</summary>
    private static JsonArray Limit(JsonArray blocks, int maxBlocks, CardTexts t)
    {
        var total = 0;
        var kept = new JsonArray();
        var dropped = false;
        foreach (var block in blocks.ToList())
        {
            blocks.Remove(block);
            var size = block!.ToJsonString(Unescaped).Length;
            var isActions = (string?)block["type"] == "actions";
            // Buttons are what the message is for: they always stay.
            if (!isActions && (dropped || kept.Count >= maxBlocks - 2 || total + size > MaxTotalBlockChars))
            {
                dropped = true;
                continue;
            }
            total += size;
            kept.Add(block);
        }
        if (dropped)
        {
            var note = Context(Escape(t.Truncated));
            var actionsAt = kept.Select((b, i) => (b, i)).Where(x => (string?)x.b!["type"] == "actions").Select(x => x.i).DefaultIfEmpty(kept.Count).First();
            kept.Insert(actionsAt, note);
        }
        return kept;
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(mrkdwn, MaxSectionText) },
    };

    private static JsonObject Fields(IEnumerable<string> mrkdwnFields)
    {
        var fields = new JsonArray();
        foreach (var f in mrkdwnFields.Take(MaxFields))
        {
            fields.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(f, MaxFieldText) });
        }
        return new JsonObject { ["type"] = "section", ["fields"] = fields };
    }

    private static JsonObject Context(string mrkdwn) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate(mrkdwn, MaxFieldText) } },
    };

    private static JsonObject Button(string text, string actionId, string value, string style) => new()
    {
        ["type"] = "button",
        ["action_id"] = actionId,
        ["value"] = value,
        ["style"] = style,
        ["text"] = PlainText(TextClip.Clip(text, MaxButtonText)),
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = true };

    /// <summary>Shortens already-escaped mrkdwn without cutting an entity, a mention or a code fence.</summary>
    private static string Truncate(string mrkdwn, int max)
    {
        if (mrkdwn.Length <= max)
        {
            return mrkdwn;
        }
        var cut = SafeCut(mrkdwn, max - 5);
        var head = mrkdwn[..cut];
        // An odd number of ``` means we cut inside a code block: close it.
        var fences = Regex.Count(head, "```");
        return fences % 2 == 1 ? head + TextClip.Ellipsis + "\n```" : head + TextClip.Ellipsis;
    }

    /// <summary>The largest cut ≤ <paramref name="max"/> that splits no surrogate pair, <c>&amp;…;</c> entity or <c>&lt;…&gt;</c> token.</summary>
    private static int SafeCut(string text, int max)
    {
        if (text.Length <= max)
        {
            return text.Length;
        }
        var cut = max;
        if (char.IsLowSurrogate(text[cut]) && cut > 0)
        {
            cut--;
        }
        var amp = text.LastIndexOf('&', cut - 1);
        if (amp >= 0 && text.IndexOf(';', amp) is var semi && (semi < 0 || semi >= cut) && cut - amp <= 5)
        {
            cut = amp;
        }
        var open = text.LastIndexOf('<', cut - 1);
        if (open >= 0 && text.LastIndexOf('>', cut - 1) < open)
        {
            cut = open;
        }
        return Math.Max(cut, 1);
    }

    [GeneratedRegex("^[UW][A-Z0-9]{2,30}$")]
    private static partial Regex SlackUserId();
}
