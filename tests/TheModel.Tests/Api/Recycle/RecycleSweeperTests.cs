using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Recycle;
using TheModel.Bot.HandoffCards;
using TheModel.Tests.Support;
using static TheModel.Tests.Api.Recycle.RecycleWorld;

namespace TheModel.Tests.Api.Recycle;

public class RecycleSweeperTests
{
    [Fact]
    public async Task Sweep_BadTimingRejectionPastItsDelay_ReoffersTheLeadToIsOnceAsARecycledMql()
    {
        await using var app = NewApp();
        var rep = await AddRepAsync(app);
        var leadId = await RejectedMqlAsync(app, rep, "BadTiming", "next fiscal year");
        Assert.Equal(LeadStage.Nurture, (await LeadAsync(app, leadId)).Stage);

        app.Clock.Advance(TimeSpan.FromDays(90) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Equal(LeadStage.Nurture, (await LeadAsync(app, leadId)).Stage);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await SweepAsync(app));
        Assert.Equal(0, await SweepAsync(app));

        var lead = await LeadAsync(app, leadId);
        Assert.Equal((LeadStage.Mql, TheModel.Api.People.Department.MK), (lead.Stage, lead.Department));
        var offers = await OffersAsync(app, leadId);
        Assert.Equal(2, offers.Count);
        Assert.Equal((HandoffKind.MqlToIs, HandoffState.Offered), (offers[1].Kind, offers[1].State));
        var nurtured = Assert.Single(await EventsAsync(app, leadId, LeadEventType.Nurtured));
        var back = Assert.Single(await EventsAsync(app, leadId, LeadEventType.RecycledBack));
        Assert.Equal("BadTiming", back.Reason);
        Assert.Equal(2, (await EventsAsync(app, leadId, LeadEventType.BecameMql)).Count);
        var step = Assert.Single(await StepsAsync(app));
        Assert.Equal((leadId, RecycleSweeper.StepFor(nurtured.Id), "test", false), (step.LeadId, step.Step, step.ClaimedBy, step.Late));
        Assert.Equal(nurtured.At.AddDays(90), step.DueAt);
    }

    [Fact]
    public async Task Sweep_RecycledMql_CardSaysWhyItIsBackInBothLanguages()
    {
        await using var app = NewApp();
        var rep = await AddRepAsync(app);
        var leadId = await RejectedMqlAsync(app, rep, "BadTiming", "next fiscal year");
        app.Clock.Advance(TimeSpan.FromDays(90));
        await SweepAsync(app);

        var offers = await OffersAsync(app, leadId);
        await using var scope = app.Services.CreateAsyncScope();
        var cards = scope.ServiceProvider.GetRequiredService<HandoffCardFactory>();
        var source = await cards.ReadAsync(offers[1].Id);
        Assert.NotNull(source);
        Assert.Equal("Back from nurture: rejected 90 days ago for bad timing by 佐藤 花子: 'next fiscal year'",
            cards.Build(source.Handoff, source.Lead, source.People, null, language: "en", back: source.Back).BackBecause);
        Assert.Equal("再来リード: 90日前に佐藤 花子が「時期尚早」で差し戻し: 「next fiscal year」",
            cards.Build(source.Handoff, source.Lead, source.People, null, language: "ja", back: source.Back).BackBecause);
        // The first offer, before the lead was ever nurtured, has no such line; nor does the card rebuilt after a click.
        Assert.Null((await cards.BuildAsync(offers[0].Id, null))!.BackBecause);
        Assert.NotNull((await cards.BuildAsync(offers[1], null)).BackBecause);
    }

    [Fact]
    public async Task Sweep_RestartAndTwoInstancesOnOneDatabase_BringTheLeadBackExactlyOnce()
    {
        var clock = new FakeClock();
        await using var one = NewApp(clock);
        var rep = await AddRepAsync(one);
        var leadId = await RejectedMqlAsync(one, rep, "Unreachable", null);
        clock.Advance(TimeSpan.FromDays(31));

        // A second process on the same database, sweeping at the same moment, then a restart that sweeps again.
        await using var two = NewApp(clock, one.DatabasePath);
        two.CreateClient();
        var both = await Task.WhenAll(Task.Run(() => SweepAsync(one, "one")), Task.Run(() => SweepAsync(two, "two")));
        Assert.Equal(1, both.Sum());
        await using var restarted = NewApp(clock, one.DatabasePath);
        restarted.CreateClient();
        Assert.Equal(0, await SweepAsync(restarted, "restarted"));

        Assert.Single(await StepsAsync(restarted));
        Assert.Single(await EventsAsync(restarted, leadId, LeadEventType.RecycledBack));
        Assert.Equal(2, (await OffersAsync(restarted, leadId)).Count);
    }

