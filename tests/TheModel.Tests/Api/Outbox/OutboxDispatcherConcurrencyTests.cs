using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

/// <summary>
/// The dispatcher sends unrelated rows of a batch side by side, and related rows (one handoff, one person's chat) one
/// after another in queue order.
/// </summary>
public class OutboxDispatcherConcurrencyTests
{
    private static OutboxMessage Row(long id, Guid? handoff, string target, string channel = OutboxChannels.Teams) => new()
    {
        Id = id, Channel = channel, Target = target, Kind = OutboxKinds.HandoffOffered, HandoffId = handoff, DedupeKey = $"k{id}",
    };

    /// <summary>An app that can send the won-deal webhook rows these tests queue (the sender signs them with this secret).</summary>
    private static TheModelApp WebhookApp()
    {
        var app = new TheModelApp();
        app.Settings["Webhooks:Won:Secret"] = "whsec-test-1234";
        return app;
    }

    /// <summary>Queues a signed-webhook row per path, due now: the sender posts each to the server's URL + path.</summary>
    private static Task QueueWebhooksAsync(TheModelApp app, RecordingServer server, IEnumerable<string> paths, Action<OutboxMessage>? shape = null) =>
        app.WithDbAsync(async db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            foreach (var path in paths)
            {
                var row = new OutboxMessage
                {
                    Channel = OutboxChannels.Webhook, Target = server.BaseUrl + path, Kind = OutboxKinds.WebhookWon, DedupeKey = path,
                    Payload = "{}", CreatedAt = now, NextAttemptAt = now,
                };
                shape?.Invoke(row);
                db.Outbox.Add(row);
            }
            await db.SaveChangesAsync();
        });

    [Fact]
    public void Related_GroupsByHandoffAndPerson_Transitively_InQueueOrder()
    {
        var (h1, h2, h3) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (alice, bob) = (OutboxMessage.PersonTarget(Guid.NewGuid()), OutboxMessage.PersonTarget(Guid.NewGuid()));
        var rows = new[]
        {
            Row(1, h1, alice),                 // h1's card to Alice …
            Row(2, h2, "19:channel-is"),       // h2's card in the IS channel
            Row(3, h1, "posted-cards"),        // … then the update of h1's copies: after it
            Row(4, h3, alice),                 // another card to Alice: after her first (her chat may be opened by it)
            Row(5, null, "https://hooks.example/won"),
            Row(6, null, "https://hooks.example/won"),
            Row(7, null, bob, OutboxChannels.Slack),
            Row(8, null, "https://hooks.example/other"),
            Row(9, null, alice, OutboxChannels.Slack),   // a reply to Alice in Slack: after her cards (her chats)
        };

        var groups = OutboxDispatcher.Related(rows).Select(g => g.Select(m => m.Id).ToArray()).ToList();

        Assert.Equal([[1, 3, 4, 9], [2], [5, 6], [7], [8]], groups);
    }

    [Fact]
    public async Task RunOnce_SendsUnrelatedRowsSideBySide_AndRelatedOnesInOrder()
    {
        await using var server = await RecordingServer.StartAsync();
        var bothUnrelatedArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var unrelated = 0;
        var waitedAlone = false;
        var inFlightOfHandoff = 0;
        var overlapped = false;
        var handoffOrder = new ConcurrentQueue<string>();
        server.Responder = async (request, response) =>
        {
            if (request.Path.StartsWith("/unrelated/", StringComparison.Ordinal))
            {
                // Each waits for the other: they only both finish if they were sent at the same time.
                if (Interlocked.Increment(ref unrelated) == 2)
                {
                    bothUnrelatedArrived.TrySetResult();
                }
                // A guard against a hung test, not a pace: it only runs out when the rows were sent one after another.
                waitedAlone |= await Task.WhenAny(bothUnrelatedArrived.Task, Task.Delay(TimeSpan.FromSeconds(10))) != bothUnrelatedArrived.Task;
            }
            else
            {
                overlapped |= Interlocked.Increment(ref inFlightOfHandoff) > 1;
                handoffOrder.Enqueue(request.Path);
                await Task.Yield();
                Interlocked.Decrement(ref inFlightOfHandoff);
            }
            response.StatusCode = 204;
        };
        await using var app = WebhookApp();
        var handoff = Guid.NewGuid();
        // Three rows of one handoff, two unrelated ones.
        await QueueWebhooksAsync(app, server, ["handoff/1", "unrelated/a", "handoff/2", "unrelated/b", "handoff/3"],
            row => row.HandoffId = row.DedupeKey.StartsWith("handoff/", StringComparison.Ordinal) ? handoff : null);

        Assert.Equal(5, await app.DispatchAsync());

        Assert.False(waitedAlone, "the two unrelated rows were not sent at the same time");
        Assert.False(overlapped, "rows of one handoff overlapped");
        Assert.Equal(["/handoff/1", "/handoff/2", "/handoff/3"], handoffOrder);
        var statuses = await app.WithDbAsync(db => db.Outbox.Select(m => m.Status).ToListAsync());
        Assert.All(statuses, s => Assert.Equal(OutboxStatus.Sent, s));
    }
    [Fact]
    public async Task RunOnce_RecordsEachOutcome_AndReleasesTheClaim_LeavingWhatWasQueuedAsItWas()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (request, response) =>
        {
            response.StatusCode = request.Path == "/busy" ? 503 : 204;
            return Task.CompletedTask;
        };
        await using var app = WebhookApp();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await QueueWebhooksAsync(app, server, ["ok", "busy"], row =>
        {
            row.Payload = $"{{\"path\":\"{row.DedupeKey}\"}}";
            (row.Attempts, row.LastError) = (1, "earlier: timed out");
        });

        Assert.Equal(2, await app.DispatchAsync());

        var rows = await app.WithDbAsync(db => db.Outbox.AsNoTracking().ToDictionaryAsync(m => m.DedupeKey));
        var sent = rows["ok"];
        Assert.Equal((OutboxStatus.Sent, 2, now, "HTTP 204", null), (sent.Status, sent.Attempts, sent.SentAt, sent.ExternalRef, sent.LastError));
        var retried = rows["busy"];
        Assert.Equal((OutboxStatus.Pending, 2, null), (retried.Status, retried.Attempts, retried.SentAt));
        Assert.True(retried.NextAttemptAt >= now + OutboxQueue.Backoff(2), $"next attempt at {retried.NextAttemptAt:O}");
        Assert.Contains("503", retried.LastError);
        Assert.All(rows.Values, m =>
        {
            Assert.Null(m.LockedBy);
            Assert.Null(m.LockedUntil);
            Assert.Equal($"{{\"path\":\"{m.DedupeKey}\"}}", m.Payload);
            Assert.Equal(server.BaseUrl + m.DedupeKey, m.Target);
        });
    }

    [Fact]
    public async Task RunOnce_WhilePeopleAreWaiting_SendsOnceTheyAreAnswered()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) => { response.StatusCode = 204; return Task.CompletedTask; };
        await using var app = WebhookApp();
        await QueueWebhooksAsync(app, server, ["a", "b"]);
        var traffic = app.Services.GetRequiredService<ForegroundWork>();

        // Someone is waiting: the dispatcher holds back until they are answered.
        var click = traffic.Enter();
        var dispatch = app.DispatchAsync();
        click.Dispose();
        Assert.Equal(2, await dispatch.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(["/a", "/b"], server.Requests.Select(r => r.Path).Order());
    }

    [Fact]
    public async Task RunOnce_WhilePeopleWereActiveInTheLastSecond_SendsOneRowAtATime_AndSideBySideOnceTheyAreQuiet()
    {
        await using var server = await RecordingServer.StartAsync();
        var inFlight = 0;
        var overlapped = false;
        var bothArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var quietArrivals = 0;
        var waitedAlone = false;
        server.Responder = async (request, response) =>
        {
            if (request.Path.StartsWith("/busy/", StringComparison.Ordinal))
            {
                overlapped |= Interlocked.Increment(ref inFlight) > 1;
                await Task.Yield();
                Interlocked.Decrement(ref inFlight);
            }
            else
            {
                // Each waits for the other, as in the side-by-side test above (the delay only guards against a hung test).
                if (Interlocked.Increment(ref quietArrivals) == 2)
                {
                    bothArrived.TrySetResult();
                }
                waitedAlone |= await Task.WhenAny(bothArrived.Task, Task.Delay(TimeSpan.FromSeconds(10))) != bothArrived.Task;
            }
            response.StatusCode = 204;
        };
        await using var app = WebhookApp();
        var traffic = app.Services.GetRequiredService<ForegroundWork>();

        // A click was answered a moment ago: unrelated rows still go one after another.
        traffic.Enter().Dispose();
        await QueueWebhooksAsync(app, server, ["busy/1", "busy/2", "busy/3", "busy/4"]);
        Assert.Equal(4, await app.DispatchAsync());
        Assert.False(overlapped, "rows were sent side by side right after a request");

        // A second without requests: side by side again.
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await QueueWebhooksAsync(app, server, ["quiet/a", "quiet/b"]);
        Assert.Equal(2, await app.DispatchAsync());
        Assert.False(waitedAlone, "the two rows were not sent at the same time once the bot was quiet");
    }

    [Fact]
    public async Task ARequest_CountsAsPeopleBeingActive_AHealthProbeDoesNot()
    {
        await using var app = new TheModelApp();
        var client = app.CreateClient();
        var traffic = app.Services.GetRequiredService<ForegroundWork>();

        (await client.GetAsync("/healthz")).EnsureSuccessStatusCode();
        Assert.False(traffic.SeenWithin(TimeSpan.FromMinutes(1)));

        await client.GetAsync("/api/leads");
        Assert.True(traffic.SeenWithin(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task SendNow_SendsTheGivenRowsAheadOfTheBacklog_WithoutWaitingForRequests_AndNeverTwice()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) => { response.StatusCode = 204; return Task.CompletedTask; };
        await using var app = WebhookApp();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var ids = await app.WithDbAsync(async db =>
        {
            var rows = new[] { ("backlog-1", -60), ("backlog-2", -30), ("clicked", 0), ("held-elsewhere", 0) }.Select(r => new OutboxMessage
            {
                Channel = OutboxChannels.Webhook, Target = server.BaseUrl + r.Item1, Kind = OutboxKinds.WebhookWon, DedupeKey = r.Item1,
                Payload = "{}", CreatedAt = now.AddSeconds(r.Item2), NextAttemptAt = now.AddSeconds(r.Item2),
                // Another instance is sending this one right now.
                LockedBy = r.Item1 == "held-elsewhere" ? "other-instance:1" : null,
                LockedUntil = r.Item1 == "held-elsewhere" ? now.AddMinutes(1) : null,
            }).ToList();
            db.Outbox.AddRange(rows);
            await db.SaveChangesAsync();
            return rows.ToDictionary(r => r.DedupeKey, r => r.Id);
        });
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        // A request is being answered all along: the regular rounds would wait (on the test's clock, for ever).
        using var busy = app.Services.GetRequiredService<ForegroundWork>().Enter();

        var sent = await dispatcher.SendNowAsync([ids["clicked"], ids["held-elsewhere"]]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, sent);
        Assert.Equal(["/clicked"], server.Requests.Select(r => r.Path));
        var status = await app.WithDbAsync(db => db.Outbox.ToDictionaryAsync(m => m.DedupeKey, m => m.Status));
        Assert.Equal(OutboxStatus.Sent, status["clicked"]);
        Assert.Equal(OutboxStatus.Pending, status["backlog-1"]);
        Assert.Equal(OutboxStatus.Pending, status["held-elsewhere"]);
        // Handed over twice (or also claimed by a round): sent once.
        Assert.Equal(0, await dispatcher.SendNowAsync([ids["clicked"]]));
        Assert.Single(server.Requests);
    }
}
