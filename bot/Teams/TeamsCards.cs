using System.Text.Json.Nodes;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Teams;

/// <summary>Wraps rendered Adaptive Cards into Bot Framework activities and invoke responses (docs/protocols/teams.md §3–4).</summary>
public static class TeamsCards
{
    /// <summary>A conservative ceiling: well under the ≈100 KB bot message limit and the 28 KB webhook one (docs/protocols/teams.md §4).</summary>
    public const int MaxCardBytes = 28 * 1024;

    public static JsonObject Attachment(JsonObject card) => new()
    {
        ["contentType"] = AdaptiveCardRenderer.ContentType,
        ["content"] = card,
    };

    /// <summary>
    /// A message carrying <paramref name="cards"/>, with <paramref name="text"/> as the fallback/notification text.
    /// <paramref name="text"/> is the bot's neutral text (fixed sentences with values in them): Teams renders message
    /// text as Markdown, so it is escaped here, keeping only its code spans (<see cref="AdaptiveMarkdown.EscapeText"/>).
    /// </summary>
    public static JsonObject Message(string? text, IEnumerable<JsonObject> cards, IEnumerable<Person>? mention = null)
    {
        var activity = new JsonObject { ["type"] = "message" };
        var attachments = new JsonArray();
        foreach (var card in cards)
        {
            attachments.Add(Attachment(card));
        }
        if (attachments.Count > 0)
        {
            activity["attachments"] = attachments;
        }
        var entities = new JsonArray();
        var prefix = "";
        foreach (var person in mention ?? [])
        {
            if (MentionId(person) is not { } id)
            {
                continue;
            }
            var tag = AdaptiveCardRenderer.MentionText(person.Name);
            prefix += tag + " ";
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = tag,
                ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = person.Name },
            });
        }
        if (entities.Count > 0)
        {
            activity["entities"] = entities;
        }
        if (!string.IsNullOrEmpty(text) || prefix.Length > 0)
        {
            activity["text"] = (prefix + AdaptiveMarkdown.EscapeText(text)).Trim();
        }
        return activity;
    }

    /// <summary>
    /// The handoff card as an attachment-only message: who must act is mentioned inside the card (<c>msteams.entities</c>,
    /// docs/protocols/teams.md §3 "@mention in an Adaptive Card") and the summary line is the notification text. Text next to a card
    /// would be a second message for some clients (the Agents Playground splits it and returns no activity id).
    /// </summary>
    public static JsonObject HandoffMessage(HandoffCardModel model, IEnumerable<Person>? mention = null)
    {
        var card = WithMentions(AdaptiveCardRenderer.Handoff(model), mention ?? []);
        return new JsonObject
        {
            ["type"] = "message",
            ["summary"] = Summary(model),
            ["attachments"] = new JsonArray { Attachment(card) },
        };
    }

    /// <summary>Adds Teams card mentions: an <c>&lt;at&gt;</c> line on top (unless the card already has it) and the entities.</summary>
    public static JsonObject WithMentions(JsonObject card, IEnumerable<Person> people)
    {
        var entities = new JsonArray();
        var tags = new List<string>();
        // The card's strings as a reader sees them (JSON would double the backslashes of an escaped name).
        var json = string.Join("\n", Strings(card));
        foreach (var person in people)
        {
            if (MentionId(person) is not { } id)
            {
                continue;
            }
            var tag = AdaptiveCardRenderer.MentionText(person.Name);
            if (!json.Contains(tag, StringComparison.Ordinal))
            {
                tags.Add(tag);
            }
            entities.Add(new JsonObject
            {
                ["type"] = "mention",
                ["text"] = tag,
                ["mentioned"] = new JsonObject { ["id"] = id, ["name"] = person.Name },
            });
        }
        if (entities.Count == 0)
        {
            return card;
        }
        if (tags.Count > 0 && card["body"] is JsonArray body)
        {
            body.Insert(0, new JsonObject { ["type"] = "TextBlock", ["text"] = string.Join(" ", tags), ["wrap"] = true });
        }
        var msteams = card["msteams"] as JsonObject ?? new JsonObject();
        if (msteams["entities"] is JsonArray existing)
        {
            foreach (var entity in entities.ToList())
            {
                entities.Remove(entity);
                existing.Add(entity);
            }
        }
        else
        {
            msteams["entities"] = entities;
        }
        card["msteams"] = msteams;
        return card;
    }

    /// <summary>
    /// The notification line. Left as plain text on purpose: Teams shows <c>summary</c> only in notifications and
    /// previews, which render no Markdown, so escapes would show as backslashes and no link can form there.
    /// </summary>
    public static string Summary(HandoffCardModel model)
    {
        var ja = model.Language == "ja";
        var head = model.Banner is { Length: > 0 } banner ? banner + " — " : "";
        // The outcome in the reader's words ("差し戻し済み"), as the card itself says it.
        var outcome = model.Decision is { } decided ? CardTexts.For(model.Language).StateLabel(decided.Outcome) : "";
        return model.Decision is { } d
            ? head + (ja ? $"{model.KindLabel}: {model.Company} — {outcome}{(d.By is null ? "" : $" ({d.By.Name})")}"
                         : $"{model.KindLabel}: {model.Company} — {outcome}{(d.By is null ? "" : $" by {d.By.Name}")}")
            : head + (ja ? $"新しいバトン {model.KindLabel}: {model.Company}（{model.ContactName}）{model.TimeLeft}"
                         : $"New baton {model.KindLabel}: {model.Company} ({model.ContactName}), {model.TimeLeft}");
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonArray array => array.SelectMany(Strings),
        JsonObject obj => obj.SelectMany(p => Strings(p.Value)),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => [value.GetValue<string>()],
        _ => [],
    };

    /// <summary>Teams accepts the <c>29:</c> user id, and for bots also the Entra object id, as a mention target.</summary>
    public static string? MentionId(Person person) =>
        person.TeamsUserId is { Length: > 0 } user ? user : person.TeamsAadObjectId is { Length: > 0 } aad ? aad : null;

    // Universal Actions invoke responses: HTTP 200, the outcome in the body (docs/protocols/teams.md §4).
    public static JsonObject CardResponse(JsonObject card) => new()
    {
        ["statusCode"] = 200,
        ["type"] = AdaptiveCardRenderer.ContentType,
        ["value"] = card,
    };

    public static JsonObject MessageResponse(string text) => new()
    {
        ["statusCode"] = 200,
        ["type"] = "application/vnd.microsoft.activity.message",
        ["value"] = text,
    };

    public static JsonObject ErrorResponse(int statusCode, string code, string message) => new()
    {
        ["statusCode"] = statusCode,
        ["type"] = "application/vnd.microsoft.error",
        ["value"] = new JsonObject { ["code"] = code, ["message"] = message },
    };
}
