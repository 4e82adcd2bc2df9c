using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Kpis;

/// <summary>
/// The figures of docs/design.md §4, each computed by SQL aggregates in the database (the indexes on
/// Events(Type, At) and Handoffs(Kind, DecidedAt / OfferedAt) serve them); no query loads rows to count them.
/// Rates are null when their denominator is 0. Medians and p90s are read with ORDER BY … LIMIT/OFFSET.
/// A report runs its statements on one open connection.
/// </summary>
public sealed class KpiQueries(TheModelDb db, TimeProvider time, IOptions<KpisOptions> options) : IKpiQueries
{
    public const int PlanBasisDays = 90;
    public const int DefaultNeglectDays = 14;
    /// <summary><c>renewalsDue</c> counts contracts due within this many days after the period's end.</summary>
    public const int RenewalsDueDays = 90;

    // Read-only (no static mutable state); the query copies it to an array, the parameter type both providers map.
    private static readonly IReadOnlyList<LeadEventType> StageEvents =
        [LeadEventType.LeadCreated, LeadEventType.BecameMql, LeadEventType.BecameSql, LeadEventType.Won, LeadEventType.Lost];

    public Task<FunnelReport> FunnelAsync(Period period, CancellationToken ct = default) =>
        OnOneConnectionAsync(async () =>
        {
            var (from, to) = (period.FromUtc, period.ToUtc);
            // Leads that reached each stage in the period (a lead that bounced and came back counts once).
            var stages = await db.Events.AsNoTracking()
                .Where(e => e.At >= from && e.At < to && StageEvents.ToArray().Contains(e.Type))
                .GroupBy(e => e.Type)
                .Select(g => new { Type = g.Key, Leads = g.Select(e => e.LeadId).Distinct().Count() })
                .ToDictionaryAsync(x => x.Type, x => x.Leads, ct);
            var revenue = await RevenueAsync(from, to, ct);
            int Count(LeadEventType type) => stages.GetValueOrDefault(type);
            var (inquiries, mqls, sqls, won, lost) = (Count(LeadEventType.LeadCreated), Count(LeadEventType.BecameMql),
                Count(LeadEventType.BecameSql), Count(LeadEventType.Won), Count(LeadEventType.Lost));
            var handoffs = await HandoffKpisAsync(period, ct);
            return new FunnelReport(period, inquiries, mqls, sqls, won, lost, revenue,
                Ratio(mqls, inquiries), Ratio(sqls, mqls), Ratio(won, won + lost), handoffs);
        }, ct);

    public Task<KpiReport> KpisAsync(Period period, Department? department, CancellationToken ct = default) =>
        OnOneConnectionAsync(async () =>
        {
            var funnel = await FunnelAsync(period, ct);
            var neglect = await LeadNeglectRateAsync(period, ct);
            var recycled = await db.Events.AsNoTracking()
                .Where(e => e.Type == LeadEventType.Nurtured && e.At >= period.FromUtc && e.At < period.ToUtc)
                .GroupBy(e => e.Reason)
                .Select(g => new { Reason = g.Key, Count = g.Count() })
                .ToListAsync(ct);
            var byKind = funnel.Handoffs.ToDictionary(h => h.Kind);
            var contacts = new Dictionary<LeadStage, ContactKpis>
            {
                [LeadStage.Mql] = await ContactKpisAsync(LeadStage.Mql, period, ct),
                [LeadStage.Sql] = await ContactKpisAsync(LeadStage.Sql, period, ct),
            };
            var cs = department is null or Department.CS ? await CustomerKpisAsync(period, ct) : null;
            var departments = Enum.GetValues<Department>()
                .Where(d => department is null || d == department)
                .Select(d => new DepartmentKpis(d, ValuesFor(d, funnel, byKind, neglect, contacts, cs)))
                .ToList();
            var (back, converted) = await RecycledBackAsync(period, ct);
            return new KpiReport(period, funnel, departments, neglect,
                recycled.Select(r => new ReasonCount(r.Reason ?? "Unknown", r.Count)).OrderByDescending(r => r.Count).ThenBy(r => r.Reason).ToList())
            {
                RecycledBack = back,
                RecycledConverted = converted,
            };
        }, ct);

