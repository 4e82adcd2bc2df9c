using Microsoft.EntityFrameworkCore;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Bot.Digest;

/// <summary>
/// Computes the weekly digest. The figures are <see cref="IKpiQueries"/>'s for the week and the week before (so the
/// digest, chat and <c>GET /api/kpis</c> can never disagree); the rest (dropped-ball list, IS backlog) are a few
/// indexed queries that read counts or at most <see cref="TopDroppedBalls"/> rows.
/// </summary>
public sealed class DigestFigureQueries(
    TheModelDb db, IKpiQueries kpis, IPeriods periods, IBusinessCalendar calendar, DigestOptions options,
    QualificationSettings qualification, TimeProvider time, Microsoft.Extensions.Options.IOptions<KpisOptions> kpisOptions)
{
    public const int TopDroppedBalls = 10;
    public const int TopNeglected = 10;
    public const int TopReasons = 3;
    public const int TrailingWeeks = 4;
    /// <summary>Weeks in the SLA and acceptance trend, this week included (a quarter).</summary>
    public const int TrendWeeks = 13;
    /// <summary>Backlog per IS member above this multiple of their average capacity: raise the MQL threshold.</summary>
    public const double OverloadedFactor = 1.5;
    /// <summary>Below this multiple: lower it.</summary>
    public const double IdleFactor = 0.5;
    public const int ThresholdStep = 5;

    /// <summary>The conversion and acceptance rates the bottleneck is chosen from, in relay order (ties go to the earlier stage).</summary>
    public static readonly IReadOnlyList<string> BottleneckKeys =
        ["mqlRate", "mqlAcceptanceRate", "mqlToSql", "sqlAcceptanceRate", "winRate", "onboardingAcceptanceRate"];

    /// <summary>The last Monday-to-Monday week that has ended at <paramref name="nowUtc"/>.</summary>
    public Period LastCompleteWeek(DateTime nowUtc) => Previous(periods.WeekOf(nowUtc));

    public Period Previous(Period week) => periods.WeekOf(week.FromUtc.AddTicks(-1));

    public async Task<DigestFigures> BuildAsync(Period week, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var previousWeek = Previous(week);
        var current = await kpis.KpisAsync(week, null, ct);
        var previous = await kpis.KpisAsync(previousWeek, null, ct);
        // The trailing weeks the bottleneck compares against: last week and the three before it.
        var trailing = new List<FunnelReport> { previous.Funnel };
        var earlier = previousWeek;
        while (trailing.Count < Math.Max(TrailingWeeks, TrendWeeks - 1))
        {
            earlier = Previous(earlier);
            trailing.Add(await kpis.FunnelAsync(earlier, ct));
        }
        // The trend (oldest first) reads the same weekly funnels as the bottleneck, then stops at TrendWeeks.
        var trend = trailing.Take(TrendWeeks - 1).Reverse().Append(current.Funnel)
            .Select(f => new TrendWeek(f.Period.Label, DayOf(f.Period.FromUtc),
                f.Handoffs.Select(h => new TrendPoint(h.Kind, h.SlaCompliance, h.AcceptanceRate)).ToList()))
            .ToList();
        var average = trailing.Take(TrailingWeeks).ToList();
        trailing = average;

        var previousHandoffs = previous.Funnel.Handoffs.ToDictionary(h => h.Kind);
        var handoffs = current.Funnel.Handoffs.Select(h => new HandoffDigest(
            h.Kind, h.Kind.From(), h.Kind.To(), h.Offered, h.Accepted, h.Rejected, h.Expired, h.AcceptanceRate,
            KpiChange.Of("slaCompliance", "ratio", h.SlaCompliance, previousHandoffs.GetValueOrDefault(h.Kind)?.SlaCompliance),
            h.ResponseTime, h.DroppedBalls)).ToList();

        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(week.FromUtc, DateTimeKind.Utc), calendar.TimeZone));
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(week.ToUtc, DateTimeKind.Utc), calendar.TimeZone)).AddDays(-1);
        return new DigestFigures(
            week,
            previousWeek,
            firstDay,
            lastDay,
            now,
            Chain(current.Funnel, previous.Funnel),
            Departments(current, previous),
            FindBottleneck(current.Funnel, trailing),
            handoffs,
            await DroppedBallsAsync(week, handoffs.Sum(h => h.DroppedBalls), now, ct),
            current.LeadNeglectRate,
            current.Funnel.Handoffs
                .Select(h => new RejectionFeedback(h.Kind, h.Kind.From(), h.Rejected, h.RejectReasons.Take(TopReasons).ToList()))
                .ToList(),
            new RecycledLeads(current.Recycled.Sum(r => r.Count), current.Recycled)
            {
                Back = new RecycledBackCounts(current.RecycledBack, current.RecycledConverted),
            },
            await BacklogAsync(ct))
        {
            TrailingAverage = new ChainAverage(average.Count, average.Average(f => f.Inquiries), average.Average(f => f.Mqls),
                average.Average(f => f.Sqls), average.Average(f => f.Won)),
            Trend = trend,
            Neglected = await NeglectedAsync(now, ct),
        };
    }

    /// <summary>The managers' list: the same leads the neglect rate counts (accepted SQLs), silent longest first; at most <see cref="TopNeglected"/> rows.</summary>
    private async Task<IReadOnlyList<NeglectedLead>> NeglectedAsync(DateTime now, CancellationToken ct)
    {
        var cutoff = now.AddDays(-kpisOptions.Value.NeglectDays);
        var rows = await db.Leads.AsNoTracking()
            .Where(l => l.Stage == LeadStage.Sql && l.LastActivityAt <= cutoff
                && db.Handoffs.Any(h => h.LeadId == l.Id && h.Kind == HandoffKind.SqlToFs && h.State == HandoffState.Accepted))
            .OrderBy(l => l.LastActivityAt).ThenBy(l => l.Id).Take(TopNeglected)
            .Select(l => new { l.Id, l.Company, l.Name, l.OwnerId, l.LastActivityAt }).ToListAsync(ct);
        var ownerIds = rows.Select(r => r.OwnerId).OfType<Guid>().Distinct().ToList();
        var owners = await db.People.AsNoTracking().Where(p => ownerIds.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return rows.Select(r => new NeglectedLead(r.Id, r.Company, r.Name, r.OwnerId,
            r.OwnerId is { } o && owners.TryGetValue(o, out var name) ? name : null, (int)(now - r.LastActivityAt).TotalDays)).ToList();
    }

    private DateOnly DayOf(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.TimeZone));

    private static FunnelChain Chain(FunnelReport f, FunnelReport p) => new(
        KpiChange.Of("inquiries", "count", f.Inquiries, p.Inquiries),
        KpiChange.Of("mqls", "count", f.Mqls, p.Mqls),
        KpiChange.Of("sqls", "count", f.Sqls, p.Sqls),
        KpiChange.Of("won", "count", f.Won, p.Won),
        KpiChange.Of("lost", "count", f.Lost, p.Lost),
        KpiChange.Of("revenue", "currency", (double)f.Revenue, (double)p.Revenue),
        KpiChange.Of("mqlRate", "ratio", f.MqlRate, p.MqlRate),
        KpiChange.Of("mqlToSql", "ratio", f.MqlToSql, p.MqlToSql),
        KpiChange.Of("winRate", "ratio", f.WinRate, p.WinRate));

    private static IReadOnlyList<DepartmentDigest> Departments(KpiReport current, KpiReport previous)
    {
        var before = previous.Departments.ToDictionary(d => d.Department, d => d.Values.ToDictionary(v => v.Key));
        return current.Departments.Select(d => new DepartmentDigest(d.Department, d.Values
            .Select(v => KpiChange.Of(v.Key, v.Unit, v.Value,
                before.TryGetValue(d.Department, out var values) && values.TryGetValue(v.Key, out var old) ? old.Value : null))
            .ToList())).ToList();
    }

    /// <summary>Each candidate rate this week against its target, or else the mean of its known trailing weekly values.</summary>
    private Bottleneck? FindBottleneck(FunnelReport week, IReadOnlyList<FunnelReport> trailing)
    {
        Bottleneck? worst = null;
        foreach (var key in BottleneckKeys)
        {
            if (Rate(week, key) is not { } value)
            {
                continue;
            }
            double baseline;
            string kind;
            var weeks = 0;
            if (options.TargetFor(key) is { } target)
            {
                (baseline, kind) = (target, Bottleneck.TargetBaseline);
            }
            else
            {
                var known = trailing.Select(f => Rate(f, key)).OfType<double>().ToList();
                if (known.Count == 0)
                {
                    continue;
                }
                (baseline, kind, weeks) = (known.Average(), Bottleneck.TrailingBaseline, known.Count);
            }
            if (baseline <= 0)
            {
                continue;
            }
            var drop = (baseline - value) / baseline;
            if (drop > 0 && (worst is null || drop > worst.RelativeDrop + 1e-12))
            {
                worst = new Bottleneck(key, value, baseline, kind, drop, weeks);
            }
        }
        return worst;
    }

    private static double? Rate(FunnelReport f, string key) => key switch
    {
        "mqlRate" => f.MqlRate,
        "mqlToSql" => f.MqlToSql,
        "winRate" => f.WinRate,
        "mqlAcceptanceRate" => Kind(f, HandoffKind.MqlToIs)?.AcceptanceRate,
        "sqlAcceptanceRate" => Kind(f, HandoffKind.SqlToFs)?.AcceptanceRate,
        "onboardingAcceptanceRate" => Kind(f, HandoffKind.WonToCs)?.AcceptanceRate,
        _ => null,
    };

    private static HandoffKindKpis? Kind(FunnelReport f, HandoffKind kind) => f.Handoffs.FirstOrDefault(h => h.Kind == kind);

    /// <summary>
    /// The same set <see cref="IKpiQueries"/> counts (expired in the week; still open with the deadline in the week and
    /// passed), longest overdue first. Each half reads at most <see cref="TopDroppedBalls"/> rows through the
    /// (State, DeadlineAt) and (Kind, DecidedAt) indexes.
    /// </summary>
    private async Task<DroppedBalls> DroppedBallsAsync(Period week, int total, DateTime now, CancellationToken ct)
    {
        var (from, to) = (week.FromUtc, week.ToUtc);
        var overdueUntil = to < now ? to : now;
        var expired = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Expired && h.DecidedAt >= from && h.DecidedAt < to)
            .OrderBy(h => h.DeadlineAt).Take(TopDroppedBalls).ToListAsync(ct);
        var open = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Offered && h.DeadlineAt >= from && h.DeadlineAt < overdueUntil)
            .OrderBy(h => h.DeadlineAt).Take(TopDroppedBalls).ToListAsync(ct);
        var top = expired.Concat(open).OrderBy(h => h.DeadlineAt).ThenBy(h => h.Id).Take(TopDroppedBalls).ToList();

        var leadIds = top.Select(h => h.LeadId).Distinct().ToList();
        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id))
            .Select(l => new { l.Id, l.Company, l.Name }).ToDictionaryAsync(l => l.Id, ct);
        var personIds = top.Select(h => h.AssigneeId).OfType<Guid>().Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Name, p.TeamsUserId, p.TeamsAadObjectId, p.SlackUserId }).ToDictionaryAsync(p => p.Id, ct);
        var openNow = await db.Handoffs.AsNoTracking().CountAsync(h => h.State == HandoffState.Offered && h.DeadlineAt < now, ct);

        return new DroppedBalls(total, openNow, top.Select(h => new DroppedBall(
            h.Id, h.Kind, h.State, h.LeadId,
            leads.TryGetValue(h.LeadId, out var lead) ? lead.Company : "",
            lead?.Name ?? "",
            h.AssigneeId is { } a && people.TryGetValue(a, out var person) ? person.Name : null,
            h.OfferedAt, h.DeadlineAt)
        {
            AssigneeId = h.AssigneeId,
            AssigneeTeamsUserId = h.AssigneeId is { } t && people.TryGetValue(t, out var p1) ? p1.TeamsUserId : null,
            AssigneeTeamsAadObjectId = h.AssigneeId is { } u && people.TryGetValue(u, out var p2) ? p2.TeamsAadObjectId : null,
            AssigneeSlackUserId = h.AssigneeId is { } v && people.TryGetValue(v, out var p3) ? p3.SlackUserId : null,
        }).ToList());
    }

    /// <summary>Now, not for the week: the advice is about what to do next.</summary>
    private async Task<InsideSalesBacklog> BacklogAsync(CancellationToken ct)
    {
        var mql = db.Handoffs.AsNoTracking().Where(h => h.Kind == HandoffKind.MqlToIs);
        var offered = await mql.CountAsync(h => h.State == HandoffState.Offered, ct);
        var acceptedOpen = await mql.CountAsync(h => h.State == HandoffState.Accepted
            && db.Leads.Any(l => l.Id == h.LeadId && l.Stage == LeadStage.Mql), ct);
        var members = db.People.AsNoTracking().Where(p => p.Department == Department.IS && p.Available);
        var count = await members.CountAsync(ct);
        if (count == 0)
        {
            return new InsideSalesBacklog(offered, acceptedOpen, 0, null, null, null, null);
        }
        var averageCapacity = await members.AverageAsync(p => (double)p.Capacity, ct);
        var perMember = (double)(offered + acceptedOpen) / count;
        double? load = averageCapacity > 0 ? perMember / averageCapacity : null;
        MqlThresholdAdvice? advice = null;
        if (load is { } l && (l > OverloadedFactor || l < IdleFactor))
        {
            var threshold = (await qualification.GetAsync(ct)).MqlThreshold;
            var raise = l > OverloadedFactor;
            var suggested = Math.Clamp(threshold + (raise ? ThresholdStep : -ThresholdStep), 0, 100);
            if (suggested != threshold)
            {
                advice = new MqlThresholdAdvice(raise ? "raise" : "lower", threshold, suggested);
            }
        }
        return new InsideSalesBacklog(offered, acceptedOpen, count, perMember, averageCapacity, load, advice);
    }
}
