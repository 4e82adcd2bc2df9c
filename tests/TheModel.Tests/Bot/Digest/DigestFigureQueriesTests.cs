using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.People;
using TheModel.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>The digest of <see cref="DigestWorld"/>'s week 2026-W46, against the figures worked out by hand there.</summary>
public class DigestFigureQueriesTests
{
    private const double Tolerance = 1e-9;

    internal static async Task<DigestFigures> BuildAsync(TheModelApp app, string week = DigestWorld.Week)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var periods = scope.ServiceProvider.GetRequiredService<IPeriods>();
        Assert.True(periods.TryParse(week, null, null, out var period, out var error), error);
        return await scope.ServiceProvider.GetRequiredService<DigestFigureQueries>().BuildAsync(period);
    }

    private static async Task<DigestFigures> SeededDigestAsync(Action<TheModelApp>? configure = null)
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        configure?.Invoke(app);
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        return await BuildAsync(app);
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_ChainsTheFunnelWithLastWeeksFigures()
    {
        var d = await SeededDigestAsync();

        Assert.Equal(("2026-W46", "2026-W45"), (d.Week.Label, d.PreviousWeek.Label));
        Assert.Equal((new DateOnly(2026, 11, 9), new DateOnly(2026, 11, 15)), (d.FirstDay, d.LastDay));
        var f = d.Funnel;
        Assert.Equal((10.0, 8.0, 2.0, 0.25), (f.Inquiries.Value, f.Inquiries.Previous, f.Inquiries.Change, f.Inquiries.RelativeChange));
        Assert.Equal((4.0, 4.0, 0.0, 0.0), (f.Mqls.Value, f.Mqls.Previous, f.Mqls.Change, f.Mqls.RelativeChange));
        Assert.Equal((1.0, 2.0, -1.0, -0.5), (f.Sqls.Value, f.Sqls.Previous, f.Sqls.Change, f.Sqls.RelativeChange));
        Assert.Equal((1.0, 1.0), (f.Won.Value, f.Lost.Value));
        Assert.Equal((1_000_000.0, 2_000_000.0), (f.Revenue.Value, f.Revenue.Previous));
        Assert.Equal(0.4, f.MqlRate.Value!.Value, Tolerance);
        Assert.Equal(-0.1, f.MqlRate.Change!.Value, Tolerance);
        Assert.Equal((0.25, 0.5), (f.MqlToSql.Value, f.MqlToSql.Previous));
        Assert.Equal((0.5, 1.0), (f.WinRate.Value, f.WinRate.Previous));
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_GivesEachDepartmentItsKpisWithWeekOverWeekChange()
    {
        var d = await SeededDigestAsync();

        Assert.Equal([Department.MK, Department.IS, Department.FS, Department.CS], d.Departments.Select(x => x.Department));
        var mk = d.Departments.Single(x => x.Department == Department.MK).Values.ToDictionary(v => v.Key);
        Assert.Equal((10.0, 8.0, 2.0), (mk["inquiries"].Value, mk["inquiries"].Previous, mk["inquiries"].Change));
        var @is = d.Departments.Single(x => x.Department == Department.IS).Values.ToDictionary(v => v.Key);
        Assert.Equal(2.0 / 6, @is["mqlAcceptanceRate"].Value!.Value, Tolerance);
        Assert.Equal(1.0, @is["mqlAcceptanceRate"].Previous);
        Assert.Equal(2.0 / 6 - 1, @is["mqlAcceptanceRate"].Change!.Value, Tolerance);
        Assert.Equal((8.0, 4.0, 1.0), (@is["mqlsReceived"].Value, @is["mqlsReceived"].Previous, @is["mqlsReceived"].RelativeChange));
        var cs = d.Departments.Single(x => x.Department == Department.CS).Values.ToDictionary(v => v.Key);
        // Nothing reached CS in W45: the change is unknown, not infinite.
        Assert.Equal((1.0, 0.0, 1.0), (cs["onboardingsReceived"].Value, cs["onboardingsReceived"].Previous, cs["onboardingsReceived"].Change));
        Assert.Null(cs["onboardingsReceived"].RelativeChange);
        Assert.Null(cs["onboardingAcceptanceRate"].Previous);
        Assert.Null(cs["onboardingAcceptanceRate"].Change);
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_CallsOutTheLargestDropAgainstTheTrailingAverage()
    {
        var d = await SeededDigestAsync();

        // MQL acceptance 1/3 against W45's 1 (the only trailing week with MQL decisions): −66.7%, more than MQL→SQL's −52.4%.
        var b = d.Bottleneck!;
        Assert.Equal("mqlAcceptanceRate", b.Key);
        Assert.Equal(1.0 / 3, b.Value, Tolerance);
        Assert.Equal(1.0, b.Baseline, Tolerance);
        Assert.Equal(Bottleneck.TrailingBaseline, b.BaselineKind);
        Assert.Equal(2.0 / 3, b.RelativeDrop, Tolerance);
        Assert.Equal(1, b.TrailingWeeks);
    }

    [Fact]
    public async Task BuildAsync_WithConfiguredTarget_MeasuresThatRateAgainstTheTarget()
    {
        // MQL→SQL 0.25 against a target of 80%: −68.75%, now the largest drop.
        var d = await SeededDigestAsync(app => app.Settings["Digest:Targets:mqlToSql"] = "80%");

        var b = d.Bottleneck!;
        Assert.Equal(("mqlToSql", Bottleneck.TargetBaseline), (b.Key, b.BaselineKind));
        Assert.Equal(0.8, b.Baseline, Tolerance);
        Assert.Equal(0.6875, b.RelativeDrop, Tolerance);
    }

    [Fact]
    public async Task BuildAsync_TargetsMet_NamesNoBottleneckForThoseRates()
    {
        // Every rate that fell gets a target it meets: nothing fell, so there is no bottleneck.
        var d = await SeededDigestAsync(app =>
        {
            app.Settings["Digest:Targets:mqlRate"] = "0.4";
            app.Settings["Digest:Targets:mqlAcceptanceRate"] = "0.3";
            app.Settings["Digest:Targets:mqlToSql"] = "0.25";
            app.Settings["Digest:Targets:sqlAcceptanceRate"] = "0.5";
            app.Settings["Digest:Targets:winRate"] = "0.5";
        });

        Assert.Null(d.Bottleneck);
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_ReportsSlaComplianceAndResponseTimesPerKind()
    {
        var d = await SeededDigestAsync();

        var mql = d.Handoffs.Single(h => h.Kind == HandoffKind.MqlToIs);
        Assert.Equal((Department.MK, Department.IS), (mql.From, mql.To));
        Assert.Equal((8, 2, 3, 1), (mql.Offered, mql.Accepted, mql.Rejected, mql.Expired));
        Assert.Equal(4.0 / 6, mql.SlaCompliance.Value!.Value, Tolerance);
        Assert.Equal(1.0, mql.SlaCompliance.Previous);
        Assert.Equal(new ResponseTimes(3, 10, 3, 30), mql.ResponseTime);
        Assert.Equal(2, mql.DroppedBalls);
        var sql = d.Handoffs.Single(h => h.Kind == HandoffKind.SqlToFs);
        Assert.Equal((0.5, 1.0), (sql.AcceptanceRate, sql.SlaCompliance.Value));
        Assert.Equal(3.5, sql.ResponseTime.MedianBusinessHours);
        var won = d.Handoffs.Single(h => h.Kind == HandoffKind.WonToCs);
        Assert.Equal((9.0, 9.0), (won.ResponseTime.MedianBusinessHours, won.ResponseTime.P90BusinessHours));
        Assert.Null(won.SlaCompliance.Previous);
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_ListsDroppedBallsWithLeadAndAssignee()
    {
        var d = await SeededDigestAsync();

        Assert.Equal(2, d.DroppedBalls.Total);
        Assert.Equal(1, d.DroppedBalls.OpenPastDeadlineNow);
        Assert.Collection(d.DroppedBalls.Top,
            expired =>
            {
                Assert.Equal(("Foxtrot KK", "Fumiko Sato", "Alice", HandoffState.Expired), (expired.Company, expired.Contact, expired.Assignee, expired.State));
                Assert.Equal(new DateTime(2026, 11, 12, 2, 0, 0, DateTimeKind.Utc), expired.DeadlineAt);
            },
            open =>
            {
                Assert.Equal(("Golf GK", "Goro Ito", HandoffState.Offered), (open.Company, open.Contact, open.State));
                Assert.Null(open.Assignee);
            });
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_AddressesRejectionReasonsToTheSendingDepartment()
    {
        var d = await SeededDigestAsync();

        var byKind = d.Rejections.ToDictionary(r => r.Kind);
        Assert.Equal(Department.MK, byKind[HandoffKind.MqlToIs].To);
        Assert.Equal(3, byKind[HandoffKind.MqlToIs].Rejected);
        Assert.Equal([new ReasonCount("NotTarget", 2), new ReasonCount("NoBudget", 1)], byKind[HandoffKind.MqlToIs].TopReasons);
        Assert.Equal(Department.IS, byKind[HandoffKind.SqlToFs].To);
        Assert.Equal([new ReasonCount("NoNeed", 1)], byKind[HandoffKind.SqlToFs].TopReasons);
        Assert.Equal((Department.FS, 0), (byKind[HandoffKind.WonToCs].To, byKind[HandoffKind.WonToCs].Rejected));
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_CountsRecycledLeadsAndLeadNeglect()
    {
        var d = await SeededDigestAsync();

        Assert.Equal(3, d.Recycled.Total);
        Assert.Equal([new ReasonCount("NotTarget", 2), new ReasonCount("NoBudget", 1)], d.Recycled.Reasons);
        Assert.Equal(0.5, d.LeadNeglectRate);
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_ListsTheNeglectedSqlsWithOwnerAndDays()
    {
        var d = await SeededDigestAsync();

        // S1's lead (idle 20 days) is neglected; S3's (2 days) is not; neither has an owner.
        var n = Assert.Single(d.Neglected);
        Assert.Equal(("India KK", "Ichiro Ito", (string?)null, 20), (n.Company, n.Contact, n.Owner, n.Days));
    }

    [Fact]
    public async Task BuildAsync_InsideSalesFarOverCapacity_AdvisesRaisingTheThresholdByFive()
    {
        var d = await SeededDigestAsync(app => app.Settings["Qualification:MqlThreshold"] = "70");

        var b = d.Backlog;
        Assert.Equal((2, 3, 2), (b.OpenOffered, b.AcceptedNotQualified, b.AvailableMembers));
        Assert.Equal((2.5, 1.0, 2.5), (b.PerMember, b.AverageCapacity, b.Load));
        Assert.Equal(new MqlThresholdAdvice("raise", 70, 75), b.Advice);
    }

    [Fact]
    public async Task BuildAsync_EmptyWeekAndIdleTeam_GivesNullRatesAndAdvisesLowering()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);

        var d = await BuildAsync(app, "2020-W10");

        Assert.Equal((0.0, 0.0), (d.Funnel.Inquiries.Value, d.Funnel.Inquiries.Previous));
        Assert.Null(d.Funnel.Inquiries.RelativeChange);
        Assert.Null(d.Funnel.MqlRate.Value);
        Assert.Null(d.Funnel.MqlRate.Change);
        Assert.Null(d.Bottleneck);
        Assert.All(d.Handoffs, h => Assert.Null(h.SlaCompliance.Value));
        Assert.All(d.Handoffs, h => Assert.Null(h.ResponseTime.MedianBusinessHours));
        Assert.Equal(0, d.DroppedBalls.Total);
        Assert.Empty(d.DroppedBalls.Top);
        Assert.Equal(0, d.Recycled.Total);
        Assert.All(d.Departments.SelectMany(x => x.Values), v => Assert.True(v.Value is null || double.IsFinite(v.Value.Value)));

        // Nobody in IS has any open work: far under capacity, so let more MQLs through.
        await using var idle = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = idle.CreateClient();
        await idle.WithDbAsync(async db =>
        {
            db.People.Add(new Person { Name = "Ida", Email = "ida@example.jp", Department = Department.IS, Capacity = 20 });
            await db.SaveChangesAsync();
        });
        var quiet = await BuildAsync(idle);
        Assert.Equal((0.0, 20.0, 0.0), (quiet.Backlog.PerMember, quiet.Backlog.AverageCapacity, quiet.Backlog.Load));
        Assert.Equal(new MqlThresholdAdvice("lower", 80, 75), quiet.Backlog.Advice);
    }

    [Fact]
    public async Task BuildAsync_NobodyAvailableInInsideSales_GivesNoPerMemberFigureAndNoAdvice()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();

        var d = await BuildAsync(app);

        Assert.Equal(0, d.Backlog.AvailableMembers);
        Assert.Null(d.Backlog.PerMember);
        Assert.Null(d.Backlog.Advice);
    }
}