    /// <summary>
    /// The recycle clock's yield (docs/design.md "Second chances"): leads brought back in the period, and leads that became
    /// SQL or won in the period after a comeback at any earlier time (each lead counted once).
    /// </summary>
    private async Task<(int Back, int Converted)> RecycledBackAsync(Period period, CancellationToken ct)
    {
        var (from, to) = (period.FromUtc, period.ToUtc);
        var back = await db.Events.AsNoTracking()
            .Where(e => e.Type == LeadEventType.RecycledBack && e.At >= from && e.At < to)
            .Select(e => e.LeadId).Distinct().CountAsync(ct);
        var converted = await db.Events.AsNoTracking()
            .Where(e => (e.Type == LeadEventType.BecameSql || e.Type == LeadEventType.Won) && e.At >= from && e.At < to
                && db.Events.Any(r => r.LeadId == e.LeadId && r.Type == LeadEventType.RecycledBack && r.At <= e.At))
            .Select(e => e.LeadId).Distinct().CountAsync(ct);
        return (back, converted);
    }

    /// <summary>Customer Success figures (docs/kpis.md "Customer Success"); rates are null when no renewal fell due.</summary>
    private sealed record CustomerKpis(double? OnboardingMedianDays, int Renewed, int Churned, int Upsells, decimal UpsellAmount, int RenewalsDue)
    {
        public double? RenewalRate => Ratio(Renewed, Renewed + Churned);
        public double? ChurnRate => Ratio(Churned, Renewed + Churned);
    }

    /// <summary>Counts of the renewal outcomes whose due date fell in a period (the raw query below names its columns so).</summary>
    private sealed record RenewalOutcomes(int Renewed, int Churned);

    /// <summary>
    /// Onboardings in the period (won → onboarded, in days), renewals and churns whose due date fell in the period, upsells in
    /// the period, and open contracts due within <see cref="RenewalsDueDays"/> days after its end.
    /// </summary>
    private async Task<CustomerKpis> CustomerKpisAsync(Period period, CancellationToken ct)
    {
        var (from, to) = (period.FromUtc, period.ToUtc);
        var onboarded = db.Leads.AsNoTracking().Where(l => l.OnboardedAt >= from && l.OnboardedAt < to && l.WonAt != null);
        var onboardedCount = await onboarded.CountAsync(ct);
        var outcomes = await RenewalOutcomesAsync(from, to, ct);
        var upsold = db.Events.AsNoTracking().Where(e => e.Type == LeadEventType.Upsold && e.At >= from && e.At < to);
        var upsells = await upsold.CountAsync(ct);
        var upsellAmount = await SumAmountAsync(upsold, ct);
        var dueUntil = to.AddDays(RenewalsDueDays);
        var due = await db.Leads.AsNoTracking()
            .CountAsync(l => l.Stage == LeadStage.Won && l.ChurnedAt == null && l.RenewalDueAt >= to && l.RenewalDueAt < dueUntil, ct);
        return new CustomerKpis(await MedianAsync(OnboardingDays(from, to), onboardedCount, ct), outcomes.Renewed, outcomes.Churned,
            upsells, upsellAmount, due);
    }