    [Fact]
    public async Task Sweep_ScoreCrossedTheThresholdEarlier_LeadCameBackAtOnceAndTheClockDoesNothing()
    {
        await using var app = NewApp();
        var rep = await AddRepAsync(app);
        var leadId = await RejectedMqlAsync(app, rep, "BadTiming", null);
        var client = app.Client();
        await client.PatchAsJsonAsync($"/api/leads/{leadId}", new { score = 40 }).OkJsonAsync();
        app.Clock.Advance(TimeSpan.FromDays(10));
        await client.PatchAsJsonAsync($"/api/leads/{leadId}", new { score = 90 }).OkJsonAsync();
        Assert.Equal(LeadStage.Mql, (await LeadAsync(app, leadId)).Stage);

        app.Clock.Advance(TimeSpan.FromDays(100));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Empty(await EventsAsync(app, leadId, LeadEventType.RecycledBack));
        Assert.Equal(2, (await OffersAsync(app, leadId)).Count);
    }

    [Theory]
    [InlineData("NotTarget")]
    [InlineData("Duplicate")]
    public async Task Sweep_NeverReason_LeadStaysInNurture(string reason)
    {
        await using var app = NewApp();
        var rep = await AddRepAsync(app);
        var leadId = await RejectedMqlAsync(app, rep, reason, null);
        app.Clock.Advance(TimeSpan.FromDays(3650));
        Assert.Equal(0, await SweepAsync(app));
        Assert.Equal(LeadStage.Nurture, (await LeadAsync(app, leadId)).Stage);
    }

    [Fact]
    public async Task Sweep_LostDealWithConfiguredDelay_ComesBackWithTheLostReasonOnTheCard()
    {
        await using var app = NewApp();
        app.Settings["Recycle:After:Lost"] = "10.00:00:00";
        var rep = await AddRepAsync(app);
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中 太郎", company = "株式会社アクメ", score = 85 }).OkJsonAsync(HttpStatusCode.Created);
        await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/lost", new { reason = "went with a competitor" }).OkJsonAsync();
        app.Clock.Advance(TimeSpan.FromDays(10));

        Assert.Equal(1, await SweepAsync(app));
        var offers = await OffersAsync(app, lead.Id());
        await using var scope = app.Services.CreateAsyncScope();
        var card = await scope.ServiceProvider.GetRequiredService<HandoffCardFactory>().BuildAsync(offers[^1].Id, null);
        Assert.Equal("再来リード: 10日前に失注（crm-admin）: 「went with a competitor」", card!.BackBecause);
        Assert.NotEqual(Guid.Empty, rep);
    }

    [Fact]
    public async Task Kpis_RecycledLeadQualified_CountsRecycledBackAndRecycledConverted()
    {
        await using var app = NewApp();
        var rep = await AddRepAsync(app);
        var leadId = await RejectedMqlAsync(app, rep, "NoAuthority", "talk to the CIO");
        app.Clock.Advance(TimeSpan.FromDays(121));
        await SweepAsync(app);
        var client = app.Client();
        var before = await client.GetAsync("/api/kpis?period=this-month").OkJsonAsync();
        Assert.Equal((1, 0), (before.GetProperty("recycledBack").GetInt32(), before.GetProperty("recycledConverted").GetInt32()));

        var offer = (await OffersAsync(app, leadId))[^1];
        await client.PostAsJsonAsync($"/api/handoffs/{offer.Id}/accept", new { personId = rep }).OkJsonAsync();
        await client.PostAsJsonAsync($"/api/leads/{leadId}/qualify", new { budget = 1000000, authority = "CIO", need = "SFA", timeline = "Q2" }).OkJsonAsync();

        var after = await client.GetAsync("/api/kpis?period=this-month").OkJsonAsync();
        Assert.Equal((1, 1), (after.GetProperty("recycledBack").GetInt32(), after.GetProperty("recycledConverted").GetInt32()));
        var digest = await TheModel.Tests.Bot.Digest.DigestFigureQueriesTests.BuildAsync(app, "this-week");
        Assert.Equal(new RecycledBackCountsView(1, 1), new RecycledBackCountsView(digest.Recycled.Back.RecycledBack, digest.Recycled.Back.RecycledConverted));
        var lastMonth = await client.GetAsync("/api/kpis?period=last-month").OkJsonAsync();
        Assert.Equal((0, 0), (lastMonth.GetProperty("recycledBack").GetInt32(), lastMonth.GetProperty("recycledConverted").GetInt32()));
    }

    private sealed record RecycledBackCountsView(int Back, int Converted);
}
