using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Digests;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.Settings;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Bot.Slack;
using TheModel.Tests.Api;
using TheModel.Tests.Support;
using Xunit.Abstractions;

namespace TheModel.Tests.MultiInstance;

/// <summary>
/// Two bot instances behind one load balancer: two full hosts (own DI, outbox dispatcher, SLA sweeper, clock set to the
/// same time) on ONE PostgreSQL database, one Slack stand-in. 1,000 handoffs come in through both instances' REST API;
/// every decision is raced by both instances at once; the rest is chased through the SLA by both sweepers at once
/// while both dispatchers deliver; the weekly digest falls due on both at once. Everything must happen exactly once.
/// </summary>
public sealed class TwoInstancesOnPostgresTests(ITestOutputHelper output)
{
    private const int Leads = 1000;
    private const int LeftForSla = 200;
    private const int Reps = 10;
    private const string Channel = "C_IS";
    // Mon 16 Nov 2026 09:00 JST: a business morning, so the 2-business-hour SLA runs on wall time.
    private static readonly DateTime Start = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);

    [PostgresFact]
    public async Task ThousandHandoffs_TwoInstancesOneDatabase_EveryRaceHasOneWinnerAndEveryStepHappensOnce()
    {
        var watch = Stopwatch.StartNew();
        await using var slack = await RecordingServer.StartAsync();
        var standIn = new SlackStandIn(slack.BaseUrl);
        slack.Responder = standIn.RespondAsync;
        await using var one = Instance("one", slack, databasePath: null);
        await using var two = Instance("two", slack, one.DatabasePath);

        // Both start at once on the empty database: the migration runs once (EF's migration lock), the departments exist once.
        var clients = await Task.WhenAll(Task.Run(() => one.Client()), Task.Run(() => two.Client()));
        var (viaOne, viaTwo) = (clients[0], clients[1]);
        await one.WithDbAsync(async db =>
        {
            Assert.Equal(db.Database.GetMigrations().Count(),
                await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM \"__EFMigrationsHistory\"").SingleAsync());
            Assert.Equal(4, await db.Departments.CountAsync());
        });
        var (managerId, repIds) = await SeedInsideSalesAsync(viaOne);

        // Intake: half the leads through each instance, both batches at once.
        var batches = await Task.WhenAll(IntakeAsync(viaOne, 0, Leads / 2), IntakeAsync(viaTwo, Leads / 2, Leads / 2));
        var offers = batches.SelectMany(b => b).ToList();
        Assert.Equal(Leads, offers.Count);
        Assert.All(offers, o => Assert.Contains(o.AssigneeId, repIds));
        Assert.Equal(Leads, offers.Select(o => o.HandoffId).Distinct().Count());
        output.WriteLine($"intake: {watch.Elapsed}");
        await DispatchBothAsync(one, two);
        output.WriteLine($"intake and first dispatch: {watch.Elapsed}");

        // Decisions: every handoff but the SLA's share gets two simultaneous accepts, one through each instance.
        var decided = offers.Take(Leads - LeftForSla).ToList();
        var chased = offers.Skip(Leads - LeftForSla).Select(o => o.HandoffId).ToHashSet();
        await RaceAcceptsAsync(viaOne, viaTwo, decided);
        await DispatchBothAsync(one, two);
        await AssertDecisionsConsistentAsync(one, decided);
        output.WriteLine($"decisions: {watch.Elapsed}");

        // The weekly digest falls due now (Monday 09:00 JST): both instances' schedules fire, and each instance is asked
        // for a manual run at the same moment too.
        await RunDigestsAsync(one, two, viaOne, viaTwo);
        await DispatchBothAsync(one, two);

        // The SLA: nobody touches the rest; both sweepers chase them at every due time while both dispatchers deliver.
        var claimed = await ChaseThroughSlaAsync(one, two);
        var claimedBy = await AssertSlaStepsExactlyOnceAsync(one, chased, managerId, claimed);
        output.WriteLine($"SLA: {watch.Elapsed}; steps claimed by instance: {claimedBy}");

        // Delivery: every Slack row sent, every post made exactly once, every posted card of a decided handoff updated once.
        await AssertSlackDeliveredOnceAsync(one, slack);
        output.WriteLine($"total: {watch.Elapsed}; Slack calls: {slack.Requests.Count}");
    }

    private static TheModelApp Instance(string name, RecordingServer slack, string? databasePath)
    {
        var app = new TheModelApp(new FakeClock(new DateTimeOffset(Start)), databasePath).WithKeys();
        app.Settings["Outbox:InstanceId"] = name;
        // 1,600 accepts in a burst through two keys: this test is about races, not about the per-key rate limit.
        app.Settings["RateLimits:Api:PermitLimit"] = "1000000";
        // Thousands of requests and sends: log what goes wrong, not every call. EF Core logs each lost race (a
        // unique or version conflict the product turns into a 409 or a skipped step) as an error; here they are expected.
        app.Settings["Logging:LogLevel:Default"] = "Warning";
        app.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore.Update"] = "Critical";
        app.Settings["Slack:BotToken"] = "xoxb-test-token";
        app.Settings["Slack:SigningSecret"] = "multi-instance-signing-secret";
        app.Settings["Slack:ApiBaseUrl"] = slack.BaseUrl + "api/";
        app.Settings["Slack:AutoRun"] = "false";
        app.Settings["Sla:MqlToIs:AcceptWithinHours"] = "2";
        app.Settings["Sla:MqlToIs:ReassignAfterHours"] = "1";
        app.Settings["Sla:MqlToIs:MaxReassignments"] = "1";
        return app;
    }

    /// <summary>Inside sales through the API: a manager (takes no leads), ten reps with room for the whole run, a Slack channel.</summary>
    private static async Task<(Guid Manager, IReadOnlyList<Guid> Reps)> SeedInsideSalesAsync(HttpClient client)
    {
        var manager = await client.AddPersonAsync("IS Manager", "mgr@example.jp", "IS", available: false, slackUserId: "UMGR");
        var reps = new List<Guid>();
        for (var i = 0; i < Reps; i++)
        {
            reps.Add(await client.AddPersonAsync($"Rep {i}", $"rep{i}@example.jp", "IS", managerId: manager, capacity: 500, slackUserId: $"UREP{i}"));
        }
        await client.PutAsJsonAsync("/api/departments/IS", new { slackChannelId = Channel }).OkJsonAsync();
        return (manager, reps);
    }

    private sealed record Offer(Guid HandoffId, Guid AssigneeId);

    private static async Task<IReadOnlyList<Offer>> IntakeAsync(HttpClient client, int from, int count)
    {
        var leads = Enumerable.Range(from, count).Select(i => new
        {
            externalId = $"ma-{i:D4}", name = $"Contact {i}", email = $"contact{i}@company{i}.example", company = $"Company {i}",
            domain = $"company{i}.example", score = 90,
        }).ToList();
        var result = await client.PostAsJsonAsync("/api/leads/batch", new { leads }).OkJsonAsync();
        return result.GetProperty("leads").EnumerateArray()
            .Select(l => new Offer(l.GetProperty("handoffId").GetGuid(), l.GetProperty("assigneeId").GetGuid()))
            .ToList();
    }

    private static async Task RaceAcceptsAsync(HttpClient viaOne, HttpClient viaTwo, IReadOnlyList<Offer> offers)
    {
        var outcomes = new ConcurrentBag<(Guid Handoff, HttpStatusCode One, HttpStatusCode Two)>();
        await Parallel.ForEachAsync(offers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (offer, ct) =>
        {
            var body = new { personId = offer.AssigneeId };
            var url = $"/api/handoffs/{offer.HandoffId}/accept";
            var responses = await Task.WhenAll(viaOne.PostAsJsonAsync(url, body, ct), viaTwo.PostAsJsonAsync(url, body, ct));
            outcomes.Add((offer.HandoffId, responses[0].StatusCode, responses[1].StatusCode));
            foreach (var response in responses)
            {
                response.Dispose();
            }
        });
        var wrong = outcomes
            .Where(o => !(o.One, o.Two).Equals((HttpStatusCode.OK, HttpStatusCode.Conflict)) && !(o.One, o.Two).Equals((HttpStatusCode.Conflict, HttpStatusCode.OK)))
            .Select(o => $"{o.Handoff}: {(int)o.One}/{(int)o.Two}").ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} races without exactly one winner: {string.Join(", ", wrong.Take(10))}");
        Assert.Equal(offers.Count, outcomes.Count);
    }

    private static async Task AssertDecisionsConsistentAsync(TheModelApp app, IReadOnlyList<Offer> decided)
    {
        var ids = decided.Select(o => o.HandoffId).ToList();
        var assignees = decided.ToDictionary(o => o.HandoffId, o => o.AssigneeId);
        await app.WithDbAsync(async db =>
        {
            var handoffs = await db.Handoffs.AsNoTracking().Where(h => ids.Contains(h.Id)).ToListAsync();
            Assert.Equal(ids.Count, handoffs.Count);
            Assert.All(handoffs, h =>
            {
                Assert.Equal(HandoffState.Accepted, h.State);
                Assert.Equal(assignees[h.Id], h.DecidedById);
            });
            var leadIds = handoffs.Select(h => h.LeadId).ToList();
            var owners = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, l => l.OwnerId);
            Assert.All(handoffs, h => Assert.Equal(h.AssigneeId, owners[h.LeadId]));
            var accepted = await db.Events.AsNoTracking().Where(e => e.Type == LeadEventType.HandoffAccepted)
                .GroupBy(e => e.HandoffId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(ids.Count, accepted.Count);
            Assert.All(accepted, a => Assert.Equal(1, a.Count));
            var decidedRows = await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.HandoffDecided)
                .GroupBy(m => m.HandoffId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(ids.Count, decidedRows.Count);
            Assert.All(decidedRows, d => Assert.Equal(1, d.Count));
        });
    }

    private const string DigestChannel = "C_DIGEST";

    private static async Task RunDigestsAsync(TheModelApp one, TheModelApp two, HttpClient viaOne, HttpClient viaTwo)
    {
        await one.WithDbAsync(db =>
        {
            db.Settings.Add(new Setting
            {
                Key = DigestChannels.KeyPrefix + OutboxChannels.Slack, Json = $"{{\"conversationId\":\"{DigestChannel}\"}}", UpdatedAt = Start,
            });
            return db.SaveChangesAsync();
        });
        // Each instance's job fires three times (cron, catch-up at start, a retry) while the other's does the same.
        var scheduled = await Task.WhenAll(new[] { one, two }.SelectMany(app => Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
            ActivatorUtilities.CreateInstance<DigestJob>(app.Services).RunAsync(app.Clock.GetUtcNow().UtcDateTime)))));
        var posted = Assert.Single(scheduled, r => r is not null)!;
        Assert.Equal(("scheduled:2026-11-09", false), (posted.RunKey, posted.Late));
        Assert.Equal([OutboxChannels.Slack], posted.Channels);

        var manual = await Task.WhenAll(viaOne.PostAsync("/api/digests/weekly/run", null), viaTwo.PostAsync("/api/digests/weekly/run", null));
        Assert.All(manual, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));

        await one.WithDbAsync(async db =>
        {
            var runs = await db.DigestRuns.AsNoTracking().ToListAsync();
            Assert.Single(runs, r => r.Key == posted.RunKey && !r.Manual);
            Assert.Equal(2, runs.Count(r => r.Manual));
            Assert.Equal(3, runs.Count);
            var rows = await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.DigestWeekly).ToListAsync();
            Assert.Equal(3, rows.Count);
            Assert.All(rows, m => Assert.Equal((OutboxChannels.Slack, DigestChannel), (m.Channel, m.Target)));
        });
    }

    /// <summary>
    /// Moves both clocks to each next due time of the open handoffs and lets both sweepers run at once (twice each),
    /// then both dispatchers. Returns the steps each sweep reported as its own, summed.
    /// </summary>
    private async Task<int> ChaseThroughSlaAsync(TheModelApp one, TheModelApp two)
    {
        var sweepers = new[] { (App: one, Name: "one"), (App: two, Name: "two") }
            .Select(x => (x.Name, x.App, Sweeper: x.App.Services.GetRequiredService<SlaSweeper>())).ToList();
        var claimed = 0;
        for (var round = 0; round < 20; round++)
        {
            var now = one.Clock.GetUtcNow().UtcDateTime;
            for (var pass = 0; pass < 2; pass++)
            {
                var results = await Task.WhenAll(sweepers.Select(s => Task.Run(() => s.Sweeper.RunAsync(now, s.Name))));
                claimed += results.Sum(r => r.Steps);
            }
            await DispatchBothAsync(one, two);
            var next = await one.WithDbAsync(db => db.Handoffs.AsNoTracking()
                .Where(h => h.State == HandoffState.Offered && h.NextSlaCheckAt < SlaSchedule.Finished)
                .MinAsync(h => (DateTime?)h.NextSlaCheckAt));
            if (next is not { } due)
            {
                output.WriteLine($"SLA chase finished after {round + 1} rounds at {now:O}");
                return claimed;
            }
            if (due <= now)
            {
                // Re-offers made by this round's expiries are due at once: their first sweep lays out their schedule.
                continue;
            }
            foreach (var app in new[] { one, two })
            {
                app.Clock.SetUtcNow(new DateTimeOffset(due));
            }
        }
        Assert.Fail("the SLA chase did not finish within 20 rounds");
        return claimed;
    }

    private static async Task<string> AssertSlaStepsExactlyOnceAsync(TheModelApp app, IReadOnlySet<Guid> chased, Guid managerId, int claimed)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var calendar = scope.ServiceProvider.GetRequiredService<IBusinessCalendar>();
        var policy = await scope.ServiceProvider.GetRequiredService<ISlaPolicies>().ForAsync(HandoffKind.MqlToIs);
        Assert.Equal(1, policy.MaxReassignments);

        var firsts = await db.Handoffs.AsNoTracking().Where(h => chased.Contains(h.Id)).ToListAsync();
        var seconds = await db.Handoffs.AsNoTracking().Where(h => h.PreviousHandoffId != null).ToListAsync();
        // Every first offer expired once and was re-offered once, to someone else; the re-offer waits, fully chased.
        Assert.All(firsts, h => Assert.Equal(HandoffState.Expired, h.State));
        Assert.Equal(chased.Count, seconds.Count);
        Assert.True(seconds.Select(h => h.PreviousHandoffId!.Value).ToHashSet().SetEquals(chased), "each expired offer has exactly one successor");
        var firstAssignee = firsts.ToDictionary(h => h.Id, h => h.AssigneeId);
        Assert.All(seconds, h =>
        {
            Assert.Equal(HandoffState.Offered, h.State);
            Assert.Equal(1, h.Attempt);
            Assert.NotNull(h.AssigneeId);
            Assert.NotEqual(firstAssignee[h.PreviousHandoffId!.Value], h.AssigneeId);
            Assert.Equal(SlaSchedule.Finished, h.NextSlaCheckAt);
        });

        var all = firsts.Concat(seconds).ToList();
        var expected = all.SelectMany(h => SlaSchedule.For(h, policy, calendar).Select(s => (h.Id, s.Step))).ToHashSet();
        var steps = await db.SlaSteps.AsNoTracking().Select(s => new { s.HandoffId, s.Step, s.Late, s.ClaimedBy }).ToListAsync();
        Assert.Equal(expected.Count, steps.Count);
        Assert.True(expected.SetEquals(steps.Select(s => (s.HandoffId, s.Step))), "the SLA steps done are exactly the steps due");
        Assert.DoesNotContain(steps, s => s.Late);
        Assert.Equal(steps.Count, claimed);

        // Events: each reminder and escalation once per handoff and step, each expiry once, each re-offer once.
        var reminders = policy.Reminders.Count;
        var events = await db.Events.AsNoTracking()
            .Where(e => e.Type == LeadEventType.SlaReminder || e.Type == LeadEventType.SlaEscalated || e.Type == LeadEventType.HandoffExpired)
            .Select(e => new { e.HandoffId, e.Type, e.Reason }).ToListAsync();
        Assert.Equal(all.Count * reminders, events.Count(e => e.Type == LeadEventType.SlaReminder));
        Assert.Equal(all.Count, events.Count(e => e.Type == LeadEventType.SlaEscalated));
        Assert.Equal(chased.Count, events.Count(e => e.Type == LeadEventType.HandoffExpired));
        Assert.All(events.GroupBy(e => (e.HandoffId, e.Type, e.Reason)), g => Assert.Single(g));
        var secondIds = seconds.Select(h => h.Id).ToList();
        var reoffered = await db.Events.AsNoTracking()
            .Where(e => e.Type == LeadEventType.HandoffOffered && secondIds.Contains(e.HandoffId!.Value)).CountAsync();
        Assert.Equal(chased.Count, reoffered);

        // Outbox: a reminder to the assignee's DM; an escalation to the manager's DM and the channel.
        var slaRows = await db.Outbox.AsNoTracking()
            .Where(m => m.Kind == OutboxKinds.SlaReminder || m.Kind == OutboxKinds.SlaEscalation)
            .Select(m => new { m.Kind, m.HandoffId, m.Target }).ToListAsync();
        Assert.Equal(all.Count * reminders, slaRows.Count(m => m.Kind == OutboxKinds.SlaReminder));
        Assert.Equal(all.Count * 2, slaRows.Count(m => m.Kind == OutboxKinds.SlaEscalation));
        Assert.Equal(all.Count, slaRows.Count(m => m.Kind == OutboxKinds.SlaEscalation && m.Target == OutboxMessage.PersonTarget(managerId)));
        Assert.Equal(all.Count, slaRows.Count(m => m.Kind == OutboxKinds.SlaEscalation && m.Target == Channel));
        return string.Join(", ", steps.GroupBy(s => s.ClaimedBy).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
    }

    private static async Task AssertSlackDeliveredOnceAsync(TheModelApp app, RecordingServer slack)
    {
        var (rows, cards, decidedHandoffs) = await app.WithDbAsync(async db =>
        {
            var rows = await db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannels.Slack)
                .Select(m => new { m.Id, m.Kind, m.Status, m.Attempts, m.LastError }).ToListAsync();
            var cards = await db.PostedCards.AsNoTracking().Select(p => new { p.HandoffId, p.ConversationId, p.MessageId }).ToListAsync();
            var decided = await db.Handoffs.AsNoTracking().Where(h => h.State != HandoffState.Offered).Select(h => h.Id).ToListAsync();
            return (rows, cards, decided.ToHashSet());
        });
        var unsent = rows.Where(r => r.Status != OutboxStatus.Sent).ToList();
        Assert.True(unsent.Count == 0, $"{unsent.Count} Slack rows not sent, e.g. {string.Join("; ", unsent.Take(3).Select(r => $"{r.Id} {r.Kind} {r.Status}: {r.LastError}"))}");
        Assert.All(rows, r => Assert.Equal(1, r.Attempts));

        var posts = slack.Requests.Where(r => r.Path == "/api/chat.postMessage")
            .Select(r => JsonNode.Parse(r.Body)!["metadata"]?["event_payload"]?["outbox_id"]?.GetValue<string>())
            .ToList();
        Assert.DoesNotContain(null, posts);
        var twice = posts.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}").ToList();
        Assert.True(twice.Count == 0, $"posted more than once: {string.Join(", ", twice.Take(10))}");
        // Card updates are chat.update and the digest's chart images are uploads: every other row is one post.
        var posting = rows.Where(r => r.Kind != OutboxKinds.HandoffDecided && r.Kind != SlackOutboxSender.DigestChartsKind).Select(r => r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.True(posting.SetEquals(posts!), $"{posting.Count} posting rows, {posts.Count} posts");
        // Cards (offers, reminders, escalations) are recorded as posted copies; the three digests and their thread
        // replies (the details) are not.
        Assert.Equal(3, rows.Count(r => r.Kind == OutboxKinds.DigestWeekly));
        Assert.Equal(3, rows.Count(r => r.Kind == SlackOutboxSender.DigestThreadKind));
        Assert.Equal(posts.Count - 6, cards.Count);
        Assert.Equal(3, slack.Requests.Count(r => r.Path == "/api/chat.postMessage" && JsonNode.Parse(r.Body)!["channel"]!.GetValue<string>() == DigestChannel
            && JsonNode.Parse(r.Body)!["thread_ts"] is null));

        // Each copy of a decided handoff's card was updated once (one decision, one update); open ones not at all.
        var updates = slack.Requests.Where(r => r.Path == "/api/chat.update")
            .Select(r => JsonNode.Parse(r.Body)!)
            .Select(b => (Channel: b["channel"]!.GetValue<string>(), Ts: b["ts"]!.GetValue<string>()))
            .ToList();
        var expectedUpdates = cards.Where(c => decidedHandoffs.Contains(c.HandoffId)).Select(c => (Channel: c.ConversationId, Ts: c.MessageId)).ToList();
        Assert.Equal(expectedUpdates.Count, updates.Count);
        Assert.True(expectedUpdates.ToHashSet().SetEquals(updates), "chat.update went to exactly the decided handoffs' copies");
    }

    /// <summary>Both instances' dispatchers at once, each looping like its background loop, until nothing is pending.</summary>
    private async Task DispatchBothAsync(TheModelApp one, TheModelApp two)
    {
        var sent = await Task.WhenAll(Task.Run(() => DrainAsync(one)), Task.Run(() => DrainAsync(two)));
        output.WriteLine($"  dispatched {sent[0]} + {sent[1]}");
    }

    /// <summary>
    /// Claims and sends until no row is pending and due. Rows the other instance holds count as pending, so both keep
    /// claiming side by side (the due query skips held rows) instead of one stopping at the first lost claim.
    /// </summary>
    private static async Task<int> DrainAsync(TheModelApp app)
    {
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        var total = 0;
        for (var round = 0; round < 100_000; round++)
        {
            var sent = await dispatcher.RunOnceAsync();
            total += sent;
            if (sent > 0)
            {
                continue;
            }
            var now = app.Clock.GetUtcNow().UtcDateTime;
            if (!await app.WithDbAsync(db => db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)))
            {
                return total;
            }
            await Task.Yield();
        }
        Assert.Fail("the outbox never ran dry");
        return total;
    }

    /// <summary>Slack's Web API as far as the senders use it: DMs open, posts get a unique ts, updates succeed.</summary>
    private sealed class SlackStandIn(string baseUrl)
    {
        private long ts;
        private long files;

        public async Task RespondAsync(RecordedRequest request, HttpResponse response)
        {
            response.ContentType = "application/json";
            string answer;
            switch (request.Path)
            {
                case "/api/chat.postMessage":
                    var channel = JsonNode.Parse(request.Body)!["channel"]!.GetValue<string>();
                    answer = JsonSerializer.Serialize(new { ok = true, channel, ts = $"1763251200.{Interlocked.Increment(ref ts):D6}" });
                    break;
                case "/api/conversations.open":
                    var users = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body)["users"].ToString();
                    answer = JsonSerializer.Serialize(new { ok = true, channel = new { id = "D" + users } });
                    break;
                case "/api/files.getUploadURLExternal":
                    // The digest's chart images: an upload URL on this server, then the bytes, then completeUploadExternal.
                    var file = $"F{Interlocked.Increment(ref files)}";
                    answer = JsonSerializer.Serialize(new { ok = true, upload_url = $"{baseUrl}upload/{file}", file_id = file });
                    break;
                case var path when path.StartsWith("/upload/", StringComparison.Ordinal):
                    response.ContentType = "text/plain";
                    answer = $"OK - {request.Body.Length}";
                    break;
                default:
                    answer = "{\"ok\":true}";
                    break;
            }
            await response.WriteAsync(answer);
        }
    }
}
