using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

/// <summary>
/// An attempt is recorded when the row is claimed, before its request leaves. A row keeps being tried — after
/// transient failures and after the process died while sending it — until <c>Outbox:GiveUpAfter</c> has passed since its
/// first attempt; only then does it fail.
/// </summary>
public class OutboxAttemptsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    private static TheModelApp App(TimeSpan? giveUpAfter = null)
    {
        var app = new TheModelApp();
        app.Settings["Webhooks:Won:Secret"] = "whsec-test-1234";
        app.Settings["Outbox:Lease"] = "00:02:00";
        if (giveUpAfter is { } after)
        {
            app.Settings["Outbox:GiveUpAfter"] = after.ToString();
        }
        return app;
    }

    private static Task<long> QueueAsync(TheModelApp app, RecordingServer server, string path) => app.WithDbAsync(async db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var row = new OutboxMessage
        {
            Channel = OutboxChannels.Webhook, Target = server.BaseUrl + path, Kind = OutboxKinds.WebhookWon, DedupeKey = path,
            Payload = "{}", CreatedAt = now, NextAttemptAt = now,
        };
        db.Outbox.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    });

    private static Task<OutboxMessage> RowAsync(TheModelApp app, long id) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id));

    /// <summary>
    /// A send the process never comes back from: the row is claimed and its request reaches the receiver, then the round
    /// is abandoned (as a dying process abandons it) before any outcome is recorded.
    /// </summary>
    private static async Task CrashWhileSendingAsync(TheModelApp app, SemaphoreSlim arrived)
    {
        using var dying = new CancellationTokenSource();
        var round = app.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(dying.Token);
        Assert.True(await arrived.WaitAsync(TimeSpan.FromSeconds(30)), "the send never reached the receiver");
        await dying.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round);
    }

    /// <summary>The receiver hangs on the first <paramref name="hanging"/> requests (their sender "dies"), then answers 204.</summary>
    private static TaskCompletionSource HangFirst(RecordingServer server, int hanging, SemaphoreSlim arrived)
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var n = 0;
        server.Responder = async (_, response) =>
        {
            if (Interlocked.Increment(ref n) <= hanging)
            {
                arrived.Release();
                await released.Task;
            }
            response.StatusCode = 204;
        };
        return released;
    }

    [Fact]
    public async Task RunOnce_ClaimedRow_RecordsTheAttemptBeforeTheRequestLeaves()
    {
        await using var server = await RecordingServer.StartAsync();
        using var arrived = new SemaphoreSlim(0);
        var released = HangFirst(server, 1, arrived);
        await using var app = App();
        var id = await QueueAsync(app, server, "hook");
        var started = app.Clock.GetUtcNow().UtcDateTime;
        try
        {
            await CrashWhileSendingAsync(app, arrived);
        }
        finally
        {
            released.TrySetResult();
        }

        var row = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Pending, 1, started, started), (row.Status, row.Attempts, row.FirstAttemptAt, row.LastAttemptAt));
        Assert.NotNull(row.LockedBy);
    }

    [Fact]
    public async Task RunOnce_ProcessDiedWhileSendingTwice_IsClaimedAgainAfterTheLease_AndSentWithTheSameIdempotencyKey()
    {
        await using var server = await RecordingServer.StartAsync();
        using var arrived = new SemaphoreSlim(0);
        var released = HangFirst(server, 2, arrived);
        await using var app = App();
        var id = await QueueAsync(app, server, "hook");
        var first = app.Clock.GetUtcNow().UtcDateTime;
        try
        {
            await CrashWhileSendingAsync(app, arrived);
            // Within the lease nobody takes it; once the lease has run out it is tried again, and counted again.
            Assert.Equal(0, await app.DispatchAsync());
            app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
            await CrashWhileSendingAsync(app, arrived);
            app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
            var last = app.Clock.GetUtcNow().UtcDateTime;
            Assert.Equal(1, await app.DispatchAsync());

            var row = await RowAsync(app, id);
            Assert.Equal((OutboxStatus.Sent, 3, first, last), (row.Status, row.Attempts, row.FirstAttemptAt, row.LastAttemptAt));
            Assert.Equal(3, server.Requests.Count);
            Assert.Single(server.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
            Assert.Equal($"themodel-outbox-{id}", server.Requests[0].Headers["Idempotency-Key"]);
        }
        finally
        {
            released.TrySetResult();
        }
    }

    [Fact]
    public async Task RunOnce_ProcessDiedWhileSendingAndGiveUpAfterPassed_EndsFailed_AndIsNotSentAgain()
    {
        await using var server = await RecordingServer.StartAsync();
        using var arrived = new SemaphoreSlim(0);
        var released = HangFirst(server, int.MaxValue, arrived);
        await using var app = App(GiveUpAfter);
        var id = await QueueAsync(app, server, "poison");
        try
        {
            await CrashWhileSendingAsync(app, arrived);
            app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
            await CrashWhileSendingAsync(app, arrived);
            // Past the give-up time (counted from the first attempt) with the lease run out: given up on, not sent a third time.
            app.Clock.Advance(GiveUpAfter);
            await app.DispatchAsync();

            var row = await RowAsync(app, id);
            Assert.Equal((OutboxStatus.Failed, 2, "process died while sending, 2 times in 12 min"), (row.Status, row.Attempts, row.LastError));
            Assert.Null(row.LockedBy);
            Assert.Null(row.LockedUntil);
            app.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, await app.DispatchAsync());
            Assert.Equal(2, server.Requests.Count);
        }
        finally
        {
            released.TrySetResult();
        }
    }

    [Fact]
    public async Task RunOnce_RowThatFailedOnceThenSends_CountsEachAttemptOnce()
    {
        await using var server = await RecordingServer.StartAsync();
        var calls = 0;
        server.Responder = (_, response) =>
        {
            response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 503 : 204;
            return Task.CompletedTask;
        };
        await using var app = App();
        var id = await QueueAsync(app, server, "flaky");

        Assert.Equal(1, await app.DispatchAsync());
        var retried = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Pending, 1), (retried.Status, retried.Attempts));
        app.Clock.Advance(OutboxQueue.Backoff(1));
        Assert.Equal(1, await app.DispatchAsync());

        var sent = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task RunOnce_FailingForNowUntilGiveUpAfter_KeepsRetrying_ThenEndsFailed()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) =>
        {
            response.StatusCode = 503;
            return Task.CompletedTask;
        };
        await using var app = App(GiveUpAfter);
        var id = await QueueAsync(app, server, "down");
        var first = app.Clock.GetUtcNow().UtcDateTime;

        await app.DispatchAsync();
        var row = await RowAsync(app, id);
        while (row.Status == OutboxStatus.Pending)
        {
            // Never more than the backoff cap between two attempts.
            Assert.True(row.NextAttemptAt - row.LastAttemptAt <= OutboxQueue.MaxBackoff, $"next attempt at {row.NextAttemptAt:O}");
            app.Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(row.NextAttemptAt, DateTimeKind.Utc)));
            await app.DispatchAsync();
            row = await RowAsync(app, id);
        }

        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.True(row.LastAttemptAt >= first + GiveUpAfter, $"failed at {row.LastAttemptAt:O}");
        Assert.True(row.LastAttemptAt < first + GiveUpAfter + OutboxQueue.MaxBackoff, $"failed at {row.LastAttemptAt:O}");
        Assert.StartsWith($"gave up after {row.Attempts} attempts in 1", row.LastError);
        Assert.Contains("HTTP 503", row.LastError);
    }

    [Fact]
    public void Backoff_GrowsThenStaysAtTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), OutboxQueue.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(64), OutboxQueue.Backoff(6));
        Assert.Equal(TimeSpan.FromMinutes(5), OutboxQueue.Backoff(9));
        Assert.Equal(TimeSpan.FromMinutes(5), OutboxQueue.Backoff(500));
    }
}
