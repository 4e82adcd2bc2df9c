using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Bot.Demo;
using TheModel.Tests.Api;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Demo;

public class DemoSeederTests
{
    private static async Task<bool> SeedAsync(TheModelApp app)
    {
        _ = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync();
    }

    [Fact]
    public async Task Seed_OnANewDatabase_GivesEveryFigureOfTheQuarterSomethingToShow()
    {
        await using var app = new TheModelApp(new FakeClock(new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero)));
        Assert.True(await SeedAsync(app));

        var (people, managers, leads) = await app.WithDbAsync(async db =>
            (await db.People.CountAsync(), await db.People.CountAsync(p => p.ManagerId == null), await db.Leads.CountAsync()));
        Assert.Equal(12, people);
        Assert.Equal(4, managers);
        Assert.Equal(DemoSeeder.LeadCount, leads);

        await using var scope = app.Services.CreateAsyncScope();
        var kpis = scope.ServiceProvider.GetRequiredService<IKpiQueries>();
        var quarter = new Period(app.Clock.GetUtcNow().UtcDateTime.AddDays(-92), app.Clock.GetUtcNow().UtcDateTime.AddDays(1), "quarter");
        var report = await kpis.KpisAsync(quarter, null);
        var f = report.Funnel;
        Assert.True(f.Inquiries > 300 && f.Mqls > 50 && f.Sqls > 10 && f.Won > 3 && f.Lost > 3, $"{f}");
        Assert.True(f.Revenue > 0);
        var mql = f.Handoffs.Single(h => h.Kind == HandoffKind.MqlToIs);
        Assert.True(mql.Accepted > 0 && mql.Rejected > 0 && mql.Expired > 0, $"{mql}");
        Assert.True(mql.SlaCompliance is > 0 and < 1, "some decisions are late");
        Assert.NotNull(mql.ResponseTime.P90BusinessHours);
        Assert.NotEmpty(mql.RejectReasons);
        Assert.All(f.Handoffs, h => Assert.True(h.Accepted > 0, $"{h.Kind} has acceptances"));
        Assert.NotNull(report.LeadNeglectRate);
        Assert.NotEmpty(report.Recycled);
        // Last week has data too (the digest's view).
        var lastWeek = await kpis.FunnelAsync(scope.ServiceProvider.GetRequiredService<IPeriods>().WeekOf(app.Clock.GetUtcNow().UtcDateTime.AddDays(-7)));
        Assert.True(lastWeek.Inquiries > 0);
        Assert.True(await app.WithDbAsync(db => db.Events.AllAsync(e => e.At <= app.Clock.GetUtcNow().UtcDateTime)));
    }

    [Fact]
    public async Task Seed_OnANewDatabase_GivesTheFirstContactFiguresSomethingToShow()
    {
        await using var app = new TheModelApp(new FakeClock(new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero)));
        Assert.True(await SeedAsync(app));

        // Touched in time, touched late, never touched: all three are in the demo.
        var (inTime, late, never, activities) = await app.WithDbAsync(async db => (
            await db.ContactClocks.CountAsync(c => c.FirstTouchAt != null && c.FirstTouchAt <= c.DueAt),
            await db.ContactClocks.CountAsync(c => c.FirstTouchAt > c.DueAt),
            await db.ContactClocks.CountAsync(c => c.FirstTouchAt == null),
            await db.Activities.CountAsync()));
        Assert.True(inTime > 0 && late > 0 && never > 0 && activities > 0, $"{inTime} in time, {late} late, {never} never, {activities} activities");

        await using var scope = app.Services.CreateAsyncScope();
        var quarter = new Period(app.Clock.GetUtcNow().UtcDateTime.AddDays(-92), app.Clock.GetUtcNow().UtcDateTime.AddDays(1), "quarter");
        var report = await scope.ServiceProvider.GetRequiredService<IKpiQueries>().KpisAsync(quarter, null);
        var values = report.Departments.SelectMany(d => d.Values.Select(v => (Key: $"{d.Department}.{v.Key}", v.Value))).ToDictionary(v => v.Key, v => v.Value);
        Assert.All(["IS.contactRate", "IS.firstTouchMedianHours", "IS.firstTouchP90Hours", "IS.contactSlaCompliance", "FS.firstMeetingMedianHours"],
            key => Assert.True(values[key] is > 0, $"{key} = {values[key]}"));
        Assert.True(values["FS.opportunities"] > 0);
    }

    [Fact]
    public async Task Seed_OnANonEmptyDatabase_Refuses_AndAddsNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        await app.Client().AddPersonAsync("佐藤", "sato@example.co.jp", "IS");

        Assert.False(await SeedAsync(app));
        Environment.ExitCode = 0;

        Assert.Equal((0, 1), await app.WithDbAsync(async db => (await db.Leads.CountAsync(), await db.People.CountAsync())));
    }

    [Fact]
    public async Task Seed_IsDeterministic()
    {
        var clock = new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero);
        await using var first = new TheModelApp(new FakeClock(clock));
        await using var second = new TheModelApp(new FakeClock(clock));
        await SeedAsync(first);
        await SeedAsync(second);
        static Task<List<string>> Summary(TheModelApp app) => app.WithDbAsync(db =>
            db.Leads.OrderBy(l => l.ExternalId).Select(l => l.ExternalId + l.Name + l.Stage + l.Score + l.Amount).ToListAsync());
        Assert.Equal(await Summary(first), await Summary(second));
    }
}
