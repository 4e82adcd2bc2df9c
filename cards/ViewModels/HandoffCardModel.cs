namespace TheModel.Cards.ViewModels;

/// <summary>Someone a card mentions: the renderer picks the platform's mention form.</summary>
public sealed record PersonRef(string Name, string? TeamsUserId = null, string? TeamsAadObjectId = null, string? SlackUserId = null);

public sealed record BantView(string? Budget, string? Authority, string? Need, string? Timeline);

/// <summary>The outcome shown once a handoff is decided or expired.</summary>
public sealed record DecisionView(
    string Outcome,              // "Accepted" | "Rejected" | "Expired"
    PersonRef? By,
    DateTimeOffset At,           // in the reader's time zone
    string ResponseTime,         // e.g. "1h 12m"
    string? Reason,              // localized reject reason
    string? Note);

/// <summary>
/// Channel-neutral handoff card. Built by the bot from the domain (texts already in the reader's language,
/// times already in the reader's time zone); rendered to Adaptive Card JSON (Teams) and Block Kit (Slack).
/// </summary>
public sealed record HandoffCardModel
{
    public required string HandoffId { get; init; }
    public required string Kind { get; init; }           // "MqlToIs" | "SqlToFs" | "WonToCs"
    public required string KindLabel { get; init; }      // "MQL → IS"
    public required string Company { get; init; }
    public required string ContactName { get; init; }
    public string? ContactTitle { get; init; }
    public string? ContactEmail { get; init; }
    public int Score { get; init; }
    public required string Temperature { get; init; } // "Hot" | "Warm" | "Cold"
    public string? Source { get; init; }
    public BantView? Bant { get; init; }                // SqlToFs
    public string? Amount { get; init; }                // WonToCs, formatted
    public PersonRef? Assignee { get; init; }           // null = department queue
    public required string RoutingReason { get; init; }
    public required DateTimeOffset Deadline { get; init; } // reader's time zone
    /// <summary>Which zone the times are in ("JST"), shown beside them on a channel copy, which has no single reader; null on a person's.</summary>
    public string? TimeZoneLabel { get; init; }
    public required string TimeLeft { get; init; }      // "3h 20m left" / "overdue 1h"
    public bool Overdue { get; init; }
    public required string State { get; init; }         // "Offered" | "Accepted" | "Rejected" | "Expired"
    public DecisionView? Decision { get; init; }
    public int Attempt { get; init; }
    public required string Language { get; init; }      // "en" | "ja"
    /// <summary>Shown above the card body: reminder / escalation banner, or null.</summary>
    public string? Banner { get; init; }
    /// <summary>The accepted card offers the contact actions (<see cref="CardActions.ContactLogs"/>) to whoever holds the lead.</summary>
    public bool ContactActions { get; init; }
    /// <summary>"First touch after 2h 10m (business)" once the first-contact clock stopped, in the reader's language; else null.</summary>
    public string? FirstTouch { get; init; }
    /// <summary>A recycled MQL: why it is back ("Back from nurture: rejected 90 days ago for bad timing by 佐藤: 'next fiscal year'"), or null.</summary>
    public string? BackBecause { get; init; }
    /// <summary>While the first-contact clock runs: "contact by 12/08 15:00 — 5h left" (reader's language and zone), else null.</summary>
    public string? ContactDue { get; init; }
    /// <summary>An accepted Won → CS card not kicked off yet offers "Kick-off done" (<see cref="CardActions.KickOff"/>).</summary>
    public bool KickOffAction { get; init; }
    /// <summary>"Kicked off on 2026-12-07" once CS recorded it (reader's language and zone), else null.</summary>
    public string? KickedOff { get; init; }

    /// <summary>
    /// The lead's optional facts in card order (source, BANT, amount), only those with a value: both renderers show the
    /// same ones, so which facts a card carries is decided here once.
    /// </summary>
    public IEnumerable<(string Label, string Value)> LeadFacts(CardTexts t)
    {
        (string Label, string? Value)[] all = [(t.Source, Source), (t.Budget, Bant?.Budget), (t.Authority, Bant?.Authority),
            (t.Need, Bant?.Need), (t.Timeline, Bant?.Timeline), (t.Amount, Amount)];
        return all.Where(f => !string.IsNullOrWhiteSpace(f.Value)).Select(f => (f.Label, f.Value!));
    }
}
