using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Tests.Support;
using static TheModel.Tests.Api.Sla.SlaWorld;

namespace TheModel.Tests.Api.Sla;

public class SlaSweeperTests
{
    [Fact]
    public async Task Sweep_HandoffLeftAlone_RemindsTwiceEscalatesOnceAndReassignsOnceToTheNextPerson()
    {
        await using var app = NewApp();
        var world = await SeedAsync(app);
        var first = await OfferAsync(app);

        Assert.Equal(0, (await SweepAsync(app)).Steps); // lays out the schedule, nothing due yet
        At(app, Reminder1.AddSeconds(-1));
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        At(app, Reminder1.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        At(app, Reminder2.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        At(app, Escalation.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(app)).Escalations);
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        At(app, Expiry.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(app)).Expiries);
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        var messages = await SlaMessagesAsync(app);
        var firstAssignee = (await HandoffsAsync(app)).Single(h => h.Id == first).AssigneeId!.Value;
        Assert.Equal(
            [
                (OutboxKinds.SlaReminder, OutboxChannels.Slack, OutboxMessage.PersonTarget(firstAssignee), "reminder:1"),
                (OutboxKinds.SlaReminder, OutboxChannels.Slack, OutboxMessage.PersonTarget(firstAssignee), "reminder:2"),
                (OutboxKinds.SlaEscalation, OutboxChannels.Teams, OutboxMessage.PersonTarget(world.ManagerId), "escalation"),
                (OutboxKinds.SlaEscalation, OutboxChannels.Slack, OutboxMessage.PersonTarget(world.ManagerId), "escalation"),
                (OutboxKinds.SlaEscalation, OutboxChannels.Teams, "19:is@thread.tacv2", "escalation"),
                (OutboxKinds.SlaEscalation, OutboxChannels.Slack, "C_IS", "escalation"),
            ],
            messages.Select(m => (m.Kind, m.Channel, m.Target, JsonDocument.Parse(m.Payload!).RootElement.GetProperty("step").GetString())));
        Assert.All(messages, m => Assert.False(m.Late));

        var handoffs = await HandoffsAsync(app);
        Assert.Equal(2, handoffs.Count);
        var (expired, reoffer) = (handoffs[0], handoffs[1]);
        Assert.Equal(HandoffState.Expired, expired.State);
        Assert.Equal(HandoffState.Offered, reoffer.State);
        Assert.Equal(1, reoffer.Attempt);
        Assert.Equal(expired.Id, reoffer.PreviousHandoffId);
        Assert.Equal(world.Reps[1], reoffer.AssigneeId); // round robin: the next rep, never the one who let it expire
        Assert.Equal(world.Reps[0], expired.AssigneeId);

        var events = await app.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.HandoffId == first).Select(e => e.Type).ToListAsync());
        Assert.Equal(2, events.Count(t => t == LeadEventType.SlaReminder));
        Assert.Single(events, LeadEventType.SlaEscalated);
        Assert.Single(events, LeadEventType.HandoffExpired);
        Assert.Equal(["reminder:1", "reminder:2", "escalation", "expiry"], (await StepsAsync(app)).Select(s => s.Step));

        // The new offer has its own clock: its first reminder is an hour of business time after it.
        At(app, Expiry.AddHours(1).AddSeconds(20));
        var next = await SweepAsync(app);
        Assert.Equal(1, next.Reminders);
        var last = (await SlaMessagesAsync(app)).Last();
        Assert.Equal((reoffer.Id, OutboxMessage.PersonTarget(world.Reps[1])), (last.HandoffId!.Value, last.Target));
    }

    [Fact]
    public async Task Sweep_ReminderAndEscalation_FollowTheOutboxContract()
    {
        await using var app = NewApp();
        var world = await SeedAsync(app);
        var id = await OfferAsync(app);
        At(app, Escalation.AddSeconds(5));
        await SweepAsync(app);

        var messages = await SlaMessagesAsync(app);
        var reminder = messages.First(m => m.Kind == OutboxKinds.SlaReminder);
        var assignee = (await HandoffsAsync(app)).Single().AssigneeId!.Value;
        Assert.Equal(id, reminder.HandoffId);
        Assert.Equal($"sla:{id}:reminder:1:slack:person:{assignee}", reminder.DedupeKey);
        Assert.Equal($"{{\"step\":\"reminder:1\",\"late\":true,\"managerId\":\"{world.ManagerId}\"}}", reminder.Payload);
        var channel = messages.Single(m => m.Kind == OutboxKinds.SlaEscalation && m.Target == "C_IS");
        Assert.Equal($"sla:{id}:escalation:slack:C_IS", channel.DedupeKey);
        Assert.Equal($"{{\"step\":\"escalation\",\"late\":false,\"managerId\":\"{world.ManagerId}\"}}", channel.Payload);
        Assert.False(channel.Late);
        Assert.Equal(OutboxStatus.Pending, channel.Status);
    }

    [Fact]
    public async Task Sweep_RestartInTheMiddle_NeitherRepeatsNorSkipsAStep()
    {
        var clock = new FakeClock();
        await using var before = NewApp(clock);
        await SeedAsync(before);
        await OfferAsync(before);
        At(before, Reminder1.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(before, "before")).Reminders);

        // A new process on the same database file: fresh singletons, nothing kept in memory.
        await using var after = NewApp(clock, before.DatabasePath);
        after.CreateClient();
        Assert.Equal(0, (await SweepAsync(after, "after")).Steps);
        At(after, Reminder2.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(after, "after")).Reminders);
        At(after, Escalation.AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(after, "after")).Escalations);

        var steps = await StepsAsync(after);
        Assert.Equal(["reminder:1", "reminder:2", "escalation"], steps.Select(s => s.Step));
        Assert.Equal(["before", "after", "after"], steps.Select(s => s.ClaimedBy));
        Assert.Equal(2, (await SlaMessagesAsync(after)).Count(m => m.Kind == OutboxKinds.SlaReminder));
    }

    [Fact]
    public async Task Sweep_AfterDowntime_DoesEveryMissedStepOnceMarkedLate()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        await OfferAsync(app);
        await SweepAsync(app);
        At(app, Escalation.AddMinutes(30)); // the bot was down from before the first reminder

        var result = await SweepAsync(app);
        Assert.Equal((2, 1, 0, 3), (result.Reminders, result.Escalations, result.Expiries, result.Late));
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        Assert.All(await StepsAsync(app), s => Assert.True(s.Late));
        var messages = await SlaMessagesAsync(app);
        Assert.Equal(6, messages.Count);
        Assert.All(messages, m => Assert.True(m.Late));
        Assert.All(messages, m => Assert.True(JsonDocument.Parse(m.Payload!).RootElement.GetProperty("late").GetBoolean()));
        var steps = await StepsAsync(app);
        Assert.Equal([Reminder1, Reminder2, Escalation], steps.Select(s => s.DueAt));
    }

    [Fact]
    public async Task Sweep_OnTime_IsNotLate()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        await OfferAsync(app);
        At(app, Reminder1.AddSeconds(59)); // within two sweep intervals
        await SweepAsync(app);
        Assert.False(Assert.Single(await StepsAsync(app)).Late);
    }

    [Fact]
    public async Task Sweep_TwoSweepersOnTheSameDatabaseAtOnce_DoEachStepExactlyOnce()
    {
        var clock = new FakeClock();
        await using var one = NewApp(clock);
        await SeedAsync(one, reps: 6);
        var offered = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            offered.Add(await OfferAsync(one, $"Company{i}"));
        }
        await using var two = NewApp(clock, one.DatabasePath);
        two.CreateClient();

        foreach (var at in new[] { Start, Reminder1.AddSeconds(5), Reminder2.AddMinutes(5), Escalation.AddSeconds(5), Expiry.AddSeconds(5) })
        {
            At(one, at);
            var results = await Task.WhenAll(
                Task.Run(() => SweepAsync(one, "one")),
                Task.Run(() => SweepAsync(two, "two")));
            Assert.All(results, r => Assert.True(r.Steps >= 0));
        }

        var steps = await StepsAsync(one);
        Assert.Equal(12 * 4, steps.Count);
        Assert.Equal(12 * 4, steps.Select(s => (s.HandoffId, s.Step)).Distinct().Count());
        var messages = await SlaMessagesAsync(one);
        // Per handoff: 2 reminders to the rep (Slack) + escalation to the manager (Teams, Slack) and the channel (Teams, Slack).
        Assert.Equal(12 * 6, messages.Count);
        var handoffs = await HandoffsAsync(one);
        Assert.Equal(12, handoffs.Count(h => h.State == HandoffState.Expired));
        Assert.Equal(12, handoffs.Count(h => h.State == HandoffState.Offered && h.Attempt == 1));
        var events = await one.WithDbAsync(db => db.Events.AsNoTracking()
            .Where(e => e.Type == LeadEventType.HandoffExpired || e.Type == LeadEventType.SlaEscalated || e.Type == LeadEventType.SlaReminder)
            .CountAsync());
        Assert.Equal(12 * 4, events);
    }

    [Fact]
    public async Task Sweep_AfterMaxReassignments_OnlyEscalatesAndNeverMovesAgain()
    {
        await using var app = NewApp(maxReassignments: 1);
        await SeedAsync(app);
        await OfferAsync(app);
        At(app, Expiry.AddSeconds(5));
        await SweepAsync(app);
        var reoffer = (await HandoffsAsync(app)).Single(h => h.IsOpen);
        Assert.Equal(1, reoffer.Attempt);

        At(app, Expiry.AddDays(7)); // long past the new offer's deadline and grace
        var result = await SweepAsync(app);
        Assert.Equal((2, 1, 0), (result.Reminders, result.Escalations, result.Expiries));
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        var handoffs = await HandoffsAsync(app);
        Assert.Equal(2, handoffs.Count);
        Assert.Equal(HandoffState.Offered, handoffs.Single(h => h.Id == reoffer.Id).State);
        Assert.Equal(SlaSchedule.Finished, handoffs.Single(h => h.Id == reoffer.Id).NextSlaCheckAt);
    }

    [Fact]
    public async Task Sweep_DecidedHandoff_IsLeftAlone()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        var id = await OfferAsync(app);
        At(app, Reminder1.AddSeconds(5));
        await SweepAsync(app);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var assignee = (await HandoffsAsync(app)).Single().AssigneeId!.Value;
            var outcome = await scope.ServiceProvider.GetRequiredService<HandoffService>().AcceptAsync(id, assignee);
            Assert.True(outcome.Succeeded);
        }
        At(app, Expiry.AddDays(1));
        Assert.Equal(SlaSweepResult.None, await SweepAsync(app));
        Assert.Equal(["reminder:1"], (await StepsAsync(app)).Select(s => s.Step));
    }

    [Fact]
    public async Task Sweep_NobodyElseInTheDepartment_ReoffersToTheQueueAndRemindsTheChannel()
    {
        await using var app = NewApp();
        await SeedAsync(app, reps: 1);
        await OfferAsync(app);
        At(app, Expiry.AddSeconds(5));
        await SweepAsync(app);
        var queued = (await HandoffsAsync(app)).Single(h => h.IsOpen);
        Assert.Null(queued.AssigneeId);
        Assert.Equal(RoutingRule.Queue, queued.Routing);

        At(app, Expiry.AddHours(1).AddSeconds(10));
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
        var reminders = (await SlaMessagesAsync(app)).Where(m => m.HandoffId == queued.Id).ToList();
        Assert.Equal(["19:is@thread.tacv2", "C_IS"], reminders.Select(m => m.Target));
        Assert.All(reminders, m => Assert.Contains("\"managerId\":null", m.Payload));
    }

    [Fact]
    public async Task Sweep_AssigneeWithoutChatIdentity_RemindsTheDepartmentChannel()
    {
        await using var app = NewApp();
        var world = await SeedAsync(app);
        await app.WithDbAsync(async db =>
        {
            var rep = await db.People.SingleAsync(p => p.Id == world.Reps[0]);
            rep.SlackUserId = null;
            await db.SaveChangesAsync();
        });
        await OfferAsync(app);
        At(app, Reminder1.AddSeconds(5));
        await SweepAsync(app);
        Assert.Equal(["19:is@thread.tacv2", "C_IS"], (await SlaMessagesAsync(app)).Select(m => m.Target));
    }

    [Fact]
    public async Task Sweep_OfferMadeOnFridayEvening_WaitsForBusinessHours()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        At(app, new DateTime(2026, 11, 20, 8, 30, 0, DateTimeKind.Utc)); // Fri 17:30 JST
        await OfferAsync(app);
        await SweepAsync(app);
        // Reminder 1 is one business hour later: 30 min on Friday, 30 min on Tuesday (Monday 11-23 is a holiday).
        At(app, new DateTime(2026, 11, 24, 0, 29, 0, DateTimeKind.Utc));
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        At(app, new DateTime(2026, 11, 24, 0, 30, 0, DateTimeKind.Utc));
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
    }

    [Fact]
    public async Task Sweep_PolicyChangedAtRunTime_ReschedulesOpenHandoffs()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        await OfferAsync(app);
        await SweepAsync(app); // scheduled: first reminder at 10:00 JST
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var saved = await scope.ServiceProvider.GetRequiredService<SlaSettingsStore>().SavePoliciesAsync(
                new Dictionary<string, SlaPolicySettings?> { ["MqlToIs"] = new() { Reminders = [0.1] } });
            Assert.Equal(SettingsSaveStatus.Saved, saved.Status);
        }
        At(app, Start.AddMinutes(12).AddSeconds(1)); // 10% of the 2-hour window
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
    }

    [SqliteOnlyFact("reads SQLite's EXPLAIN QUERY PLAN output")]
    public async Task DueQuery_IsARangeScanOfTheNextCheckIndex()
    {
        await using var app = NewApp();
        app.CreateClient();
        var plan = await app.WithDbAsync(async db =>
        {
            var command = SlaSweeper.DueQuery(db, Start).Take(SlaSweeper.BatchSize).CreateDbCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            await db.Database.OpenConnectionAsync();
            command.Connection = db.Database.GetDbConnection();
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(3));
            }
            return string.Join("\n", lines);
        });
        Assert.Contains("IX_Handoffs_State_NextSlaCheckAt", plan);
        Assert.DoesNotContain("SCAN", plan.Replace("SCAN Handoffs USING", "SEARCH"));
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    [Fact]
    public async Task Sweep_HundredThousandOpenAndNothingDue_ChecksNone()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        await OfferAsync(app);
        await SweepAsync(app);
        var lead = await app.WithDbAsync(db => db.Leads.Select(l => l.Id).SingleAsync());
        await app.WithDbAsync(db => TheModelApp.OnPostgres
            ? db.Database.ExecuteSqlRawAsync("""
                INSERT INTO "Handoffs" ("Id", "LeadId", "Kind", "State", "Routing", "RoutingReason", "OfferedAt", "DeadlineAt", "Attempt", "Version", "NextSlaCheckAt")
                SELECT gen_random_uuid(), {0}, 'MqlToIs', 'Offered', 'RoundRobin', 'bulk', timestamptz '2026-11-16 00:00:00Z', timestamptz '2026-11-16 02:00:00Z', 0, 0,
                       timestamptz '2026-11-16 01:00:00Z'
                FROM generate_series(1, 100000);
                """, lead)
            : db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                INSERT INTO Handoffs (Id, LeadId, Kind, State, Routing, RoutingReason, OfferedAt, DeadlineAt, Attempt, Version, NextSlaCheckAt)
                SELECT lower(hex(randomblob(16))), {0}, 'MqlToIs', 'Offered', 'RoundRobin', 'bulk', '2026-11-16 00:00:00', '2026-11-16 02:00:00', 0, 0,
                       '2026-11-16 01:00:00'
                FROM n;
                """, lead));
        await SweepAsync(app); // warm up

        // Speed is measured by the benchmarks (PERFORMANCE.md), not asserted here: this checks the idle sweep touches nothing.
        var result = await SweepAsync(app);
        Assert.Equal(0, result.Checked);
    }
}
