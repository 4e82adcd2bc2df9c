using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>Slash commands, mentions and DMs: acknowledged at once, answered from the queue.</summary>
public class SlackConversationTests
{
    [Fact]
    public async Task Command_BatonFunnel_AcknowledgesThenAnswersOnTheResponseUrl()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostCommandAsync("funnel this-month");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(kit.Slack.Requests);

        await kit.DrainAsync();

        var answer = Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc");
        var body = SlackTestKit.Body(answer);
        Assert.False(body["replace_original"]!.GetValue<bool>());
        Assert.False(string.IsNullOrWhiteSpace(body["text"]!.GetValue<string>()));
        Assert.NotEmpty(body["blocks"]!.AsArray());
        Assert.False(answer.Headers.ContainsKey("Authorization"));
        var row = await kit.Db(db => db.Outbox.SingleAsync(m => m.Kind == OutboxKinds.ChatReply));
        Assert.Equal(OutboxStatus.Sent, row.Status);
    }

    [Fact]
    public async Task Command_InJapanese_IsQueuedWithItsText()
    {
        await using var kit = await SlackTestKit.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("ファネル 今月")).StatusCode);
        var work = await kit.Db(db => db.InboundWork.SingleAsync());
        Assert.Contains("ファネル 今月", work.Payload);
        await kit.DrainAsync();
        Assert.Equal(InboundWorkStatus.Done, (await kit.Db(db => db.InboundWork.SingleAsync())).Status);
    }

    [Fact]
    public async Task Mention_Fixture_IsAnsweredInItsThread()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostEventAsync(SlackTestKit.Fixture("app_mention_event_callback.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await kit.DrainAsync();

        var reply = Assert.Single(kit.Calls("chat.postEphemeral").Concat(kit.Calls("chat.postMessage")));
        var body = SlackTestKit.Body(reply);
        Assert.Equal("C123", body["channel"]!.GetValue<string>());
        Assert.Equal("1583636399.000700", body["thread_ts"]!.GetValue<string>());
        Assert.Equal("Bearer xoxb-test-token", reply.Headers["Authorization"]);
        Assert.StartsWith("application/json", reply.Headers["Content-Type"]);
    }

    [Fact]
    public async Task Event_DeliveredTwice_IsProcessedOnce()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var body = SlackTestKit.Fixture("app_mention_event_callback.json");
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(body)).StatusCode);
        await kit.DrainAsync();
        Assert.Equal(1, await kit.Db(db => db.InboundWork.CountAsync()));
        Assert.Single(kit.Calls("chat.postEphemeral").Concat(kit.Calls("chat.postMessage")));
    }

    [Fact]
    public async Task Event_DeliveredConcurrently_IsQueuedOnceAndEveryDeliveryAcknowledged()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var body = SlackTestKit.Fixture("app_mention_event_callback.json");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => kit.PostEventAsync(body)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await kit.Db(db => db.InboundWork.CountAsync()));
        Assert.Equal(1, await kit.Db(db => db.InboundReceipts.CountAsync()));
    }

    [Fact]
    public async Task Event_RedeliveredToAnotherInstanceOrAfterRestart_IsProcessedOnce()
    {
        await using var slack = await RecordingServer.StartAsync();
        var first = await SlackTestKit.StartAsync(slack: slack);
        var body = SlackTestKit.Fixture("app_mention_event_callback.json");
        Assert.Equal(HttpStatusCode.OK, (await first.PostEventAsync(body)).StatusCode);
        await first.DrainAsync();

        // A fresh process on the same database: nothing in memory knows the event.
        var second = new TheModelApp(new FakeClock(first.App.Clock.GetUtcNow()), first.App.DatabasePath);
        SlackTestKit.Configure(second, slack);
        using var client = second.CreateClient();
        var again = await first.PostAsync("/slack/events", body, "application/json");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var stamp = second.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Slack-Request-Timestamp", stamp);
        request.Headers.Add("X-Slack-Retry-Num", "1");
        request.Headers.Add("X-Slack-Signature", TheModel.Bot.Slack.SlackSignature.Sign(SlackTestKit.Secret, stamp, System.Text.Encoding.UTF8.GetBytes(body)));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);

        Assert.Equal(1, await second.WithDbAsync(db => db.InboundWork.CountAsync()));
        Assert.Equal(1, await second.WithDbAsync(db => db.InboundReceipts.CountAsync()));
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task DirectMessage_Fixture_IsAnsweredInTheDm()
    {
        await using var kit = await SlackTestKit.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(SlackTestKit.Fixture("message_im_event_callback.json"))).StatusCode);
        await kit.DrainAsync();
        var reply = Assert.Single(kit.Calls("chat.postMessage"));
        var body = SlackTestKit.Body(reply);
        Assert.Equal("D0442US94JD", body["channel"]!.GetValue<string>());
        Assert.Null(body["thread_ts"]);
    }

    [Theory]
    [InlineData("bot_id", "B123")]
    [InlineData("subtype", "bot_message")]
    [InlineData("user", SlackTestKit.BotUserId)]
    [InlineData("user", "U0442US8QGH")]
    public async Task DirectMessage_FromABot_IsIgnored(string field, string value)
    {
        await using var kit = await SlackTestKit.StartAsync();
        var envelope = JsonNode.Parse(SlackTestKit.Fixture("message_im_event_callback.json"))!;
        envelope["event"]![field] = value;
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(envelope.ToJsonString())).StatusCode);
        await kit.DrainAsync();
        Assert.Equal(0, await kit.Db(db => db.InboundWork.CountAsync()));
        Assert.Empty(kit.Slack.Requests);
    }

    [Fact]
    public async Task Mention_ByUnknownUserWhoseEmailIsInTheDirectory_LinksThem()
    {
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync(assigneeLinked: false);
        kit.UserEmails["U234"] = "REP@acme.test";
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(SlackTestKit.Fixture("app_mention_event_callback.json"))).StatusCode);
        await kit.DrainAsync();
        Assert.Equal("U234", await kit.Db(db => db.People.Where(p => p.Id == seeded.AssigneeId).Select(p => p.SlackUserId).SingleAsync()));
        var lookup = Assert.Single(kit.Calls("users.info"));
        Assert.Equal("GET", lookup.Method);
        Assert.Contains("user=U234", lookup.Query);
    }
}
