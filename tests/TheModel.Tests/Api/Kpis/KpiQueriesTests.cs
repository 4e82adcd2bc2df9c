using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>
/// Every formula of docs/design.md §4 against a small dataset whose figures are worked out by hand in the comments.
/// The period is November 2026 in Asia/Tokyo; "now" is 5 December.
/// </summary>
public class KpiQueriesTests : KpiWorld
{
    protected override async Task SeedAsync()
    {
        Guid n1 = default, n2 = default;
        await app.WithDbAsync(async db =>
        {
            Guid NewLead(LeadStage stage = LeadStage.Mql, DateTime? lastActivity = null, DateTime? created = null)
            {
                var lead = new Lead
                {
                    Name = "x", Company = "c", Stage = stage, CreatedAt = created ?? Nov(1), UpdatedAt = created ?? Nov(1), StageChangedAt = created ?? Nov(1),
                    LastActivityAt = lastActivity ?? created ?? Nov(1),
                };
                db.Leads.Add(lead);
                return lead.Id;
            }
            void Ev(Guid lead, LeadEventType type, DateTime at, decimal? amount = null, string? reason = null) =>
                db.Events.Add(new LeadEvent { LeadId = lead, Type = type, At = at, Amount = amount, Reason = reason });
            void H(HandoffKind kind, HandoffState state, DateTime offered, DateTime deadline, DateTime? decided = null,
                double? business = null, double? wall = null, RejectReason? reason = null, Guid? lead = null) =>
                db.Handoffs.Add(new Handoff
                {
                    LeadId = lead ?? NewLead(), Kind = kind, State = state, OfferedAt = offered, DeadlineAt = deadline, DecidedAt = decided,
                    ResponseBusinessHours = business, ResponseWallHours = wall, RejectReason = reason,
                });

            var l = Enumerable.Range(0, 13).Select(_ => Guid.NewGuid()).ToArray();
            // Inquiries: L1..L10 in November (10); L11 in October does not count.
            for (var i = 1; i <= 10; i++) Ev(l[i], LeadEventType.LeadCreated, Nov(i));
            Ev(l[11], LeadEventType.LeadCreated, new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc));
            // MQLs: L1..L5 (L1 twice: still one lead) = 5; L11's October MQL does not count.
            for (var i = 1; i <= 5; i++) Ev(l[i], LeadEventType.BecameMql, Nov(i, 5));
            Ev(l[1], LeadEventType.BecameMql, Nov(20));
            Ev(l[11], LeadEventType.BecameMql, new DateTime(2026, 10, 21, 0, 0, 0, DateTimeKind.Utc));
            // SQLs 2; Won 2 (L1 and L12) with revenue 1,000,000.50 + 2,000,000 = 3,000,000.50; Lost 2.
            Ev(l[1], LeadEventType.BecameSql, Nov(10));
            Ev(l[2], LeadEventType.BecameSql, Nov(10));
            Ev(l[1], LeadEventType.Won, Nov(25), amount: 1_000_000.50m);
            Ev(l[12], LeadEventType.Won, Nov(26), amount: 2_000_000m);
            Ev(l[2], LeadEventType.Lost, Nov(27), reason: "競合");
            Ev(l[3], LeadEventType.Lost, Nov(27), reason: "予算");
            // Recycled in November: NoBudget 2, Lost 1 (October's NotTarget does not count).
            Ev(l[4], LeadEventType.Nurtured, Nov(4), reason: "NoBudget");
            Ev(l[5], LeadEventType.Nurtured, Nov(10), reason: "NoBudget");
            Ev(l[3], LeadEventType.Nurtured, Nov(27), reason: "Lost");
            Ev(l[6], LeadEventType.Nurtured, new DateTime(2026, 10, 10, 0, 0, 0, DateTimeKind.Utc), reason: "NotTarget");

            // MqlToIs. Offered in November: H1 H2 H3 H4 H5 H7 H8 H9 = 8 (H6 was offered in October).
            // Decided in November: accepted H1 H3 H6 = 3, rejected H2 H8 H9 = 3, expired H4 = 1 → acceptance 3/7.
            // Decided before the deadline: H1 H3 H6 H8 H9 = 5 → SLA compliance 5/7.
            // Business hours of decisions [1,2,3,4,5,10] → median 3.5, p90 (rank ⌈5.4⌉ = 6) 10.
            // Wall hours [1,2,3,4,40,50] → median 3.5, p90 50.
            // Dropped: expired H4 + H5 open past its November deadline = 2 (H7's deadline is in December).
            H(HandoffKind.MqlToIs, HandoffState.Accepted, Nov(2), Nov(3), Nov(2, 4), 1, 1);
            H(HandoffKind.MqlToIs, HandoffState.Rejected, Nov(2), Nov(3), Nov(4, 5), 10, 50, RejectReason.NoBudget);
            H(HandoffKind.MqlToIs, HandoffState.Accepted, Nov(5), Nov(6), Nov(5, 6), 3, 3);
            H(HandoffKind.MqlToIs, HandoffState.Expired, Nov(6), Nov(7), Nov(8), 20, 48);
            H(HandoffKind.MqlToIs, HandoffState.Offered, Nov(20), Nov(21));
            H(HandoffKind.MqlToIs, HandoffState.Accepted, new DateTime(2026, 10, 30, 18, 0, 0, DateTimeKind.Utc), Nov(1, 12), Nov(1, 10), 5, 40);
            H(HandoffKind.MqlToIs, HandoffState.Offered, Nov(28), new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc));
            H(HandoffKind.MqlToIs, HandoffState.Rejected, Nov(10), Nov(11), Nov(10, 5), 2, 2, RejectReason.NoBudget);
            H(HandoffKind.MqlToIs, HandoffState.Rejected, Nov(11), Nov(12), Nov(11, 7), 4, 4, RejectReason.NotTarget);
            // WonToCs: one accepted in 9 business / 24 wall hours.
            H(HandoffKind.WonToCs, HandoffState.Accepted, Nov(15), Nov(18), Nov(16), 9, 24);

            // Lead neglect at November's end (T = 30 Nov 15:00 UTC; 14 days before it: 16 Nov 15:00). FS accepted N1 and N2
            // on 1 October. N1's last call before T was on 10 November → neglected (its call on 3 December, after T, does
            // not rescue it); N2 was called on 20 November → not neglected: 1/2. N3's SqlToFs is still offered, and N4's
            // was accepted in December, after T: neither counts. (SqlToFs decisions in October keep November's SqlToFs
            // figures empty.)
            var october = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
            n1 = NewLead(LeadStage.Sql, october.AddHours(1), created: october.AddDays(-10));
            n2 = NewLead(LeadStage.Sql, october.AddHours(1), created: october.AddDays(-10));
            var n3 = NewLead(LeadStage.Sql, Now.AddDays(-30));
            var n4 = NewLead(LeadStage.Won, Now.AddDays(-30));
            var december = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
            H(HandoffKind.SqlToFs, HandoffState.Accepted, october, october.AddHours(9), october.AddHours(1), 1, 1, lead: n1);
            H(HandoffKind.SqlToFs, HandoffState.Accepted, october, october.AddHours(9), october.AddHours(1), 1, 1, lead: n2);
            H(HandoffKind.SqlToFs, HandoffState.Offered, december, december.AddHours(9), lead: n3);
            H(HandoffKind.SqlToFs, HandoffState.Accepted, december, december.AddHours(9), december.AddHours(1), 1, 1, lead: n4);
            await db.SaveChangesAsync();
        });
        await LeadHistory.LogCallAsync(app, n1, Nov(10));
        await LeadHistory.LogCallAsync(app, n1, new DateTime(2026, 12, 3, 0, 0, 0, DateTimeKind.Utc));
        await LeadHistory.LogCallAsync(app, n2, Nov(20));
    }

    [Fact]
    public async Task Funnel_CountsLeadsPerStage_AndTheRates()
    {
        var f = await KpisAsync(k => k.FunnelAsync(November));
        Assert.Equal((10, 5, 2, 2, 2), (f.Inquiries, f.Mqls, f.Sqls, f.Won, f.Lost));
        Assert.Equal(3_000_000.50m, f.Revenue);
        Assert.Equal(0.5, f.MqlRate);
        Assert.Equal(0.4, f.MqlToSql);
        Assert.Equal(0.5, f.WinRate);
    }

    [Fact]
    public async Task Funnel_HandoffFigures_MatchTheHandComputedValues()
    {
        var mql = (await KpisAsync(k => k.FunnelAsync(November))).Handoffs.Single(h => h.Kind == HandoffKind.MqlToIs);
        Assert.Equal((8, 3, 3, 1), (mql.Offered, mql.Accepted, mql.Rejected, mql.Expired));
        Assert.Equal(3.0 / 7, mql.AcceptanceRate!.Value, 9);
        Assert.Equal(5.0 / 7, mql.SlaCompliance!.Value, 9);
        Assert.Equal(new ResponseTimes(3.5, 10, 3.5, 50), mql.ResponseTime);
        Assert.Equal(2, mql.DroppedBalls);
        Assert.Equal([new ReasonCount("NoBudget", 2), new ReasonCount("NotTarget", 1)], mql.RejectReasons);
    }

    [Fact]
    public async Task Funnel_KindWithoutHandoffs_HasNullRatesNotNaN()
    {
        var f = await KpisAsync(k => k.FunnelAsync(November));
        var sql = f.Handoffs.Single(h => h.Kind == HandoffKind.SqlToFs);
        Assert.Equal((0, 0, 0, 0, 0), (sql.Offered, sql.Accepted, sql.Rejected, sql.Expired, sql.DroppedBalls));
        Assert.Null(sql.AcceptanceRate);
        Assert.Null(sql.SlaCompliance);
        Assert.Equal(new ResponseTimes(null, null, null, null), sql.ResponseTime);
        var won = f.Handoffs.Single(h => h.Kind == HandoffKind.WonToCs);
        Assert.Equal(new ResponseTimes(9, 9, 24, 24), won.ResponseTime);
        Assert.Equal(1.0, won.AcceptanceRate);
    }

    [Fact]
    public async Task Funnel_EmptyPeriod_IsZerosAndNulls()
    {
        var f = await KpisAsync(k => k.FunnelAsync(EmptyJanuary));
        Assert.Equal((0, 0, 0, 0, 0, 0m), (f.Inquiries, f.Mqls, f.Sqls, f.Won, f.Lost, f.Revenue));
        Assert.Null(f.MqlRate);
        Assert.Null(f.MqlToSql);
        Assert.Null(f.WinRate);
        Assert.All(f.Handoffs, h => Assert.Null(h.AcceptanceRate));
    }

    [Fact]
    public async Task Kpis_LeadNeglectRecycledAndDepartmentValues()
    {
        var report = await KpisAsync(k => k.KpisAsync(November, null));
        Assert.Equal(0.5, report.LeadNeglectRate);
        Assert.Equal([new ReasonCount("NoBudget", 2), new ReasonCount("Lost", 1)], report.Recycled);
        Assert.Equal([Department.MK, Department.IS, Department.FS, Department.CS], report.Departments.Select(d => d.Department));
        double? Value(Department d, string key) => report.Departments.Single(x => x.Department == d).Values.Single(v => v.Key == key).Value;
        Assert.Equal(0.5, Value(Department.MK, "mqlRate"));
        Assert.Equal(3.0 / 7, Value(Department.IS, "mqlAcceptanceRate")!.Value, 9);
        Assert.Equal(3.5, Value(Department.IS, "responseMedianBusinessHours"));
        Assert.Equal(0.5, Value(Department.FS, "winRate"));
        Assert.Equal(0.5, Value(Department.FS, "leadNeglectRate"));
        Assert.Equal(3_000_000.5, Value(Department.FS, "revenue"));
        Assert.Equal(9, Value(Department.CS, "kickoffMedianBusinessHours"));

        var fsOnly = await KpisAsync(k => k.KpisAsync(November, Department.FS));
        Assert.Equal(Department.FS, Assert.Single(fsOnly.Departments).Department);
    }

    [Fact]
    public async Task Plan_WorksBackFromTheTarget_WithCeilings()
    {
        // avg won = 3,000,000.50 / 2; won = ⌈10,000,000 / 1,500,000.25⌉ = 7; SQLs = ⌈7 / 0.5⌉ = 14;
        // MQLs = ⌈14 / 0.4⌉ = 35; inquiries = ⌈35 / 0.5⌉ = 70.
        var plan = await KpisAsync(k => k.PlanAsync(10_000_000m, November));
        Assert.Equal(1_500_000.25m, plan.AverageWonAmount);
        Assert.Equal((7, 14, 35, 70), (plan.Won!.Value, plan.Sqls!.Value, plan.Mqls!.Value, plan.Inquiries!.Value));
    }

    [Fact]
    public async Task Plan_OnAnEmptyBasis_IsNulls()
    {
        var plan = await KpisAsync(k => k.PlanAsync(10_000_000m, EmptyJanuary));
        Assert.Null(plan.AverageWonAmount);
        Assert.Null(plan.Won);
        Assert.Null(plan.Inquiries);
    }

    [Fact]
    public async Task Plan_DefaultBasis_IsTheTrailing90Days()
    {
        var plan = await KpisAsync(k => k.PlanAsync(1_000_000m));
        Assert.Equal(Now, plan.Basis.ToUtc);
        Assert.Equal(Now.AddDays(-90), plan.Basis.FromUtc);
        Assert.NotNull(plan.Won);
    }

    [Fact]
    public async Task FiguresApi_GivesTheSameNumbers_AndRefusesBadPeriodsAndTargets()
    {
        var client = app.Client();
        var funnel = await client.GetAsync("/api/funnel?period=2026-11").OkJsonAsync();
        Assert.Equal(10, funnel.GetProperty("inquiries").GetInt32());
        var empty = await client.GetAsync("/api/kpis?period=2025-01&department=IS").OkJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, empty.GetProperty("funnel").GetProperty("mqlRate").ValueKind);
        var plan = await client.GetAsync("/api/plan?target=1000万&period=2026-11").OkJsonAsync();
        Assert.Equal(7, plan.GetProperty("won").GetInt32());
        var byRange = await client.GetAsync("/api/funnel?from=2026-11-01&to=2026-12-01").OkJsonAsync();
        Assert.Equal(10, byRange.GetProperty("inquiries").GetInt32());

        await (await client.GetAsync("/api/funnel?period=someday")).AssertProblemAsync(HttpStatusCode.BadRequest, "period");
        await (await client.GetAsync("/api/funnel?from=2026-12-01&to=2026-11-01")).AssertProblemAsync(HttpStatusCode.BadRequest, "from");
        await (await client.GetAsync("/api/kpis?department=HR")).AssertProblemAsync(HttpStatusCode.BadRequest, "department");
        await (await client.GetAsync("/api/plan")).AssertProblemAsync(HttpStatusCode.BadRequest, "target");
        await (await client.GetAsync("/api/plan?target=-5")).AssertProblemAsync(HttpStatusCode.BadRequest, "target");
    }
}
