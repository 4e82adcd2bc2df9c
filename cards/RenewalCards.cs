using System.Text.Json.Nodes;

namespace TheModel.Cards;

/// <summary>
/// The renewal card: a customer's renewal date and contract, and Renewed / Churned / Upsold for the CS
/// owner. Texts arrive localized and raw; the renderers escape every value.
/// </summary>
public sealed record RenewalCardModel
{
    public required Guid LeadId { get; init; }
    public required string Company { get; init; }
    public string? ContactName { get; init; }
    /// <summary>The renewal date in the reader's zone, with the zone ("2027-11-16 (JST)").</summary>
    public required string RenewalDate { get; init; }
    public string? WonDate { get; init; }
    /// <summary>The current term: what Renewed proposes.</summary>
    public required int TermMonths { get; init; }
    /// <summary>The last renewal's amount, else the won amount, formatted; null when none is known.</summary>
    public string? LastAmount { get; init; }
    /// <summary>After a decision: who did what ("Renewed by 伊藤: 1,200,000 for 12 months"); the card then has no actions.</summary>
    public string? Outcome { get; init; }
    public required string Language { get; init; }
}

/// <summary>
/// The renewal card as an Adaptive Card (Teams: one <c>Action.ShowCard</c> form per decision, each submitted with an
/// <c>Action.Execute</c>) and as Block Kit (Slack: the inputs on the message, three buttons; Slack hands the inputs back
/// in the click's <c>state</c>). Its verbs are in <see cref="CardActions"/>, its input ids in <see cref="CardFields"/>.
/// </summary>
public static class RenewalCards
{
    /// <summary>The three decisions, in the order the card shows them.</summary>
    public static readonly IReadOnlyList<string> Actions = [CardActions.Renewed, CardActions.Churned, CardActions.Upsold];

    /// <summary>The fixed churn reasons (the API's <c>ChurnReason</c> names), in the order the choice shows them.</summary>
    public static readonly IReadOnlyList<string> ChurnReasons = ["Price", "NoUsage", "Competitor", "Budget", "Merged", "Other"];

    private const int MaxNote = 1000;

    public static string ReasonText(string reason, bool ja) => (reason, ja) switch
    {
        ("Price", true) => "価格",
        ("NoUsage", true) => "使われていない",
        ("Competitor", true) => "競合に移行",
        ("Budget", true) => "予算",
        ("Merged", true) => "合併・統合",
        ("Other", true) => "その他",
        ("NoUsage", false) => "No usage",
        _ => reason,
    };

    public static string ActionLabel(string action, bool ja) => action switch
    {
        CardActions.Renewed => ja ? $"🔁 {JapaneseTerms.Renew}" : "🔁 Renewed",
        CardActions.Churned => ja ? $"👋 {JapaneseTerms.Churn}" : "👋 Churned",
        _ => ja ? $"📈 {JapaneseTerms.Upsell}" : "📈 Upsold",
    };

    /// <summary>"🔔 Renewal: Acme KK" / 「🔔 更新のお知らせ: アクメ」 (raw: the caller escapes).</summary>
    public static string Title(RenewalCardModel model) =>
        model.Language == "ja" ? $"🔔 {JapaneseTerms.Renew}のお知らせ: {model.Company}" : $"🔔 Renewal: {model.Company}";

