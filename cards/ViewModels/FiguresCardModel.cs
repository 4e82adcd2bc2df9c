namespace TheModel.Cards.ViewModels;

public sealed record FigureRow(string Label, string Value, string? Change = null);

public sealed record FigureSection(string Title, IReadOnlyList<FigureRow> Rows);

public sealed record BarDatum(string Label, double Value, string Display);

/// <summary>
/// Figures answers (funnel, KPIs, plan, queue, digest): titled sections of label/value rows, an optional bar
/// chart and a call-out (e.g. the bottleneck). Texts come localized.
/// </summary>
public sealed record FiguresCardModel
{
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public IReadOnlyList<FigureSection> Sections { get; init; } = [];
    public IReadOnlyList<BarDatum>? Chart { get; init; }
    public string? ChartTitle { get; init; }
    public string? Callout { get; init; }
    public required string Language { get; init; }
    /// <summary>Set for the weekly digest: the renderers then lay out its headline-first card instead of the sections.</summary>
    public DigestCardModel? Digest { get; init; }
}
