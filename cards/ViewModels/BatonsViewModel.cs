namespace TheModel.Cards.ViewModels;

/// <summary>
/// One baton in a person's list. <c>TimeLeft</c>: "3h 20m left" / "overdue 1h" (empty once accepted); <c>Queue</c>: the
/// department-queue label when it waits there; <c>Open</c>: still offered, so the view shows Accept / Reject with the
/// same action ids and values as the handoff card; <c>ContactActions</c>: accepted and awaiting the first touch, so the
/// view shows the contact actions of the 24-hour rule (the handoff card's verbs and values).
/// </summary>
public sealed record BatonLine(string HandoffId, string KindLabel, string Company, string ContactName, string TimeLeft,
    bool Overdue, string? Queue, bool Open, bool ContactActions = false);

/// <summary>A titled list of batons; <c>MoreText</c> ("and 3 more") when some were left out.</summary>
public sealed record BatonSectionView(string Title, IReadOnlyList<BatonLine> Lines, string? MoreText = null);

/// <summary>One of a manager's people: name and their counts, already phrased.</summary>
public sealed record TeamLine(string Name, string Counts, bool HasOverdue);

/// <summary>
/// "My batons": the Slack App Home and the Teams my-batons card, channel-neutral. Built by the bot from
/// <c>BatonQueue</c> (texts in the reader's language, times in their time zone); rendered by both renderers.
/// </summary>
public sealed record BatonsViewModel
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    /// <summary>Shown instead of the lists (e.g. someone not in the directory: how to get added).</summary>
    public string? Notice { get; init; }
    public IReadOnlyList<BatonSectionView> Sections { get; init; } = [];
    /// <summary>The department's headline figures of the week.</summary>
    public FigureSection? Week { get; init; }
    public string? TeamTitle { get; init; }
    public IReadOnlyList<TeamLine> Team { get; init; } = [];
    public required string Language { get; init; }
    /// <summary>Teams <c>29:…</c> id of the reader: the card's <c>refresh.userIds</c>.</summary>
    public string? TeamsUserId { get; init; }
}
