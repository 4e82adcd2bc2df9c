using System.Text.Json.Serialization;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.People;

namespace TheModel.Bot.Digest;

/// <summary>
/// The weekly baton meeting digest (docs/design.md §4): the week's figures next to the week before, the
/// stage that fell most, the balls that were dropped and what each department should hear. Every figure comes from
/// <see cref="IKpiQueries"/> for the same week, so it equals <c>GET /api/kpis</c>; rates are null when their
/// denominator is 0 (never NaN).
/// </summary>
public sealed record DigestFigures(
    Period Week,
    Period PreviousWeek,
    // Monday and Sunday of the week, in the calendar's time zone.
    DateOnly FirstDay,
    DateOnly LastDay,
    DateTime GeneratedAt,
    FunnelChain Funnel,
    IReadOnlyList<DepartmentDigest> Departments,
    Bottleneck? Bottleneck,
    IReadOnlyList<HandoffDigest> Handoffs,
    DroppedBalls DroppedBalls,
    double? LeadNeglectRate,
    IReadOnlyList<RejectionFeedback> Rejections,
    RecycledLeads Recycled,
    InsideSalesBacklog Backlog)
{
    /// <summary>The chain's counts averaged over the <see cref="DigestFigureQueries.TrailingWeeks"/> weeks before this one (the chart's second series).</summary>
    public ChainAverage? TrailingAverage { get; init; }

    /// <summary>This week and the weeks before it, oldest first (<see cref="DigestFigureQueries.TrendWeeks"/> in all): SLA compliance and acceptance per handoff kind.</summary>
    public IReadOnlyList<TrendWeek> Trend { get; init; } = [];

    /// <summary>Accepted SQLs with no activity for <c>Kpis:NeglectDays</c> when the digest is made, longest silent first (at most <see cref="DigestFigureQueries.TopNeglected"/>).</summary>
    public IReadOnlyList<NeglectedLead> Neglected { get; init; } = [];
}

/// <summary>One neglected SQL: the lead, its owner (null = nobody) and whole days since its last activity.</summary>
public sealed record NeglectedLead(Guid LeadId, string Company, string Contact, Guid? OwnerId, string? Owner, int Days);

/// <summary>Mean weekly counts of the chain over <c>Weeks</c> weeks, the same figures <c>GET /api/kpis</c> gives for each.</summary>
public sealed record ChainAverage(int Weeks, double Inquiries, double Mqls, double Sqls, double Won);

/// <summary>One week of the trend: its Monday (calendar time zone) and each handoff kind's rates (null when nothing was offered).</summary>
public sealed record TrendWeek(string Week, DateOnly FirstDay, IReadOnlyList<TrendPoint> Handoffs);

public sealed record TrendPoint(HandoffKind Kind, double? SlaCompliance, double? AcceptanceRate);

/// <summary>A figure of this week next to last week's. <c>Change</c> = value − previous (percentage points for ratios); <c>RelativeChange</c> = change / previous.</summary>
public sealed record KpiChange(string Key, string Unit, double? Value, double? Previous, double? Change, double? RelativeChange)
{
    public static KpiChange Of(string key, string unit, double? value, double? previous)
    {
        double? change = value is { } v && previous is { } p ? v - p : null;
        double? relative = change is { } c && previous is { } q && q != 0 ? c / q : null;
        return new KpiChange(key, unit, value, previous, change, relative);
    }
}

public sealed record DepartmentDigest(Department Department, IReadOnlyList<KpiChange> Values);

/// <summary>Inquiries → MQL → SQL → won, each stage with its rate from the previous one, and the week before.</summary>
public sealed record FunnelChain(
    KpiChange Inquiries,
    KpiChange Mqls,
    KpiChange Sqls,
    KpiChange Won,
    KpiChange Lost,
    KpiChange Revenue,
    KpiChange MqlRate,
    KpiChange MqlToSql,
    KpiChange WinRate);

/// <summary>
/// The conversion or acceptance rate with the largest relative drop against its baseline: the configured target
/// (<c>Digest:Targets:{Key}</c>) when set, else the mean of its trailing four weekly values.
/// </summary>
public sealed record Bottleneck(string Key, double Value, double Baseline, string BaselineKind, double RelativeDrop, int TrailingWeeks)
{
    public const string TargetBaseline = "target";
    public const string TrailingBaseline = "trailing-4-weeks";
}

/// <summary>One handoff kind's week: SLA compliance and response times (business hours), with last week's compliance.</summary>
public sealed record HandoffDigest(
    HandoffKind Kind,
    Department From,
    Department To,
    int Offered,
    int Accepted,
    int Rejected,
    int Expired,
    double? AcceptanceRate,
    KpiChange SlaCompliance,
    ResponseTimes ResponseTime,
    int DroppedBalls);

/// <summary>ポテンヒット: offers that expired in the week plus offers whose deadline fell in the week and are still open now.</summary>
public sealed record DroppedBalls(int Total, int OpenPastDeadlineNow, IReadOnlyList<DroppedBall> Top);

/// <summary>One dropped ball: who had it (null = the department queue), which lead, since when.</summary>
public sealed record DroppedBall(
    Guid HandoffId,
    HandoffKind Kind,
    HandoffState State,
    Guid LeadId,
    string Company,
    string Contact,
    string? Assignee,
    DateTime OfferedAt,
    DateTime DeadlineAt)
{
    public Guid? AssigneeId { get; init; }

    /// <summary>How chat reaches the assignee, for the digest's mentions; not part of the API's answer.</summary>
    [JsonIgnore]
    public string? AssigneeTeamsUserId { get; init; }

    [JsonIgnore]
    public string? AssigneeTeamsAadObjectId { get; init; }

    [JsonIgnore]
    public string? AssigneeSlackUserId { get; init; }
}

/// <summary>Why the receiving department turned leads down, addressed to the department that sent them.</summary>
public sealed record RejectionFeedback(HandoffKind Kind, Department To, int Rejected, IReadOnlyList<ReasonCount> TopReasons);

public sealed record RecycledLeads(int Total, IReadOnlyList<ReasonCount> Reasons)
{
    /// <summary>The other way: leads the recycle clock brought back as MQLs this week, and recycled leads that became SQL/won this week.</summary>
    public RecycledBackCounts Back { get; init; } = new(0, 0);
}

/// <summary>Same figures as <c>recycledBack</c> / <c>recycledConverted</c> in <c>GET /api/kpis</c> for the week.</summary>
public sealed record RecycledBackCounts(int RecycledBack, int RecycledConverted);

/// <summary>
/// Open MQL work in Inside Sales (offered, plus accepted but not yet qualified) per available member, against their
/// average capacity; advice to turn the MQL threshold when far off (&gt;1.5× or &lt;0.5×).
/// </summary>
public sealed record InsideSalesBacklog(
    int OpenOffered,
    int AcceptedNotQualified,
    int AvailableMembers,
    double? PerMember,
    double? AverageCapacity,
    double? Load,
    MqlThresholdAdvice? Advice);

/// <summary><c>Direction</c> is <c>raise</c> or <c>lower</c>; the setting is <c>Qualification:MqlThreshold</c> (or the run-time qualification setting).</summary>
public sealed record MqlThresholdAdvice(string Direction, int CurrentThreshold, int SuggestedThreshold);
