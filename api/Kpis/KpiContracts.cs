using TheModel.Api.Handoffs;
using TheModel.Api.People;

namespace TheModel.Api.Kpis;

/// <summary>A reporting period <c>[FromUtc, ToUtc)</c>, computed in the calendar's time zone; weeks start Monday.</summary>
public sealed record Period(DateTime FromUtc, DateTime ToUtc, string Label);

public sealed record ResponseTimes(double? MedianBusinessHours, double? P90BusinessHours, double? MedianWallHours, double? P90WallHours);

/// <summary>Figures of one handoff kind over a period (docs/design.md §4). Rates are null when their denominator is 0.</summary>
public sealed record HandoffKindKpis(
    HandoffKind Kind,
    int Offered,
    int Accepted,
    int Rejected,
    int Expired,
    double? AcceptanceRate,
    double? SlaCompliance,
    ResponseTimes ResponseTime,
    int DroppedBalls,
    IReadOnlyList<ReasonCount> RejectReasons);

public sealed record ReasonCount(string Reason, int Count);

public sealed record FunnelReport(
    Period Period,
    int Inquiries,
    int Mqls,
    int Sqls,
    int Won,
    int Lost,
    decimal Revenue,
    double? MqlRate,
    double? MqlToSql,
    double? WinRate,
    IReadOnlyList<HandoffKindKpis> Handoffs);

/// <summary>One named figure of a department (<c>Key</c> is stable, e.g. <c>mqlRate</c>; <c>Unit</c> is <c>count</c>, <c>ratio</c>, <c>hours</c>, <c>days</c> or <c>currency</c>).</summary>
public sealed record KpiValue(string Key, double? Value, string Unit);

public sealed record DepartmentKpis(Department Department, IReadOnlyList<KpiValue> Values);

public sealed record KpiReport(
    Period Period,
    FunnelReport Funnel,
    IReadOnlyList<DepartmentKpis> Departments,
    double? LeadNeglectRate,
    IReadOnlyList<ReasonCount> Recycled)
{
    /// <summary>Leads the recycle clock brought back from Nurture as MQLs in the period (敗者復活戦).</summary>
    public int RecycledBack { get; init; }

    /// <summary>Leads recycled back (in the period or before) that became SQL or were won in the period, after coming back.</summary>
    public int RecycledConverted { get; init; }
}

/// <summary>Reverse plan (逆算) from a revenue target with trailing-90-day rates; nulls where a rate is unknown.</summary>
public sealed record PlanReport(
    decimal Target,
    decimal? AverageWonAmount,
    double? WinRate,
    double? MqlToSql,
    double? MqlRate,
    int? Won,
    int? Sqls,
    int? Mqls,
    int? Inquiries,
    Period Basis)
{
    /// <summary>The target is recurring revenue (継続): the won customers needed are those that stay at <see cref="RenewalRate"/>.</summary>
    public bool Recurring { get; init; }

    /// <summary>Renewed ÷ (renewed + churned) among renewals due in the basis period; null when none fell due.</summary>
    public double? RenewalRate { get; init; }

    /// <summary>The fourth link: ⌊won × renewal rate⌋, the won customers expected to stay.</summary>
    public int? Retained { get; init; }
}

/// <summary>The one source of truth for figures: the REST API, chat answers and the digest all call this.</summary>
public interface IKpiQueries
{
    Task<FunnelReport> FunnelAsync(Period period, CancellationToken ct = default);

    /// <summary>All departments when <paramref name="department"/> is null.</summary>
    Task<KpiReport> KpisAsync(Period period, Department? department, CancellationToken ct = default);

    Task<PlanReport> PlanAsync(decimal target, CancellationToken ct = default);

    /// <summary>The reverse plan on the rates of <paramref name="basis"/> instead of the trailing 90 days.</summary>
    Task<PlanReport> PlanAsync(decimal target, Period basis, CancellationToken ct = default) => PlanAsync(target, ct);

    /// <summary>
    /// The reverse plan on <paramref name="basis"/> (the trailing 90 days when null); a <paramref name="recurring"/> target is
    /// planned through the renewal rate (won needed = target ÷ (average amount × renewal rate)).
    /// </summary>
    Task<PlanReport> PlanAsync(decimal target, Period? basis, bool recurring, CancellationToken ct = default) =>
        basis is null ? PlanAsync(target, ct) : PlanAsync(target, basis, ct);
}

/// <summary>Parses the period syntax of docs/design.md §6 (<c>this-week|last-week|this-month|last-month|last-30-days|YYYY-MM|YYYY-Www</c>, or from/to).</summary>
public interface IPeriods
{
    /// <summary>Null or empty <paramref name="period"/> with no from/to means this month.</summary>
    bool TryParse(string? period, string? from, string? to, out Period result, out string? error);

    /// <summary>The Monday-to-Monday week containing <paramref name="instantUtc"/>, in the calendar's time zone.</summary>
    Period WeekOf(DateTime instantUtc);
}
