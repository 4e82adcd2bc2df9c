using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Bot.Conversation;
using TheModel.Bot.Delivery;
using TheModel.Bot.Slack;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Bot.Slack;

/// <summary>What Slack hands the channel-neutral command handler, and how its answer comes back out.</summary>
public class SlackChatHandlerContractTests
{
    private sealed class ScriptedHandler(ChatReply reply) : IChatCommandHandler
    {
        public ConcurrentQueue<ChatRequest> Requests { get; } = new();

        public Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken ct = default)
        {
            Requests.Enqueue(request);
            return Task.FromResult(reply);
        }
    }

    private static (WebApplicationFactory<Program> Bot, HttpClient Client) WithHandler(SlackTestKit kit, ScriptedHandler handler)
    {
        var bot = kit.App.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<IChatCommandHandler>(handler)));
        return (bot, bot.CreateClient());
    }

    private static async Task DrainAsync(WebApplicationFactory<Program> bot)
    {
        var worker = bot.Services.GetRequiredService<SlackInboundWorker>();
        var dispatcher = bot.Services.GetRequiredService<OutboxDispatcher>();
        while (await worker.RunOnceAsync() + await dispatcher.RunOnceAsync() > 0)
        {
        }
    }

    private static HttpRequestMessage Signed(SlackTestKit kit, string path, string body, string contentType)
    {
        var stamp = kit.App.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", stamp);
        request.Headers.Add("X-Slack-Signature", SlackSignature.Sign(SlackTestKit.Secret, stamp, bytes));
        return request;
    }

    [Fact]
    public async Task Mention_PassesTheTextWithoutTheMention_AndAPrivateAnswerGoesEphemeralInTheThread()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var handler = new ScriptedHandler(new ChatReply { Text = "your queue is empty", Private = true });
        var (bot, client) = WithHandler(kit, handler);
        await using var _ = bot;

        var response = await client.SendAsync(Signed(kit, "/slack/events", SlackTestKit.Fixture("app_mention_event_callback.json"), "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await DrainAsync(bot);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("slack", request.Channel);
        Assert.Equal("test", request.Text);
        Assert.Equal("U234", request.UserId);
        Assert.Equal("C123", request.ConversationId);
        Assert.False(request.IsPersonal);
        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal("U234", ephemeral["user"]!.GetValue<string>());
        Assert.Equal("1583636399.000700", ephemeral["thread_ts"]!.GetValue<string>());
        Assert.Equal("your queue is empty", ephemeral["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Command_FiguresAnswer_IsPostedInChannelOnTheResponseUrl()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var figures = new FiguresCardModel
        {
            Title = "ファネル 今月",
            Language = "ja",
            Sections = [new FigureSection("件数", [new FigureRow("問い合わせ", "120"), new FigureRow("MQL", "48")])],
        };
        var handler = new ScriptedHandler(new ChatReply { Text = "ファネル 今月", Figures = figures });
        var (bot, client) = WithHandler(kit, handler);
        await using var _ = bot;

        var body = $"token=x&team_id=T1&channel_id=D42&user_id=U9&user_name=rep&command=%2Fbaton&text={Uri.EscapeDataString("ファネル 今月")}" +
                   $"&response_url={Uri.EscapeDataString(kit.Slack.BaseUrl + "commands/T1/2/xyz")}&trigger_id=1.2.3";
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Signed(kit, "/slack/commands", body, "application/x-www-form-urlencoded"))).StatusCode);
        await DrainAsync(bot);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("ファネル 今月", request.Text);
        Assert.True(request.IsPersonal);
        var answer = SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/2/xyz"));
        Assert.Equal("in_channel", answer["response_type"]!.GetValue<string>());
        var shown = SlackTestKit.Texts(answer["blocks"]);
        // The figures themselves, however the card renderer lays them out.
        Assert.Contains("問い合わせ", shown);
        Assert.Contains("120", shown);
        Assert.Contains("48", shown);
    }
}
