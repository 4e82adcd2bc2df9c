using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>The neglect chase on a fake clock: a nudge at 14 days, another at 28, each once; an activity starts a new series.</summary>
public class NeglectSweeperTests
{
    private static readonly DateTime Start = new(2026, 11, 2, 1, 0, 0, DateTimeKind.Utc);

    private static async Task<(Guid LeadId, Guid Owner)> AcceptedSqlAsync(TheModelApp app, LeadStage stage = LeadStage.Sql,
        HandoffState state = HandoffState.Accepted, string locale = "ja-JP")
    {
        _ = app.CreateClient();
        return await app.WithDbAsync(async db =>
        {
            var owner = new Person { Name = "FS 担当", Email = "fs@example.co.jp", Department = Department.FS, SlackUserId = "UFS", Locale = locale, CreatedAt = Start, UpdatedAt = Start };
            db.People.Add(owner);
            var lead = new Lead
            {
                Name = "山田 <b>", Email = "yamada@acme.example", Company = "Acme & Co", Stage = stage, Department = Department.FS, OwnerId = owner.Id,
                CreatedAt = Start, UpdatedAt = Start, StageChangedAt = Start, LastActivityAt = Start,
            };
            db.Leads.Add(lead);
            db.Handoffs.Add(new Handoff { LeadId = lead.Id, Kind = HandoffKind.SqlToFs, State = state, OfferedAt = Start, DeadlineAt = Start.AddHours(9), DecidedAt = Start });
            await db.SaveChangesAsync();
            return (lead.Id, owner.Id);
        });
    }

    private static Task<int> SweepAsync(TheModelApp app, string instance = "test") =>
        app.Services.GetRequiredService<NeglectSweeper>().RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance);

    private static void At(TheModelApp app, DateTime utc) => app.Clock.SetUtcNow(new DateTimeOffset(utc));

    private static Task<List<OutboxMessage>> NudgesAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.NeglectNudge).OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task Sweep_SqlLeftAlone_NudgesTheOwnerAt14And28DaysEachOnce()
    {
        await using var app = new TheModelApp(new FakeClock(Start)).WithKeys();
        var (id, owner) = await AcceptedSqlAsync(app);

        At(app, Start.AddDays(14).AddSeconds(-1));
        Assert.Equal(0, await SweepAsync(app));
        At(app, Start.AddDays(14));
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app, "other-instance"));
        At(app, Start.AddDays(27));
        Assert.Equal(0, await SweepAsync(app));
        At(app, Start.AddDays(28).AddHours(1));
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app));

        var nudges = await NudgesAsync(app);
        Assert.Equal([OutboxMessage.PersonTarget(owner), OutboxMessage.PersonTarget(owner)], nudges.Select(m => m.Target));
        var payload = JsonDocument.Parse(nudges[1].Payload!).RootElement;
        Assert.Equal(id, payload.GetProperty("leadId").GetGuid());
        Assert.Equal(28, payload.GetProperty("days").GetInt32());
        var steps = await app.WithDbAsync(db => db.LeadSteps.AsNoTracking().Where(s => s.LeadId == id).OrderBy(s => s.Id).Select(s => s.Step).ToListAsync());
        Assert.Equal([NeglectSweeper.StepKey(Start, 1), NeglectSweeper.StepKey(Start, 2)], steps);
    }

    [Fact]
    public async Task Sweep_AfterAnActivity_NoNudgeUntilANewSeriesIsDue()
    {
        await using var app = new TheModelApp(new FakeClock(Start)).WithKeys();
        var (id, _) = await AcceptedSqlAsync(app);
        At(app, Start.AddDays(14));
        Assert.Equal(1, await SweepAsync(app));

        var touched = Start.AddDays(20);
        await app.WithDbAsync(async db =>
        {
            (await db.Leads.SingleAsync(l => l.Id == id)).LastActivityAt = touched;
            await db.SaveChangesAsync();
        });
        At(app, Start.AddDays(28).AddHours(1));
        Assert.Equal(0, await SweepAsync(app));
        At(app, touched.AddDays(14));
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app));

        var steps = await app.WithDbAsync(db => db.LeadSteps.AsNoTracking().Where(s => s.LeadId == id).OrderBy(s => s.Id).Select(s => s.Step).ToListAsync());
        Assert.Equal([NeglectSweeper.StepKey(Start, 1), NeglectSweeper.StepKey(touched, 1)], steps);
    }

    [Theory]
    [InlineData(LeadStage.Won, HandoffState.Accepted)]
    [InlineData(LeadStage.Sql, HandoffState.Offered)]
    public async Task Sweep_NotAnAcceptedSql_NoNudge(LeadStage stage, HandoffState state)
    {
        await using var app = new TheModelApp(new FakeClock(Start)).WithKeys();
        await AcceptedSqlAsync(app, stage, state);
        At(app, Start.AddDays(40));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Empty(await NudgesAsync(app));
    }

    [Fact]
    public void Text_InTheOwnersLanguage_NamesTheLeadDaysAndTheContactCommand()
    {
        var lead = new Lead { Name = "山田", Company = "Acme", Email = "yamada@acme.example" };
        var nudge = new NeglectNudgePayload(lead.Id, NeglectSweeper.StepKey(Start, 1), Start, 14);
        var ja = NeglectTexts.For(nudge, lead, ja: true);
        var en = NeglectTexts.For(nudge, lead, ja: false);
        Assert.Contains("Acme (山田)", ja);
        Assert.Contains("14 日間", ja);
        Assert.Contains("contact yamada@acme.example call reached", ja);
        Assert.Contains("no activity for 14 days", en);
        Assert.Contains("contact yamada@acme.example call reached", en);
    }
}
