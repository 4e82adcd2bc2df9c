using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.Queue;
using TheModel.Bot.Slack;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Queue;

/// <summary>
/// Claiming, leases and giving up, on the real store (SQLite, or PostgreSQL with <c>THEMODEL_TEST_POSTGRES</c>), through
/// both queues built on <see cref="DurableQueue{TRow}"/>: the outbox (gives up by time) and the Slack inbound work (by count).
/// </summary>
public class DurableQueueTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);

    private static TheModelApp App()
    {
        var app = new TheModelApp();
        app.Settings["Outbox:Lease"] = Lease.ToString();
        app.Settings["Outbox:GiveUpAfter"] = GiveUpAfter.ToString();
        app.Settings["Slack:Lease"] = Lease.ToString();
        app.Settings["Slack:MaxAttempts"] = "2";
        return app;
    }

    private static Task<List<long>> QueueOutboxAsync(TheModelApp app, int count) => app.WithDbAsync(async db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rows = Enumerable.Range(0, count).Select(i => new OutboxMessage
        {
            Channel = OutboxChannels.Webhook, Target = $"http://127.0.0.1:9/{i}", Kind = OutboxKinds.WebhookWon, DedupeKey = $"queue-test:{i}",
            Payload = "{}", CreatedAt = now, NextAttemptAt = now,
        }).ToList();
        db.Outbox.AddRange(rows);
        await db.SaveChangesAsync();
        return rows.Select(r => r.Id).ToList();
    });

    private static Task<long> QueueSlackWorkAsync(TheModelApp app) => app.WithDbAsync(async db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var work = new InboundWork { Channel = SlackInbox.Channel, Kind = SlackWorkKinds.Command, Payload = "{}", CreatedAt = now, NextAttemptAt = now };
        db.InboundWork.Add(work);
        await db.SaveChangesAsync();
        return work.Id;
    });

    [Fact]
    public async Task ClaimAsync_FourClaimersAtOnce_NeverGetTheSameRow()
    {
        await using var app = App();
        var ids = await QueueOutboxAsync(app, 60);
        // Four instances' queues (each its own claims) over one store.
        var queues = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<OutboxQueue>(app.Services)).ToList();

        var claims = await Task.WhenAll(queues.Select(q => Task.Run(() => q.ClaimAsync(null, CancellationToken.None))));

        var claimed = claims.SelectMany(c => c.Rows.Select(r => r.Id)).ToList();
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.Equal(4, claims.Select(c => c.Token).Distinct().Count());
        var attempts = await app.WithDbAsync(db => db.Outbox.Select(m => m.Attempts).ToListAsync());
        Assert.All(attempts, a => Assert.Equal(1, a));
    }

    [Fact]
    public async Task ClaimAsync_WhileTheLeaseHolds_LeavesTheRow_AndOnceItRanOut_TakesItAgainCountingTheAttempt()
    {
        await using var app = App();
        var id = await QueueSlackWorkAsync(app);
        var queue = app.Services.GetRequiredService<SlackWorkQueue>();

        var first = await queue.ClaimAsync(null, CancellationToken.None);
        app.Clock.Advance(Lease - TimeSpan.FromSeconds(1));
        var whileHeld = await queue.ClaimAsync(null, CancellationToken.None);
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var afterLease = await queue.ClaimAsync(null, CancellationToken.None);

        Assert.Equal([id], first.Rows.Select(w => w.Id));
        Assert.Empty(whileHeld.Rows);
        var row = Assert.Single(afterLease.Rows);
        Assert.Equal((id, 2, afterLease.Token), (row.Id, row.Attempts, row.LockedBy));
        Assert.NotEqual(first.Token, afterLease.Token);
    }

    [Fact]
    public async Task ClaimAsync_LeaseRanOutOnTheLastAttempt_GivesUpInsteadOfClaiming()
    {
        await using var app = App();
        var id = await QueueSlackWorkAsync(app);
        var queue = app.Services.GetRequiredService<SlackWorkQueue>();
        await queue.ClaimAsync(null, CancellationToken.None);
        app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Single((await queue.ClaimAsync(null, CancellationToken.None)).Rows);
        app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var third = await queue.ClaimAsync(null, CancellationToken.None);

        Assert.Empty(third.Rows);
        var row = await app.WithDbAsync(db => db.InboundWork.AsNoTracking().SingleAsync(w => w.Id == id));
        Assert.Equal((InboundWorkStatus.Failed, 2, "process died while handling it, 2 times", null, null),
            (row.Status, row.Attempts, row.LastError, row.LockedBy, row.LockedUntil));
    }

    [Fact]
    public async Task ClaimAsync_LeaseRanOut_IsClaimedAgainBeforeGiveUpAfter_AndGivenUpOnAfterIt()
    {
        await using var app = App();
        var id = (await QueueOutboxAsync(app, 1))[0];
        var queue = app.Services.GetRequiredService<OutboxQueue>();
        var start = app.Clock.GetUtcNow().UtcDateTime;
        await queue.ClaimAsync(null, CancellationToken.None);

        // 9 min after the first attempt: still inside the 10 min, so the crashed claim is taken again.
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        var again = Assert.Single((await queue.ClaimAsync(null, CancellationToken.None)).Rows);
        // Its lease runs out 11 min after the first attempt: out of time.
        app.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var late = await queue.ClaimAsync(null, CancellationToken.None);

        Assert.Equal((2, start, start + TimeSpan.FromMinutes(9)), (again.Attempts, again.FirstAttemptAt, again.LastAttemptAt));
        Assert.Empty(late.Rows);
        var row = await app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Equal((OutboxStatus.Failed, "process died while sending, 2 times in 11 min", null),
            (row.Status, row.LastError, row.LockedBy));
    }

    [Fact]
    public async Task ClaimAsync_GivenIdsOfRowsHeldElsewhereOrNotDue_TakesOnlyTheFreeDueOnes()
    {
        await using var app = App();
        var ids = await QueueOutboxAsync(app, 3);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            await db.Outbox.Where(m => m.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(m => m.LockedBy, "other:1").SetProperty(m => m.LockedUntil, now.AddMinutes(1)));
            await db.Outbox.Where(m => m.Id == ids[2]).ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now.AddSeconds(30)));
        });
        var queue = app.Services.GetRequiredService<OutboxQueue>();

        var claim = await queue.ClaimAsync(ids, CancellationToken.None);

        Assert.Equal([ids[0]], claim.Rows.Select(m => m.Id));
    }

    [Fact]
    public async Task NextAttemptAt_FailedWithTriesLeft_IsTheJitteredBackoffOrRetryAfter_AndOutOfTriesIsNull()
    {
        await using var app = App();
        await QueueOutboxAsync(app, 20);
        var queue = ActivatorUtilities.CreateInstance<OutboxQueue>(app.Services, new QueueJitter(new Random(42)));
        var rows = (await queue.ClaimAsync(null, CancellationToken.None)).Rows;
        var now = app.Clock.GetUtcNow().UtcDateTime;
        // Rows on their third attempt that failed together: 8–12 s each, spread.
        rows.ForEach(r => r.Attempts = 3);

        var next = rows.Select(r => queue.NextAttemptAt(r, null, now)!.Value).ToList();

        Assert.All(next, n => Assert.InRange(n, now.AddSeconds(8), now.AddSeconds(12)));
        Assert.True(next.Distinct().Count() > 10, "the rows come back at the same instants");
        Assert.Equal(now.AddMinutes(30), queue.NextAttemptAt(rows[0], TimeSpan.FromMinutes(30), now));
        Assert.Null(queue.NextAttemptAt(rows[0], null, now + GiveUpAfter));
    }
}
