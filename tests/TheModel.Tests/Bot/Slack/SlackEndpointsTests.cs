using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace TheModel.Tests.Bot.Slack;

public class SlackEndpointsTests
{
    private static async Task<int> QueuedWork(SlackTestKit kit) => await kit.Db(db => db.InboundWork.CountAsync());

    [Fact]
    public async Task Events_UrlVerificationFixture_AnswersTheChallenge()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostEventAsync(SlackTestKit.Fixture("url_verification.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Events_UrlVerificationWithTheDerivedFixtureSignature_IsAccepted()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/events", SlackTestKit.Fixture("url_verification.json"), "application/json",
            signature: "v0=838dc33bf76944f648e7707536a423d510dbc93e38b7d3f333b1f88757e83641");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Commands_SslCheck_Answers200AndQueuesNothing()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands")
        {
            Content = new StringContent("ssl_check=1&token=x&command=%2Fbaton&text=funnel&user_id=U1&channel_id=C1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var response = await kit.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Commands_OfficialSignedBody_IsAcceptedAndQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/commands", SlackTestKit.Fixture("slash_command_signed_body.txt"), "application/x-www-form-urlencoded",
            timestamp: 1531420618, signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await QueuedWork(kit));
    }

    [Fact]
    public async Task Events_ForgedSignature_Is401AndNothingQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/events", SlackTestKit.Fixture("app_mention_event_callback.json"), "application/json", secret: "not-our-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await QueuedWork(kit));
        Assert.Equal(0, await kit.Db(db => db.InboundReceipts.CountAsync()));
    }

    [Fact]
    public async Task Events_Unsigned_Is401()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.Client.PostAsync("/slack/events", new StringContent(SlackTestKit.Fixture("url_verification.json"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task Events_StaleOrFutureTimestamp_Is401AndNothingQueued(int offsetSeconds)
    {
        await using var kit = await SlackTestKit.StartAsync();
        var stamp = kit.App.Clock.GetUtcNow().ToUnixTimeSeconds() + offsetSeconds;
        var response = await kit.PostEventAsync(SlackTestKit.Fixture("app_mention_event_callback.json"), stamp);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Events_ReplayedAfterTheWindow_Is401AndNothingChanges()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var body = SlackTestKit.Fixture("app_mention_event_callback.json");
        var stamp = kit.App.Clock.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(body, stamp)).StatusCode);
        kit.App.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.Unauthorized, (await kit.PostEventAsync(body, stamp)).StatusCode);
        Assert.Equal(1, await QueuedWork(kit));
    }

    [Fact]
    public async Task Interactivity_MalformedPayloadJson_Is400AndNothingQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/interactivity", "payload=" + Uri.EscapeDataString("{\"type\":\"block_actions\","), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Interactivity_NoPayloadField_Is400()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/interactivity", "foo=bar", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Interactivity_UnknownActionId_Is200AndNothingQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/interactivity", SlackTestKit.Fixture("block_actions_message_button.form-urlencoded.txt"), "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await QueuedWork(kit));
        Assert.Empty(kit.Slack.Requests);
    }

    [Fact]
    public async Task Interactivity_UnknownPayloadType_Is200AndNothingQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostInteractionAsync("{\"type\":\"message_action\",\"callback_id\":\"x\",\"user\":{\"id\":\"U1\"}}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Interactivity_DocsFixtureWithDerivedSignature_IsAcceptedButUnknownActionIgnored()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/interactivity", SlackTestKit.Fixture("block_actions_docs_example.form-urlencoded.txt"), "application/x-www-form-urlencoded",
            signature: "v0=f5144f1d7306c6a9cbbfd5a907efbc52540d7b066928edf0f07a7281bd70e72b");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Events_OversizedBody_Is413AndNothingQueued()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var huge = "{\"type\":\"event_callback\",\"event_id\":\"EvBIG\",\"padding\":\"" + new string('x', 300 * 1024) + "\"}";
        var response = await kit.PostEventAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }

    [Fact]
    public async Task Events_OversizedBodyWithoutContentLength_Is413()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var huge = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('x', 300 * 1024) + "\"}");
        var content = new StreamContent(new MemoryStream(huge));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/slack/events") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await kit.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Events_WrongContentType_Is415()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostAsync("/slack/events", SlackTestKit.Fixture("url_verification.json"), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Events_MalformedJson_Is400()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostEventAsync("{\"type\":\"event_callback\",");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Interactivity_RejectSubmitWithoutOurMetadata_IsIgnored()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var response = await kit.PostInteractionAsync(SlackTestKit.RejectSubmission("not json", "NoBudget"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await QueuedWork(kit));
    }
}