    /// <summary>
    /// The due date of a renewal outcome is in the event's Data (<c>dueAt</c>: the Renewed event's old due date, the
    /// Churned event's due date at churn), so the two providers read it with their own JSON functions.
    /// </summary>
    private async Task<RenewalOutcomes> RenewalOutcomesAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var query = db.Database.IsSqlite()
            ? db.Database.SqlQuery<RenewalOutcomes>($"""
                SELECT COUNT(CASE WHEN "Type" = 'Renewed' THEN 1 END) AS "Renewed", COUNT(CASE WHEN "Type" = 'Churned' THEN 1 END) AS "Churned"
                FROM "Events"
                WHERE "Type" IN ('Renewed', 'Churned')
                  AND julianday(json_extract("Data", '$.dueAt')) >= julianday({from}) AND julianday(json_extract("Data", '$.dueAt')) < julianday({to})
                """)
            : db.Database.SqlQuery<RenewalOutcomes>($"""
                SELECT CAST(COUNT(*) FILTER (WHERE "Type" = 'Renewed') AS integer) AS "Renewed", CAST(COUNT(*) FILTER (WHERE "Type" = 'Churned') AS integer) AS "Churned"
                FROM "Events"
                WHERE "Type" IN ('Renewed', 'Churned')
                  AND CAST(CAST("Data" AS jsonb) ->> 'dueAt' AS timestamptz) >= {from} AND CAST(CAST("Data" AS jsonb) ->> 'dueAt' AS timestamptz) < {to}
                """);
        return (await query.ToListAsync(ct)).FirstOrDefault() ?? new RenewalOutcomes(0, 0);
    }

    /// <summary>Won → onboarded in days for the leads onboarded in the period, as a query the median reads by rank.</summary>
    private IQueryable<double> OnboardingDays(DateTime from, DateTime to) => db.Database.IsSqlite()
        ? db.Database.SqlQuery<double>($"""
            SELECT julianday("OnboardedAt") - julianday("WonAt") AS "Value" FROM "Leads"
            WHERE "OnboardedAt" >= {from} AND "OnboardedAt" < {to} AND "WonAt" IS NOT NULL
            """)
        : db.Database.SqlQuery<double>($"""
            SELECT CAST(EXTRACT(EPOCH FROM ("OnboardedAt" - "WonAt")) / 86400.0 AS double precision) AS "Value" FROM "Leads"
            WHERE "OnboardedAt" >= {from} AND "OnboardedAt" < {to} AND "WonAt" IS NOT NULL
            """);

    public Task<PlanReport> PlanAsync(decimal target, CancellationToken ct = default) => PlanAsync(target, null, false, ct);

    public Task<PlanReport> PlanAsync(decimal target, Period basis, CancellationToken ct = default) => PlanAsync(target, basis, false, ct);

    /// <summary>
    /// 逆算 (docs/kpis.md "Reverse plan"): won = ⌈target / avg amount⌉ — for a recurring target ⌈target / (avg amount ×
    /// renewal rate)⌉ —, SQLs = ⌈won / win rate⌉, MQLs = ⌈SQLs / (MQL→SQL)⌉, inquiries = ⌈MQLs / MQL rate⌉, and the fourth
    /// link, retained = ⌊won × renewal rate⌋. Computed on the counts (integer arithmetic), so a rate like 1/3 never rounds a
    /// whole lead up by accident.
    /// </summary>
    public Task<PlanReport> PlanAsync(decimal target, Period? basis, bool recurring, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var b = basis ?? new Period(now.AddDays(-PlanBasisDays), now, $"last-{PlanBasisDays}-days");
        return OnOneConnectionAsync(async () =>
        {
            var f = await FunnelAsync(b, ct);
            var renewals = await RenewalOutcomesAsync(b.FromUtc, b.ToUtc, ct);
            var (kept, due) = (renewals.Renewed, renewals.Renewed + renewals.Churned);
            decimal? average = f.Won > 0 ? decimal.Round(f.Revenue / f.Won, 2) : null;
            int? won = f.Won > 0 && f.Revenue > 0
                ? recurring
                    ? (kept > 0 ? (int)Math.Ceiling(target * f.Won * due / (f.Revenue * kept)) : null)
                    : (int)Math.Ceiling(target * f.Won / f.Revenue)
                : null;
            int? sqls = won is { } w && f.Won > 0 ? CeilDiv((long)w * (f.Won + f.Lost), f.Won) : null;
            int? mqls = sqls is { } s && f.Sqls > 0 ? CeilDiv((long)s * f.Mqls, f.Sqls) : null;
            int? inquiries = mqls is { } m && f.Mqls > 0 ? CeilDiv((long)m * f.Inquiries, f.Mqls) : null;
            int? retained = won is { } r && due > 0 ? (int)((long)r * kept / due) : null;
            return new PlanReport(target, average, f.WinRate, f.MqlToSql, f.MqlRate, won, sqls, mqls, inquiries, b)
            {
                Recurring = recurring,
                RenewalRate = Ratio(kept, due),
                Retained = retained,
            };
        }, ct);
    }

    private Task<decimal> RevenueAsync(DateTime from, DateTime to, CancellationToken ct) =>
        SumAmountAsync(db.Events.AsNoTracking().Where(e => e.Type == LeadEventType.Won && e.At >= from && e.At < to), ct);

    private async Task<decimal> SumAmountAsync(IQueryable<LeadEvent> won, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            // SQLite stores decimals as text and cannot SUM them exactly; sum whole cents as integers instead.
            var cents = await won.SumAsync(e => (long?)(e.Amount * 100), ct) ?? 0;
            return cents / 100m;
        }
        return await won.SumAsync(e => e.Amount, ct) ?? 0m;
    }

    private async Task<IReadOnlyList<HandoffKindKpis>> HandoffKpisAsync(Period period, CancellationToken ct)
    {
        var (from, to) = (period.FromUtc, period.ToUtc);
        var now = time.GetUtcNow().UtcDateTime;
        var offered = await db.Handoffs.AsNoTracking()
            .Where(h => h.OfferedAt >= from && h.OfferedAt < to)
            .GroupBy(h => h.Kind).Select(g => new { Kind = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Kind, x => x.Count, ct);
        var decided = await db.Handoffs.AsNoTracking()
            .Where(h => h.DecidedAt >= from && h.DecidedAt < to && h.State != HandoffState.Offered)
            .GroupBy(h => h.Kind)
            .Select(g => new
            {
                Kind = g.Key,
                Accepted = g.Count(h => h.State == HandoffState.Accepted),
                Rejected = g.Count(h => h.State == HandoffState.Rejected),
                Expired = g.Count(h => h.State == HandoffState.Expired),
                InTime = g.Count(h => (h.State == HandoffState.Accepted || h.State == HandoffState.Rejected) && h.DecidedAt <= h.DeadlineAt),
                // How many response times each percentile ranks (decisions only; expiries have none).
                Business = g.Count(h => (h.State == HandoffState.Accepted || h.State == HandoffState.Rejected) && h.ResponseBusinessHours != null),
                Wall = g.Count(h => (h.State == HandoffState.Accepted || h.State == HandoffState.Rejected) && h.ResponseWallHours != null),
            })
            .ToDictionaryAsync(x => x.Kind, ct);
        // Open offers past their deadline now, counted in the period their deadline fell in.
        var overdueUntil = to < now ? to : now;
        var overdue = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Offered && h.DeadlineAt >= from && h.DeadlineAt < overdueUntil)
            .GroupBy(h => h.Kind).Select(g => new { Kind = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Kind, x => x.Count, ct);
        var reasons = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Rejected && h.DecidedAt >= from && h.DecidedAt < to)
            .GroupBy(h => new { h.Kind, h.RejectReason })
            .Select(g => new { g.Key.Kind, g.Key.RejectReason, Count = g.Count() })
            .ToListAsync(ct);

        var result = new List<HandoffKindKpis>();
        foreach (var kind in Enum.GetValues<HandoffKind>())
        {
            var d = decided.GetValueOrDefault(kind);
            var (accepted, rejected, expired, inTime) = (d?.Accepted ?? 0, d?.Rejected ?? 0, d?.Expired ?? 0, d?.InTime ?? 0);
            var closed = accepted + rejected + expired;
            result.Add(new HandoffKindKpis(kind, offered.GetValueOrDefault(kind), accepted, rejected, expired,
                Ratio(accepted, closed), Ratio(inTime, closed), await ResponseTimesAsync(kind, from, to, d?.Business ?? 0, d?.Wall ?? 0, ct),
                expired + overdue.GetValueOrDefault(kind),
                reasons.Where(r => r.Kind == kind)
                    .Select(r => new ReasonCount(r.RejectReason?.ToString() ?? "Unknown", r.Count))
                    .OrderByDescending(r => r.Count).ThenBy(r => r.Reason).ToList()));
        }
        return result;
    }

    /// <summary>
    /// Median and p90 (nearest rank) of decision − offer, over decisions (accept or reject) made in the period;
    /// the counts come from the decided-handoffs aggregate, so only the rank reads are left here.
    /// </summary>
    private async Task<ResponseTimes> ResponseTimesAsync(HandoffKind kind, DateTime from, DateTime to, int businessCount, int wallCount, CancellationToken ct)
    {
        var decisions = db.Handoffs.AsNoTracking()
            .Where(h => h.Kind == kind && h.DecidedAt >= from && h.DecidedAt < to
                && (h.State == HandoffState.Accepted || h.State == HandoffState.Rejected));
        var business = decisions.Where(h => h.ResponseBusinessHours != null).Select(h => h.ResponseBusinessHours!.Value);
        var wall = decisions.Where(h => h.ResponseWallHours != null).Select(h => h.ResponseWallHours!.Value);
        return new ResponseTimes(
            await MedianAsync(business, businessCount, ct), await PercentileAsync(business, businessCount, 0.9, ct),
            await MedianAsync(wall, wallCount, ct), await PercentileAsync(wall, wallCount, 0.9, ct));
    }

    internal static async Task<double?> MedianAsync(IQueryable<double> values, int count, CancellationToken ct)
    {
        if (count == 0)
        {
            return null;
        }
        var middle = await values.OrderBy(v => v).Skip((count - 1) / 2).Take(count % 2 == 0 ? 2 : 1).ToListAsync(ct);
        return middle.Average();
    }

    /// <summary>Nearest-rank percentile: the value at rank ⌈p·n⌉.</summary>
    internal static async Task<double?> PercentileAsync(IQueryable<double> values, int count, double p, CancellationToken ct)
    {
        if (count == 0)
        {
            return null;
        }
        var rank = Math.Max(1, (int)Math.Ceiling(Math.Round(p * count, 9)));
        // Read from the nearer end: SQLite keeps only OFFSET + 1 rows in its sorter for ORDER BY … LIMIT.
        return rank > count / 2
            ? await values.OrderByDescending(v => v).Skip(count - rank).Take(1).FirstAsync(ct)
            : await values.OrderBy(v => v).Skip(rank - 1).Take(1).FirstAsync(ct);
    }

    /// <summary>The first-contact clock's figures for one stage (docs/kpis.md).</summary>
    private sealed record ContactKpis(double? ContactRate, double? FirstTouchMedianHours, double? FirstTouchP90Hours, double? Compliance);

    /// <summary>
    /// Over the clocks started in the period (the (Stage, StartedAt) index): contacted ÷ started, and the median / p90 of
    /// start → first touch in business hours; over the clocks whose deadline fell in the period and are settled (touched,
    /// or past due now): touched by the deadline ÷ settled.
    /// </summary>
    private async Task<ContactKpis> ContactKpisAsync(LeadStage stage, Period period, CancellationToken ct)
    {
        var (from, to) = (period.FromUtc, period.ToUtc);
        var now = time.GetUtcNow().UtcDateTime;
        var started = db.ContactClocks.AsNoTracking().Where(c => c.Stage == stage && c.StartedAt >= from && c.StartedAt < to);
        var counts = await started.GroupBy(c => 1)
            .Select(g => new { Total = g.Count(), Contacted = g.Count(c => c.FirstContactAt != null), Touched = g.Count(c => c.FirstTouchBusinessHours != null) })
            .FirstOrDefaultAsync(ct);
        var touched = started.Where(c => c.FirstTouchBusinessHours != null).Select(c => c.FirstTouchBusinessHours!.Value);
        var touchedCount = counts?.Touched ?? 0;
        // A clock starts before it is due, so StartedAt < to bounds the scan on the same index.
        var settled = await db.ContactClocks.AsNoTracking()
            .Where(c => c.Stage == stage && c.StartedAt < to && c.DueAt >= from && c.DueAt < to && (c.FirstTouchAt != null || c.DueAt < now))
            .GroupBy(c => 1)
            .Select(g => new { Total = g.Count(), InTime = g.Count(c => c.FirstTouchAt != null && c.FirstTouchAt <= c.DueAt) })
            .FirstOrDefaultAsync(ct);
        return new ContactKpis(
            Ratio(counts?.Contacted ?? 0, counts?.Total ?? 0),
            await MedianAsync(touched, touchedCount, ct),
            await PercentileAsync(touched, touchedCount, 0.9, ct),
            Ratio(settled?.InTime ?? 0, settled?.Total ?? 0));
    }

    /// <summary>
    /// The events after which an accepted SQL is no longer held by FS: won, lost (then nurtured), sent back to IS. A lead
    /// that comes back later (recycled, qualified again) is held again only from its next SqlToFs acceptance.
    /// </summary>
    private static readonly IReadOnlyList<LeadEventType> LeftFsEvents =
        [LeadEventType.Won, LeadEventType.Lost, LeadEventType.Nurtured, LeadEventType.ReturnedToIs];

    /// <summary>
    /// Lead neglect rate (リード放置率) of the period, from history (docs/kpis.md "Lead neglect rate"), at T = min(period
    /// end, now): of the SQLs held by FS at T (SqlToFs accepted before T, not won / lost / nurtured / returned since),
    /// the share whose latest activity at or before T — or their acceptance, if later — is more than NeglectDays before T.
    /// </summary>
    private async Task<double?> LeadNeglectRateAsync(Period period, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var at = period.ToUtc < now ? period.ToUtc : now;
        var cutoff = at.AddDays(-options.Value.NeglectDays);
        // Driven by the (Kind, DecidedAt, State …) index of Handoffs, each lead's events looked up on (LeadId, At). A lead
        // has at most one such acceptance not followed by a leaving event: a second SqlToFs offer needs it to have left.
        // Activities are read from the Activity events: every logged touch writes one at its own time, and so does a
        // plain note, which keeps a lead from neglect too.
        var counts = await db.Handoffs.AsNoTracking()
            .Where(h => h.Kind == HandoffKind.SqlToFs && h.DecidedAt < at && h.State == HandoffState.Accepted
                && !db.Events.Any(e => e.LeadId == h.LeadId && e.At >= h.DecidedAt && e.At < at && LeftFsEvents.ToArray().Contains(e.Type)))
            .Select(h => new
            {
                Neglected = h.DecidedAt < cutoff
                    && !db.Events.Any(e => e.LeadId == h.LeadId && e.At >= cutoff && e.At <= at && e.Type == LeadEventType.Activity),
            })
            .GroupBy(x => 1)
            .Select(g => new { Held = g.Count(), Neglected = g.Count(x => x.Neglected) })
            .FirstOrDefaultAsync(ct);
        return Ratio(counts?.Neglected ?? 0, counts?.Held ?? 0);
    }

    /// <summary>
    /// Runs a report's statements on one open connection instead of opening (and setting up) one per statement.
    /// EF counts nested opens, so FunnelAsync inside KpisAsync shares the outer connection.
    /// </summary>
    private async Task<T> OnOneConnectionAsync<T>(Func<Task<T>> report, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            return await report();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static IReadOnlyList<KpiValue> ValuesFor(Department department, FunnelReport f,
        IReadOnlyDictionary<HandoffKind, HandoffKindKpis> byKind, double? neglect, IReadOnlyDictionary<LeadStage, ContactKpis> contacts, CustomerKpis? cs)
    {
        KpiValue Count(string key, int value) => new(key, value, "count");
        KpiValue Rate(string key, double? value) => new(key, value, "ratio");
        KpiValue Hours(string key, double? value) => new(key, value, "hours");
        var mql = byKind[HandoffKind.MqlToIs];
        var sql = byKind[HandoffKind.SqlToFs];
        var won = byKind[HandoffKind.WonToCs];
        var (mqlContact, sqlContact) = (contacts[LeadStage.Mql], contacts[LeadStage.Sql]);
        return department switch
        {
            Department.MK =>
            [
                Count("inquiries", f.Inquiries), Count("mqls", f.Mqls), Rate("mqlRate", f.MqlRate),
                Count("mqlsRejected", mql.Rejected), Rate("mqlAcceptanceRate", mql.AcceptanceRate),
            ],
            Department.IS =>
            [
                Count("mqlsReceived", mql.Offered), Rate("mqlAcceptanceRate", mql.AcceptanceRate),
                Hours("responseMedianBusinessHours", mql.ResponseTime.MedianBusinessHours),
                Hours("responseP90BusinessHours", mql.ResponseTime.P90BusinessHours),
                Rate("slaCompliance", mql.SlaCompliance), Count("droppedBalls", mql.DroppedBalls),
                Count("sqls", f.Sqls), Rate("mqlToSql", f.MqlToSql),
                Rate("contactRate", mqlContact.ContactRate), Hours("firstTouchMedianHours", mqlContact.FirstTouchMedianHours),
                Hours("firstTouchP90Hours", mqlContact.FirstTouchP90Hours), Rate("contactSlaCompliance", mqlContact.Compliance),
            ],
            Department.FS =>
            [
                Count("sqlsReceived", sql.Offered), Rate("sqlAcceptanceRate", sql.AcceptanceRate),
                Hours("responseMedianBusinessHours", sql.ResponseTime.MedianBusinessHours),
                Rate("slaCompliance", sql.SlaCompliance), Count("droppedBalls", sql.DroppedBalls),
                Count("won", f.Won), Count("lost", f.Lost), Rate("winRate", f.WinRate),
                new KpiValue("revenue", (double)f.Revenue, "currency"), Rate("leadNeglectRate", neglect),
                Count("opportunities", sql.Accepted), Hours("firstMeetingMedianHours", sqlContact.FirstTouchMedianHours),
            ],
            _ =>
            [
                Count("onboardingsReceived", won.Offered), Rate("onboardingAcceptanceRate", won.AcceptanceRate),
                Hours("kickoffMedianBusinessHours", won.ResponseTime.MedianBusinessHours),
                Hours("kickoffP90BusinessHours", won.ResponseTime.P90BusinessHours),
                Rate("slaCompliance", won.SlaCompliance), Count("droppedBalls", won.DroppedBalls),
                new KpiValue("onboardingMedianDays", cs?.OnboardingMedianDays, "days"),
                Rate("renewalRate", cs?.RenewalRate), Rate("churnRate", cs?.ChurnRate),
                Count("upsells", cs?.Upsells ?? 0), new KpiValue("upsellAmount", (double)(cs?.UpsellAmount ?? 0), "currency"),
                Count("renewalsDue", cs?.RenewalsDue ?? 0),
            ],
        };
    }

    private static double? Ratio(int numerator, int denominator) => denominator == 0 ? null : (double)numerator / denominator;

    private static int CeilDiv(long numerator, long denominator) => (int)((numerator + denominator - 1) / denominator);
}
