using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// <c>RateLimits:Chat</c> on <c>/slack/*</c>: Slack always gets its 200 (a refused event would be retried), the request
/// over the limit is not queued, and the user is told privately when to try again.
/// </summary>
public class SlackRateLimitTests
{
    /// <summary>The default limit: 20 per minute (the kit builds its app at once, so the tests use it as it comes).</summary>
    private const int Limit = 20;

    private static Task<SlackTestKit> StartAsync() => SlackTestKit.StartAsync();

    private static async Task UseUpAsync(SlackTestKit kit, string user)
    {
        for (var i = 0; i < Limit; i++)
        {
            (await kit.PostCommandAsync("help", user: user)).EnsureSuccessStatusCode();
        }
    }

    private static string Dm(string user, string eventId) => new JsonObject
    {
        ["type"] = "event_callback",
        ["team_id"] = "T1",
        ["event_id"] = eventId,
        ["event"] = new JsonObject
        {
            ["type"] = "message", ["channel_type"] = "im", ["user"] = user, ["text"] = "help", ["channel"] = "D" + user, ["ts"] = "1531420618.000100",
        },
    }.ToJsonString();

    private static Task<int> QueuedAsync(SlackTestKit kit) => kit.Db(db => db.InboundWork.CountAsync());

    [Fact]
    public async Task Commands_OverTheLimit_Answer200WithAPrivateTryAgain_AndQueueNothing()
    {
        await using var kit = await StartAsync();
        await UseUpAsync(kit, "UASSIGNEE");
        Assert.Equal(Limit, await QueuedAsync(kit));
        kit.App.Clock.Advance(TimeSpan.FromSeconds(15));

        var refused = await kit.PostCommandAsync("help");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var answer = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Contains("try again in 45 s", (string?)answer["text"]);
        Assert.Equal(Limit, await QueuedAsync(kit));
        // Another person is not held up by the first one's burst.
        (await kit.PostCommandAsync("help", user: "UOTHER")).EnsureSuccessStatusCode();
        Assert.Equal(Limit + 1, await QueuedAsync(kit));
    }

    [Fact]
    public async Task Events_OverTheLimit_Are200NotQueued_AndTheUserIsToldOncePerWindow()
    {
        await using var kit = await StartAsync();
        for (var i = 0; i < Limit; i++)
        {
            (await kit.PostEventAsync(Dm("U1", $"Ev{i}"))).EnsureSuccessStatusCode();
        }
        var outboxBefore = await kit.Db(db => db.Outbox.CountAsync());

        for (var i = Limit; i < Limit + 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await kit.PostEventAsync(Dm("U1", $"Ev{i}"))).StatusCode);
        }

        Assert.Equal(Limit, await QueuedAsync(kit));
        Assert.Equal(Limit, await kit.Db(db => db.InboundReceipts.CountAsync()));
        var notices = await kit.Db(db => db.Outbox.OrderBy(m => m.Id).Skip(outboxBefore).ToListAsync());
        var notice = Assert.Single(notices);
        Assert.Contains("\"user\":\"U1\"", notice.Payload);
        Assert.Contains("try again in 60 s", notice.Payload);
    }

    [Fact]
    public async Task Events_AfterTheWindow_AreQueuedAgain()
    {
        await using var kit = await StartAsync();
        for (var i = 0; i <= Limit; i++)
        {
            (await kit.PostEventAsync(Dm("U1", $"Ev{i}"))).EnsureSuccessStatusCode();
        }
        Assert.Equal(Limit, await QueuedAsync(kit));

        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        (await kit.PostEventAsync(Dm("U1", "Ev-after"))).EnsureSuccessStatusCode();

        Assert.Equal(Limit + 1, await QueuedAsync(kit));
    }

    [Fact]
    public async Task ModalSubmission_OverTheLimit_ShowsTheWaitOnItsInput_AndQueuesNothing()
    {
        await using var kit = await StartAsync();
        await UseUpAsync(kit, "U1");
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new JsonObject { ["id"] = "U1" },
            ["view"] = new JsonObject
            {
                ["id"] = "V1",
                ["type"] = "modal",
                ["callback_id"] = TheModel.Cards.CardActions.RejectSubmit,
                ["private_metadata"] = "{}",
                ["state"] = new JsonObject { ["values"] = new JsonObject { ["note"] = new JsonObject { ["note"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = "x" } } } },
            },
        };

        var refused = await kit.PostInteractionAsync(payload.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var answer = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", (string?)answer["response_action"]);
        Assert.Contains("try again in", (string?)answer["errors"]!["note"]);
        Assert.Equal(Limit, await QueuedAsync(kit));
    }
}
