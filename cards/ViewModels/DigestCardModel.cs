namespace TheModel.Cards.ViewModels;

/// <summary>Week-over-week direction of a headline figure: the renderers draw ▲ ▼ →.</summary>
public enum Arrow
{
    Flat,
    Up,
    Down,
}

/// <summary>One figure of the headline: label, value, its arrow and the change as text (null when unknown).</summary>
public sealed record HeadlineFigure(string Label, string Value, Arrow? Arrow, string? Change);

/// <summary>
/// One category of the grouped bar chart: this week against the trailing average. <c>AxisLabel</c> needs no CJK font
/// (MQL, SQL, Won …), for images drawn where none is installed.
/// </summary>
public sealed record ChainBar(string Label, string AxisLabel, double ThisWeek, double? Average);

/// <summary>One line of the trend chart (e.g. "MQL → IS SLA"): one value per week of <see cref="TrendChart.Weeks"/>, null where unknown. Values are percentages.</summary>
public sealed record TrendLine(string Label, string AxisLabel, IReadOnlyList<double?> Values);

public sealed record ChainChart(string Title, string ThisWeekLabel, string AverageLabel, string AxisThisWeekLabel, string AxisAverageLabel,
    IReadOnlyList<ChainBar> Bars, string AltText);

/// <summary><c>Weeks</c> are the weeks' Mondays as ISO dates (no CJK needed on an axis).</summary>
public sealed record TrendChart(string Title, IReadOnlyList<string> Weeks, IReadOnlyList<TrendLine> Lines, IReadOnlyList<FigureRow> Fallback, string AltText);

/// <summary>A dropped ball in the headline list: the assignee mentioned when chat knows them (null = the department queue).</summary>
/// <summary>"IS is far over capacity: raise …" and the button "Set the MQL threshold to 75" that does it.</summary>
public sealed record DigestAdviceView(string Text, string Button, int Threshold);

public sealed record DroppedBallView(string Lead, PersonRef? Assignee, string AssigneeText, string Detail);

/// <summary>
/// The weekly digest as a meeting looks at it: the headline first — week, bottleneck, the chain's figures with
/// arrows, the dropped-ball count — then two charts, the top dropped balls with their assignees mentioned, and the
/// details (departments, SLA, reasons …) folded away. Texts come localized; renderers only lay out.
/// </summary>
public sealed record DigestCardModel
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Callout { get; init; }
    /// <summary>The threshold advice with its one-click button, in the headline where a manager sees it; null without advice.</summary>
    public DigestAdviceView? Advice { get; init; }
    public required IReadOnlyList<HeadlineFigure> Headline { get; init; }
    /// <summary>"Dropped balls: 2 (1 still open past deadline)".</summary>
    public required string DroppedHeadline { get; init; }
    public bool HasDroppedBalls { get; init; }
    public ChainChart? Chain { get; init; }
    public TrendChart? Trend { get; init; }
    public string DroppedTitle { get; init; } = "";
    public IReadOnlyList<DroppedBallView> Dropped { get; init; } = [];
    /// <summary>"and 3 more", or null.</summary>
    public string? DroppedMore { get; init; }
    public string DetailsTitle { get; init; } = "";
    /// <summary>Slack: the summary's pointer to its thread (details and chart images).</summary>
    public string ThreadNote { get; init; } = "";
    /// <summary>Shown on demand: each department's figures, SLA lines, reasons, nurture, backlog.</summary>
    public IReadOnlyList<FigureSection> Details { get; init; } = [];
    public required string Language { get; init; }
}
