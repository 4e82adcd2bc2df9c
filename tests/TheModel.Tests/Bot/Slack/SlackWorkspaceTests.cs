using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Bot;
using TheModel.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// <c>Slack:TeamId</c> (issue #14): events, clicks and commands from another workspace are refused before anything
/// of them is stored. Events are acknowledged (Slack would retry anything else for an hour), clicks get 403, a
/// command gets a one-line refusal only its sender sees.
/// </summary>
public class SlackWorkspaceTests
{
    private static Task<SlackTestKit> StartAsync(string teamId, DateTimeOffset? now = null) =>
        SlackTestKit.StartAsync(now, settings: new Dictionary<string, string?> { ["Slack:TeamId"] = teamId });

    private static async Task AssertUnchangedAsync(SlackTestKit kit, IReadOnlyDictionary<string, IReadOnlyList<string>> before)
    {
        await kit.DrainAsync();
        Assert.Empty(StoreSnapshot.Changes(before, await StoreSnapshot.TakeAsync(kit.App)));
    }

    [Theory]
    [InlineData("app_mention_event_callback.json")]
    [InlineData("message_im_event_callback.json")]
    public async Task Event_FromAnotherWorkspace_IsAcknowledgedAndNothingIsStored(string fixture)
    {
        await using var kit = await StartAsync("T0THERS");
        var before = await StoreSnapshot.TakeAsync(kit.App);

        var response = await kit.PostEventAsync(SlackTestKit.Fixture(fixture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertUnchangedAsync(kit, before);
        Assert.Empty(kit.Slack.Requests);
    }

    [Theory]
    [InlineData("app_mention_event_callback.json", "T123")]
    [InlineData("message_im_event_callback.json", "T043DB835ML")]
    public async Task Event_FromOurWorkspace_IsQueued(string fixture, string teamId)
    {
        await using var kit = await StartAsync(teamId);

        var response = await kit.PostEventAsync(SlackTestKit.Fixture(fixture));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await kit.Db(db => db.InboundWork.CountAsync()));
    }

    [Fact]
    public async Task Event_InOurWorkspaceByAUserOfAnother_IsAcknowledgedAndNothingIsStored()
    {
        // A Slack Connect guest: the envelope is ours, the event names the guest's own workspace.
        await using var kit = await StartAsync("T123");
        var guest = JsonNode.Parse(SlackTestKit.Fixture("app_mention_event_callback.json"))!;
        guest["event"]!["team"] = "T0THERS";
        var before = await StoreSnapshot.TakeAsync(kit.App);

        var response = await kit.PostEventAsync(guest.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertUnchangedAsync(kit, before);
    }

    [Fact]
    public async Task Command_FromAnotherWorkspace_IsRefusedToItsSenderAndNothingIsQueued()
    {
        await using var kit = await StartAsync("T1");
        var before = await StoreSnapshot.TakeAsync(kit.App);

        // Slack's own signed example, from workspace T1DC2JH3J.
        var response = await kit.PostAsync("/slack/commands", SlackTestKit.Fixture("slash_command_signed_body.txt"), "application/x-www-form-urlencoded",
            timestamp: 1531420618, signature: "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ephemeral", (string?)answer["response_type"]);
        Assert.Contains("own workspace", (string?)answer["text"]);
        await AssertUnchangedAsync(kit, before);
        Assert.Empty(kit.Slack.Requests);
    }

    [Fact]
    public async Task Command_FromOurWorkspace_IsQueued()
    {
        await using var kit = await StartAsync("T1");

        var response = await kit.PostCommandAsync("funnel");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await kit.Db(db => db.InboundWork.CountAsync()));
    }

    [Theory]
    [InlineData(CardActions.Accept, "T0THERS")]
    [InlineData(CardActions.Reject, "T0THERS")]
    [InlineData(CardActions.Accept, null)]
    public async Task Click_FromAnotherWorkspace_Is403AndNothingChanges(string actionId, string? teamId)
    {
        await using var kit = await StartAsync("T1", new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        var calls = kit.Slack.Requests.Count;
        var before = await StoreSnapshot.TakeAsync(kit.App);
        var click = JsonNode.Parse(SlackTestKit.BlockAction(actionId, seeded.HandoffId.ToString()))!;
        click["team"] = teamId is null ? null : new JsonObject { ["id"] = teamId };
        click["user"]!["team_id"] = teamId;

        var response = await kit.PostInteractionAsync(click.ToJsonString());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await AssertUnchangedAsync(kit, before);
        // Not even the reject modal (views.open runs inside the click's request).
        Assert.Equal(calls, kit.Slack.Requests.Count);
    }

    [Fact]
    public async Task Click_ByAGuestOfAnotherWorkspaceInOurs_Is403()
    {
        await using var kit = await StartAsync("T1", new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        var click = JsonNode.Parse(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString()))!;
        click["user"]!["team_id"] = "T0THERS";

        var response = await kit.PostInteractionAsync(click.ToJsonString());
        await kit.DrainAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HandoffState.Offered, await kit.Db(db => db.Handoffs.Where(h => h.Id == seeded.HandoffId).Select(h => h.State).SingleAsync()));
    }

    [Fact]
    public async Task Click_FromOurWorkspace_Decides()
    {
        await using var kit = await StartAsync("T1", new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();

        var response = await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString()));
        await kit.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HandoffState.Accepted, await kit.Db(db => db.Handoffs.Where(h => h.Id == seeded.HandoffId).Select(h => h.State).SingleAsync()));
    }

    [Theory]
    [InlineData("acme")]
    [InlineData("https://acme.slack.com")]
    public void Start_TeamIdThatIsNotAWorkspaceId_StopsNamingTheKey(string value)
    {
        using var app = new TheModelApp();
        app.Settings["Slack:TeamId"] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var lines = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            lines.AddRange(StartupErrors.Lines(e));
        }
        Assert.StartsWith("Slack:TeamId ", Assert.Single(lines.Distinct()));
    }
}