    public static JsonObject Adaptive(RenewalCardModel model)
    {
        var ja = model.Language == "ja";
        var body = new JsonArray
        {
            Text(AdaptiveMarkdown.Escape(TextClip.Clip(Title(model), 200)), "Bolder", "Medium"),
            new JsonObject { ["type"] = "FactSet", ["facts"] = new JsonArray([.. Facts(model, ja, (title, value) => (JsonNode)new JsonObject
            {
                ["title"] = AdaptiveMarkdown.Escape(title), ["value"] = AdaptiveMarkdown.Escape(TextClip.Clip(value, 200)),
            })]) },
        };
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
        };
        if (model.Outcome is { Length: > 0 } outcome)
        {
            body.Add(Text($"✅ {AdaptiveMarkdown.Escape(TextClip.Clip(outcome, 600))}", "Bolder", null));
            return card;
        }
        var choices = new JsonArray();
        foreach (var reason in ChurnReasons)
        {
            choices.Add(new JsonObject { ["title"] = ReasonText(reason, ja), ["value"] = reason });
        }
        card["actions"] = new JsonArray
        {
            Form(model, CardActions.Renewed, ja,
                NumberInput(CardFields.RenewedAmount, ja ? "金額" : "Amount", null, 0),
                NumberInput(CardFields.RenewedTerm, ja ? "契約期間（月）" : "Term (months)", model.TermMonths, 1)),
            Form(model, CardActions.Churned, ja,
                new JsonObject
                {
                    ["type"] = "Input.ChoiceSet", ["id"] = CardFields.ChurnReason, ["label"] = ja ? "理由" : "Reason", ["isRequired"] = true,
                    ["errorMessage"] = ja ? "理由を選んでください" : "Choose a reason", ["choices"] = choices,
                },
                new JsonObject
                {
                    ["type"] = "Input.Text", ["id"] = CardFields.ChurnNote, ["label"] = ja ? "メモ（任意）" : "Note (optional)",
                    ["isMultiline"] = true, ["maxLength"] = MaxNote,
                }),
            Form(model, CardActions.Upsold, ja, NumberInput(CardFields.UpsoldAmount, ja ? "金額" : "Amount", null, 0)),
        };
        return card;
    }

    public static SlackMessage BlockKit(RenewalCardModel model)
    {
        var ja = model.Language == "ja";
        var facts = Facts(model, ja, (title, value) => $"*{SlackMrkdwn.Escape(title)}:* {SlackMrkdwn.Escape(TextClip.Clip(value, 200))}");
        var blocks = new JsonArray
        {
            Section($"*{SlackMrkdwn.Escape(TextClip.Clip(Title(model), 200))}*\n{string.Join("\n", facts)}"),
        };
        var text = SlackMrkdwn.Escape($"{Title(model)} — {model.RenewalDate}");
        if (model.Outcome is { Length: > 0 } outcome)
        {
            blocks.Add(Section($":white_check_mark: *{SlackMrkdwn.Escape(TextClip.Clip(outcome, 600))}*"));
            return new SlackMessage(text, blocks);
        }
        // One amount input serves Renewed and Upsold: a Slack message has one state for all its buttons.
        blocks.Add(SlackInput(CardFields.RenewedAmount, ja ? "金額（更新・アップセル）" : "Amount (renewed or upsold)", NumberElement(CardFields.RenewedAmount, null)));
        blocks.Add(SlackInput(CardFields.RenewedTerm, ja ? "契約期間（月、更新時）" : "Term in months (renewed)", NumberElement(CardFields.RenewedTerm, model.TermMonths)));
        var options = new JsonArray();
        foreach (var reason in ChurnReasons)
        {
            options.Add(new JsonObject { ["text"] = Plain(ReasonText(reason, ja)), ["value"] = reason });
        }
        blocks.Add(SlackInput(CardFields.ChurnReason, ja ? $"{JapaneseTerms.Churn}の理由" : "Churn reason",
            new JsonObject { ["type"] = "static_select", ["action_id"] = CardFields.ChurnReason, ["options"] = options }));
        blocks.Add(SlackInput(CardFields.ChurnNote, ja ? "メモ（任意）" : "Note (optional)",
            new JsonObject { ["type"] = "plain_text_input", ["action_id"] = CardFields.ChurnNote, ["max_length"] = MaxNote }));
        var buttons = new JsonArray();
        foreach (var action in Actions)
        {
            buttons.Add(new JsonObject
            {
                ["type"] = "button", ["action_id"] = action, ["value"] = model.LeadId.ToString(), ["text"] = Plain(ActionLabel(action, ja)),
            });
        }
        blocks.Add(new JsonObject { ["type"] = "actions", ["block_id"] = $"renewal:{model.LeadId}", ["elements"] = buttons });
        return new SlackMessage(text, blocks);
    }

    private static List<T> Facts<T>(RenewalCardModel model, bool ja, Func<string, string, T> fact)
    {
        var facts = new List<T>();
        if (!string.IsNullOrWhiteSpace(model.ContactName))
        {
            facts.Add(fact(ja ? "担当者" : "Contact", model.ContactName));
        }
        facts.Add(fact(ja ? "契約更新日" : "Renewal date", model.RenewalDate));
        if (model.WonDate is { Length: > 0 } won)
        {
            facts.Add(fact(ja ? "受注日" : "Won", won));
        }
        facts.Add(fact(ja ? "契約期間" : "Term", ja ? $"{model.TermMonths}か月" : $"{model.TermMonths} months"));
        if (model.LastAmount is { Length: > 0 } amount)
        {
            facts.Add(fact(ja ? "直近の金額" : "Last amount", amount));
        }
        return facts;
    }

    private static JsonObject Form(RenewalCardModel model, string verb, bool ja, params JsonObject[] inputs)
    {
        var body = new JsonArray();
        foreach (var input in inputs)
        {
            body.Add(input);
        }
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = ActionLabel(verb, ja),
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = body,
                ["actions"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "Action.Execute",
                        ["id"] = verb,
                        ["title"] = ja ? "記録する" : "Record",
                        ["verb"] = verb,
                        ["data"] = new JsonObject { [CardFields.LeadId] = model.LeadId.ToString() },
                    },
                },
            },
        };
    }

    private static JsonObject NumberInput(string id, string label, int? value, int min)
    {
        var input = new JsonObject { ["type"] = "Input.Number", ["id"] = id, ["label"] = label, ["min"] = min, ["isRequired"] = true };
        if (value is { } v)
        {
            input["value"] = v;
        }
        return input;
    }

    private static JsonObject NumberElement(string id, int? value)
    {
        var element = new JsonObject { ["type"] = "number_input", ["action_id"] = id, ["is_decimal_allowed"] = id != CardFields.RenewedTerm };
        if (value is { } v)
        {
            element["initial_value"] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return element;
    }

    private static JsonObject SlackInput(string id, string label, JsonObject element) => new()
    {
        ["type"] = "input", ["block_id"] = id, ["optional"] = true, ["label"] = Plain(label), ["element"] = element,
    };

    private static JsonObject Plain(string text) => new() { ["type"] = "plain_text", ["text"] = TextClip.Clip(text, 75), ["emoji"] = true };

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = TextClip.Clip(mrkdwn, 2900) },
    };

    private static JsonObject Text(string text, string? weight, string? size)
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
        return block;
    }
}
