using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Outbox;
using TheModel.Bot.Slack;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// After a post whose outcome was lost, the next attempt looks through the channel's history (every page, back to
/// shortly before the row was created) and posts only if the card is not there; against a stand-in Slack that keeps
/// history and pages it like Slack.
/// </summary>
public class SlackLookUpTests
{
    private static async Task<(SlackTestKit Kit, SlackStandIn Slack)> StartAsync()
    {
        var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        var standIn = new SlackStandIn(kit.App.Clock) { PageSize = 15 };
        kit.Slack.Responder = standIn.Over(kit.RespondAsync);
        return (kit, standIn);
    }

    /// <summary>The first post to <c>CIS</c> reaches Slack, its answer is lost with <paramref name="lost"/>.</summary>
    private static void LoseFirstChannelPost(SlackStandIn slack, SlackFault lost)
    {
        var first = true;
        slack.LoseOutcome = request =>
        {
            if (!first || SlackTestKit.Body(request)["channel"]!.GetValue<string>() != "CIS")
            {
                return null;
            }
            first = false;
            return lost;
        };
    }

    private static Task<OutboxMessage> ChannelOffer(SlackTestKit kit) =>
        kit.Db(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.HandoffOffered && m.Target == "CIS"));

    private static int Ours(SlackStandIn slack, long outboxId) =>
        slack.History("CIS").Count(m => (m.Metadata?["event_payload"]?["outbox_id"]?.GetValue<string>()) == outboxId.ToString());

    [Fact]
    public async Task LookUp_CardStoredThen120NewerMessages_FindsItOnALaterPageAndDoesNotPostAgain()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        LoseFirstChannelPost(slack, new SlackFault(0, Reset: true));
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        var row = await ChannelOffer(kit);
        Assert.StartsWith(SlackOutboxSender.UncertainPost, row.LastError);

        kit.App.Clock.Advance(TimeSpan.FromSeconds(30));
        slack.Chatter("CIS", 120);
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        Assert.Equal(1, Ours(slack, row.Id));
        Assert.Equal(OutboxStatus.Sent, (await ChannelOffer(kit)).Status);
        var lookUps = kit.Calls("conversations.history");
        // 120 newer messages at 15 a page: the card is on page 9.
        Assert.Equal(9, lookUps.Count);
        var oldest = SlackApiClient.Ts(new DateTimeOffset(DateTime.SpecifyKind(row.CreatedAt, DateTimeKind.Utc)) - TimeSpan.FromMinutes(5));
        Assert.All(lookUps, r => Assert.Contains($"oldest={oldest}", r.Query));
        Assert.All(lookUps, r => Assert.Contains("include_all_metadata=true", r.Query));
        Assert.Equal(lookUps.Count - 1, lookUps.Count(r => r.Query.Contains("cursor=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task LookUp_NotInHistoryAcrossPages_PostsOnce()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        // Refused before it was stored: the look-up reads every page, finds nothing, and posts.
        var first = true;
        slack.Fault = request =>
        {
            if (!first || request.Path != "/api/chat.postMessage" || SlackTestKit.Body(request)["channel"]!.GetValue<string>() != "CIS")
            {
                return null;
            }
            first = false;
            return SlackFault.Unavailable;
        };
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        slack.Chatter("CIS", 40);
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(1, Ours(slack, row.Id));
        Assert.Equal(3, kit.Calls("conversations.history").Count);
    }

    [Fact]
    public async Task LookUp_Fails503ThreeTimesThenWorks_PostedOnceNeverFailed()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        LoseFirstChannelPost(slack, SlackFault.Unavailable);
        var failures = 3;
        slack.Fault = request => request.Path == "/api/conversations.history" && failures-- > 0 ? SlackFault.Unavailable : null;
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();

        for (var round = 0; round < 4; round++)
        {
            var before = await ChannelOffer(kit);
            Assert.Equal(OutboxStatus.Pending, before.Status);
            Assert.StartsWith(SlackOutboxSender.UncertainPost, before.LastError);
            kit.App.Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(before.NextAttemptAt, DateTimeKind.Utc)));
            await kit.App.DispatchAsync();
        }

        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(1, Ours(slack, row.Id));
        Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
        Assert.Equal(4, kit.Calls("conversations.history").Count);
    }

    [Fact]
    public async Task LookUp_ResetThenRateLimited_RetriesNoSoonerThanRetryAfter()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        LoseFirstChannelPost(slack, SlackFault.Unavailable);
        var n = 0;
        slack.Fault = request => request.Path != "/api/conversations.history" ? null : ++n switch
        {
            1 => new SlackFault(0, Reset: true),
            2 => new SlackFault(429, "{\"ok\":false,\"error\":\"ratelimited\"}", RetryAfter: "300"),
            _ => null,
        };
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        var limited = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Pending, limited.Status);
        Assert.True(limited.NextAttemptAt >= kit.App.Clock.GetUtcNow().UtcDateTime.AddSeconds(300));
        Assert.StartsWith(SlackOutboxSender.UncertainPost, limited.LastError);

        kit.App.Clock.Advance(TimeSpan.FromSeconds(301));
        await kit.App.DispatchAsync();
        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(1, Ours(slack, row.Id));
    }

    [Fact]
    public async Task LookUp_Fails503Then429ThenResetThenWorks_PostedOnceNeverFailed()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        LoseFirstChannelPost(slack, new SlackFault(0, Reset: true));
        var n = 0;
        slack.Fault = request => request.Path != "/api/conversations.history" ? null : ++n switch
        {
            1 => SlackFault.Unavailable,
            2 => new SlackFault(429, "{\"ok\":false,\"error\":\"ratelimited\"}", RetryAfter: "30"),
            3 => new SlackFault(0, Reset: true),
            _ => null,
        };
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        slack.Chatter("CIS", 20);

        for (var round = 0; round < 4; round++)
        {
            var before = await ChannelOffer(kit);
            Assert.Equal(OutboxStatus.Pending, before.Status);
            kit.App.Clock.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(before.NextAttemptAt, DateTimeKind.Utc)));
            await kit.App.DispatchAsync();
        }

        var row = await ChannelOffer(kit);
        Assert.Equal((OutboxStatus.Sent, 5), (row.Status, row.Attempts));
        Assert.Equal(1, Ours(slack, row.Id));
        Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
    }

    [Fact]
    public async Task LookUp_ProcessDiedBetweenPostAndCommit_NextDispatcherAfterTheLeaseFindsItAndDoesNotPostAgain()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        // The post reaches Slack and is stored; its answer never comes back before the process dies.
        var reached = new SemaphoreSlim(0);
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = true;
        slack.LoseOutcome = request =>
        {
            if (!first || SlackTestKit.Body(request)["channel"]!.GetValue<string>() != "CIS")
            {
                return null;
            }
            first = false;
            reached.Release();
            return new SlackFault(0, Reset: true, Hang: never.Task);
        };
        try
        {
            await kit.SeedHandoffAsync();
            using (var dying = new CancellationTokenSource())
            {
                var round = kit.App.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(dying.Token);
                Assert.True(await reached.WaitAsync(TimeSpan.FromSeconds(30)), "the post never reached Slack");
                await dying.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round);
            }
            var orphan = await ChannelOffer(kit);
            Assert.Equal((OutboxStatus.Pending, 1), (orphan.Status, orphan.Attempts));
            Assert.NotNull(orphan.LockedBy);
            Assert.Null(orphan.LastError);
            slack.Chatter("CIS", 30);

            // Within the lease nobody takes it; the next dispatcher takes it once the lease has run out, and looks first.
            Assert.Equal(0, await kit.App.DispatchAsync());
            kit.App.Clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
            await kit.App.DispatchAsync();

            var row = await ChannelOffer(kit);
            Assert.Equal((OutboxStatus.Sent, 2), (row.Status, row.Attempts));
            Assert.Equal(1, Ours(slack, row.Id));
            Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
            // From shortly before the first attempt, through every page (30 newer messages at 15 a page).
            var lookUps = kit.Calls("conversations.history").Where(r => r.Query.Contains("channel=CIS", StringComparison.Ordinal)).ToList();
            Assert.Equal(3, lookUps.Count);
            var oldest = SlackApiClient.Ts(new DateTimeOffset(DateTime.SpecifyKind(orphan.FirstAttemptAt!.Value, DateTimeKind.Utc)) - TimeSpan.FromMinutes(5));
            Assert.All(lookUps, r => Assert.Contains($"oldest={oldest}", r.Query));
        }
        finally
        {
            never.TrySetResult();
        }
    }

    [Fact]
    public async Task LookUp_ChannelNotFound_FailsWithThatReason()
    {
        var (kit, slack) = await StartAsync();
        await using var _ = kit;
        LoseFirstChannelPost(slack, SlackFault.Unavailable);
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        slack.Missing.Add("CIS");
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("channel_not_found", row.LastError);
        Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
    }
}
