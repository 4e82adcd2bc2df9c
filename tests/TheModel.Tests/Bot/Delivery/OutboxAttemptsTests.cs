using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Outbox;
using TheModel.Bot.Delivery;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Delivery;

/// <summary>
/// An attempt is counted when the row is claimed, so a row whose send takes the process down ends as failed after
/// <c>Outbox:MaxAttempts</c> instead of being sent (and taking the process down) for ever.
/// </summary>
public class OutboxAttemptsTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static TheModelApp App()
    {
        var app = new TheModelApp();
        app.Settings["Webhooks:Won:Secret"] = "whsec-test-1234";
        app.Settings["Outbox:MaxAttempts"] = "2";
        app.Settings["Outbox:Lease"] = "00:02:00";
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

    [Fact]
    public async Task RunOnce_RowClaimedMaxAttemptsTimesWithoutAnOutcome_EndsFailed_AndIsNotSentAgain()
    {
        await using var server = await RecordingServer.StartAsync();
        using var arrived = new SemaphoreSlim(0);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Responder = async (_, response) =>
        {
            arrived.Release();
            // The receiver never answers while the test runs: the sender's process "dies" first.
            await released.Task;
            response.StatusCode = 204;
        };
        await using var app = App();
        var id = await QueueAsync(app, server, "poison");
        try
        {
            await CrashedTwiceThenGivenUpAsync(app, server, id, arrived);
        }
        finally
        {
            released.TrySetResult();
        }
    }

    private static async Task CrashedTwiceThenGivenUpAsync(TheModelApp app, RecordingServer server, long id, SemaphoreSlim arrived)
    {
        await CrashWhileSendingAsync(app, arrived);
        var afterFirst = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Pending, 1), (afterFirst.Status, afterFirst.Attempts));
        Assert.NotNull(afterFirst.LockedBy);

        // Within the lease nobody takes it; once the lease has run out it is tried again, and counted again.
        Assert.Equal(0, await app.DispatchAsync());
        app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await CrashWhileSendingAsync(app, arrived);
        Assert.Equal(2, (await RowAsync(app, id)).Attempts);

        // Every attempt used, the lease runs out again: given up on, not sent a third time.
        app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        await app.DispatchAsync();

        var row = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Failed, 2, "process died while sending, 2 times"), (row.Status, row.Attempts, row.LastError));
        Assert.Null(row.LockedBy);
        Assert.Null(row.LockedUntil);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await app.DispatchAsync());
        Assert.Equal(2, server.Requests.Count);
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
        app.Clock.Advance(OutboxDispatcher.Backoff(1));
        Assert.Equal(1, await app.DispatchAsync());

        var sent = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Sent, 2), (sent.Status, sent.Attempts));
    }

    [Fact]
    public async Task RunOnce_LastAllowedAttemptAnswersRetry_EndsFailed_WithTheAttemptsCounted()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) =>
        {
            response.StatusCode = 503;
            return Task.CompletedTask;
        };
        await using var app = App();
        var id = await QueueAsync(app, server, "down");

        await app.DispatchAsync();
        app.Clock.Advance(OutboxDispatcher.Backoff(1));
        await app.DispatchAsync();

        var row = await RowAsync(app, id);
        Assert.Equal((OutboxStatus.Failed, 2), (row.Status, row.Attempts));
        Assert.StartsWith("gave up after 2 attempts", row.LastError);
    }
}
