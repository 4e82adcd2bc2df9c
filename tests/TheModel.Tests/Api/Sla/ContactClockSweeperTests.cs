using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;
using TheModel.Tests.Support;
using static TheModel.Tests.Api.Sla.SlaWorld;

namespace TheModel.Tests.Api.Sla;

/// <summary>
/// The first-contact clock on the <see cref="SlaWorld"/> team: an MQL offered Monday 09:00 JST must be touched within 4
/// business hours (13:00): one reminder half-way (11:00), the escalation at 13:00.
/// </summary>
public class ContactClockSweeperTests
{
    private static readonly DateTime ContactReminder = Start.AddHours(2);
    private static readonly DateTime ContactDue = Start.AddHours(4);

    private static TheModelApp NewContactApp()
    {
        var app = NewApp();
        app.Settings["Sla:MqlToIs:ContactWithinHours"] = "4";
        return app;
    }

    private static Task<ContactSweepResult> ContactSweepAsync(TheModelApp app, string instance = "test") =>
        app.Services.GetRequiredService<ContactClockSweeper>().RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance);

    private static Task<List<OutboxMessage>> ContactMessagesAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking()
            .Where(m => m.Kind == OutboxKinds.ContactReminder || m.Kind == OutboxKinds.ContactEscalation)
            .OrderBy(m => m.Id).ToListAsync());

    private static Task<List<ContactClock>> ClocksAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.ContactClocks.AsNoTracking().OrderBy(c => c.Id).ToListAsync());

    [Fact]
    public async Task Offer_NewMql_StartsOneClockDueInContactWithinBusinessHours()
    {
        await using var app = NewContactApp();
        await SeedAsync(app);
        await OfferAsync(app);

        var clock = Assert.Single(await ClocksAsync(app));
        Assert.Equal((LeadStage.Mql, Start, ContactDue, ContactReminder), (clock.Stage, clock.StartedAt, clock.DueAt, clock.NextCheckAt));
        Assert.Null(clock.FirstTouchAt);
    }

    [Fact]
    public async Task Offer_ReofferAfterExpiry_DoesNotRestartTheClock()
    {
        await using var app = NewContactApp();
        await SeedAsync(app);
        await OfferAsync(app);
        At(app, Expiry.AddSeconds(10));
        await SweepAsync(app);

        Assert.Equal(2, (await HandoffsAsync(app)).Count);
        var clock = Assert.Single(await ClocksAsync(app));
        Assert.Equal(ContactDue, clock.DueAt);
    }

    [Fact]
    public async Task Sweep_LeadLeftAlone_OneReminderToTheHolderAndOneEscalationToManagerAndChannel()
    {
        await using var app = NewContactApp();
        var world = await SeedAsync(app);
        var handoffId = await OfferAsync(app);

        At(app, ContactReminder.AddSeconds(-1));
        Assert.Equal(0, (await ContactSweepAsync(app)).Steps);
        At(app, ContactReminder.AddSeconds(10));
        Assert.Equal(1, (await ContactSweepAsync(app)).Reminders);
        Assert.Equal(0, (await ContactSweepAsync(app)).Steps);
        At(app, ContactDue.AddSeconds(10));
        Assert.Equal(1, (await ContactSweepAsync(app)).Escalations);
        At(app, ContactDue.AddHours(5));
        Assert.Equal(0, (await ContactSweepAsync(app)).Steps);

        var messages = await ContactMessagesAsync(app);
        var holder = world.Reps[0];
        Assert.Equal(
            [
                (OutboxKinds.ContactReminder, OutboxChannels.Slack, OutboxMessage.PersonTarget(holder), "reminder:1"),
                (OutboxKinds.ContactEscalation, OutboxChannels.Teams, OutboxMessage.PersonTarget(world.ManagerId), "escalation"),
                (OutboxKinds.ContactEscalation, OutboxChannels.Slack, OutboxMessage.PersonTarget(world.ManagerId), "escalation"),
                (OutboxKinds.ContactEscalation, OutboxChannels.Teams, "19:is@thread.tacv2", "escalation"),
                (OutboxKinds.ContactEscalation, OutboxChannels.Slack, "C_IS", "escalation"),
            ],
            messages.Select(m => (m.Kind, m.Channel, m.Target, JsonDocument.Parse(m.Payload!).RootElement.GetProperty("step").GetString()!.Split(':', 4)[3])));
        Assert.All(messages, m => Assert.Equal(handoffId, m.HandoffId));
        var clock = Assert.Single(await ClocksAsync(app));
        Assert.Equal(ContactClocks.Stopped, clock.NextCheckAt);
        var steps = await app.WithDbAsync(db => db.LeadSteps.AsNoTracking().OrderBy(s => s.Id).Select(s => s.Step).ToListAsync());
        Assert.Equal([$"contact:mql:{clock.Id}:reminder:1", $"contact:mql:{clock.Id}:escalation"], steps);
    }

    [Fact]
    public async Task Sweep_AfterAcceptance_RemindsTheOwner()
    {
        await using var app = NewContactApp();
        var world = await SeedAsync(app);
        var handoffId = await OfferAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<HandoffService>().AcceptAsync(handoffId, world.Reps[0]);
            Assert.True(outcome.Succeeded);
        }

        At(app, ContactReminder.AddSeconds(10));
        Assert.Equal(1, (await ContactSweepAsync(app)).Reminders);

        var reminder = Assert.Single(await ContactMessagesAsync(app));
        Assert.Equal((OutboxMessage.PersonTarget(world.Reps[0]), handoffId), (reminder.Target, reminder.HandoffId!.Value));
    }

    [Fact]
    public async Task Sweep_TouchedBeforeTheReminder_SendsNothing()
    {
        await using var app = NewContactApp();
        await SeedAsync(app);
        await OfferAsync(app);
        await app.WithDbAsync(async db =>
        {
            // What logging an activity does (the activities service stops the clock).
            var clock = await db.ContactClocks.SingleAsync();
            clock.FirstTouchAt = Start.AddMinutes(30);
            clock.FirstTouchBusinessHours = 0.5;
            clock.NextCheckAt = ContactClocks.Stopped;
            await db.SaveChangesAsync();
        });

        At(app, ContactDue.AddHours(1));
        Assert.Equal(0, (await ContactSweepAsync(app)).Steps);
        Assert.Empty(await ContactMessagesAsync(app));
    }

    [Fact]
    public async Task Sweep_TwoInstancesAtOnce_EachStepHappensOnce()
    {
        await using var app = NewContactApp();
        await SeedAsync(app);
        await OfferAsync(app);

        At(app, ContactReminder.AddSeconds(10));
        var runs = await Task.WhenAll(ContactSweepAsync(app, "a"), ContactSweepAsync(app, "b"));
        Assert.Equal(1, runs.Sum(r => r.Reminders));
        At(app, ContactDue.AddSeconds(10));
        runs = await Task.WhenAll(ContactSweepAsync(app, "a"), ContactSweepAsync(app, "b"));
        Assert.Equal(1, runs.Sum(r => r.Escalations));

        var messages = await ContactMessagesAsync(app);
        Assert.Single(messages, m => m.Kind == OutboxKinds.ContactReminder);
        Assert.Equal(4, messages.Count(m => m.Kind == OutboxKinds.ContactEscalation));
    }

    [Fact]
    public async Task Sweep_LeadRejectedBackToNurture_StopsTheClockWithoutNotice()
    {
        await using var app = NewContactApp();
        var world = await SeedAsync(app);
        var handoffId = await OfferAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<HandoffService>()
                .RejectAsync(handoffId, world.Reps[0], RejectReason.NotTarget, null)).Succeeded);
        }

        At(app, ContactDue.AddSeconds(10));
        Assert.Equal(0, (await ContactSweepAsync(app)).Steps);
        Assert.Equal(ContactClocks.Stopped, Assert.Single(await ClocksAsync(app)).NextCheckAt);
    }
}
