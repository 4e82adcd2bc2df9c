using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;

namespace TheModel.Tests.Bot.Slack;

public class SlackInboundWorkerTests
{
    [Fact]
    public async Task RunOnce_ForgetsReceiptsOlderThanADay_ButKeepsRecentOnes()
    {
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        await kit.App.WithDbAsync(async db =>
        {
            var now = kit.App.Clock.GetUtcNow().UtcDateTime;
            db.InboundReceipts.Add(new InboundReceipt { Channel = ChatPlatform.Slack, EventId = "EvOLD", ReceivedAt = now.AddDays(-2) });
            db.InboundReceipts.Add(new InboundReceipt { Channel = ChatPlatform.Slack, EventId = "EvNEW", ReceivedAt = now.AddMinutes(-10) });
            await db.SaveChangesAsync();
        });
        await kit.DrainAsync();
        Assert.Equal(["EvNEW"], await kit.Db(db => db.InboundReceipts.Select(r => r.EventId).ToListAsync()));
    }

    [Fact]
    public async Task RunOnce_WhenSlackRateLimitsUsersInfo_RetriesTheWorkLaterInsteadOfDroppingIt()
    {
        await using var kit = await SlackTestKit.StartAsync();
        kit.Slack.Responder = async (request, response) =>
        {
            if (request.Path == "/api/users.info")
            {
                response.StatusCode = 429;
                response.Headers.RetryAfter = "30";
                await response.WriteAsync("{\"ok\":false,\"error\":\"ratelimited\"}");
                return;
            }
            await kit.RespondAsync(request, response);
        };
        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("funnel")).StatusCode);
        await kit.DrainAsync();
        var work = await kit.Db(db => db.InboundWork.SingleAsync());
        Assert.Equal(InboundWorkStatus.Pending, work.Status);
        Assert.True(work.NextAttemptAt >= kit.App.Clock.GetUtcNow().UtcDateTime.AddSeconds(30));
        Assert.DoesNotContain(kit.Slack.Requests, r => r.Path.StartsWith("/commands/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnce_CommandThatRuns_IsDoneWithOneAttemptCounted()
    {
        await using var kit = await SlackTestKit.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("help")).StatusCode);

        await kit.DrainAsync();

        var work = await kit.Db(db => db.InboundWork.SingleAsync());
        Assert.Equal((InboundWorkStatus.Done, 1, null), (work.Status, work.Attempts, work.LockedBy));
        Assert.Contains(kit.Slack.Requests, r => r.Path.StartsWith("/commands/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunOnce_RowWhoseLeaseRanOutAfterItsLastAttempt_EndsFailed_AndIsNotRunAgain()
    {
        await using var kit = await SlackTestKit.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("help")).StatusCode);
        var now = kit.App.Clock.GetUtcNow().UtcDateTime;
        // What five claims leave when the process died every time while running the row (the claim counts the attempt).
        await kit.App.WithDbAsync(db => db.InboundWork.ExecuteUpdateAsync(s => s
            .SetProperty(w => w.Attempts, 5)
            .SetProperty(w => w.LockedBy, "dead-instance:1")
            .SetProperty(w => w.LockedUntil, now.AddMinutes(2))));
        kit.App.Clock.Advance(TimeSpan.FromMinutes(3));

        await kit.DrainAsync();

        var work = await kit.Db(db => db.InboundWork.SingleAsync());
        Assert.Equal((InboundWorkStatus.Failed, 5, "process died while handling it, 5 times", null),
            (work.Status, work.Attempts, work.LastError, work.LockedBy));
        Assert.DoesNotContain(kit.Slack.Requests, r => r.Path.StartsWith("/commands/", StringComparison.Ordinal));
    }
}
