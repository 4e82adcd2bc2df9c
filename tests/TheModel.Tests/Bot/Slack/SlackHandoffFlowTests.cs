using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Bot.Slack;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>A handoff card on Slack: posted, accepted or rejected with its buttons, updated in place everywhere.</summary>
public class SlackHandoffFlowTests
{
    private static async Task<(SlackTestKit Kit, Seeded Seeded, string ChannelTs)> PostedAsync()
    {
        var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        var channelPost = kit.Calls("chat.postMessage").Single(r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
        var ts = await kit.CardTsAsync();
        Assert.NotNull(channelPost);
        return (kit, seeded, ts);
    }

    private static async Task<HandoffState> StateOf(SlackTestKit kit, Guid id) =>
        await kit.Db(db => db.Handoffs.Where(h => h.Id == id).Select(h => h.State).SingleAsync());

    [Fact]
    public async Task Offer_PostsTheCardToTheDepartmentChannelMentioningTheAssignee_AndByDm()
    {
        var (kit, seeded, _) = await PostedAsync();
        await using var _ = kit;
        var posts = kit.Calls("chat.postMessage").Select(SlackTestKit.Body).ToList();
        Assert.Equal(2, posts.Count);
        var channel = posts.Single(p => p["channel"]!.GetValue<string>() == "CIS");
        Assert.Contains("<@UASSIGNEE>", SlackTestKit.Texts(channel));
        Assert.Contains(CardActions.Accept, channel["blocks"]!.ToJsonString());
        Assert.Contains("Acme &amp; Co", SlackTestKit.Texts(channel["blocks"]));
        Assert.Equal("themodel_outbox", channel["metadata"]!["event_type"]!.GetValue<string>());
        Assert.Single(posts, p => p["channel"]!.GetValue<string>() == "DUASSIGNEE");
        Assert.Equal("users=UASSIGNEE", Assert.Single(kit.Calls("conversations.open")).Body);
        Assert.Equal(2, await kit.Db(db => db.PostedCards.CountAsync(p => p.HandoffId == seeded.HandoffId)));
    }

    [Fact]
    public async Task Accept_ByTheAssignee_DecidesAndUpdatesEveryPostedCopy()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var response = await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), messageTs: ts));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());

        await kit.DrainAsync();

        Assert.Equal(HandoffState.Accepted, await StateOf(kit, seeded.HandoffId));
        var updates = kit.Calls("chat.update").Select(SlackTestKit.Body).ToList();
        Assert.Equal(2, updates.Count);
        Assert.Contains(updates, u => u["channel"]!.GetValue<string>() == "CIS" && u["ts"]!.GetValue<string>() == ts);
        Assert.Contains(updates, u => u["channel"]!.GetValue<string>() == "DUASSIGNEE");
        Assert.All(updates, u => Assert.DoesNotContain(CardActions.Accept, u["blocks"]!.ToJsonString()));
        Assert.Empty(kit.Calls("chat.postEphemeral"));
    }

    [Fact]
    public async Task Accept_TheClickersCardUpdates_GoByTheExpressLane_NotBehindTheBacklog()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var express = kit.App.Services.GetRequiredService<TheModel.Api.Outbox.OutboxExpress>();
        express.Running = true;
        Assert.Equal(HttpStatusCode.OK, (await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), messageTs: ts))).StatusCode);

        await kit.App.Services.GetRequiredService<SlackInboundWorker>().RunOnceAsync();

        // The worker handed the decision's Slack card update over as soon as the decision was committed …
        var handed = await express.NextAsync(100, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var update = await kit.Db(db => db.Outbox.SingleAsync(m => m.Kind == TheModel.Api.Outbox.OutboxKinds.HandoffDecided && m.Channel == "slack"));
        Assert.Equal([update.Id], handed);
        // … and the lane sends it (both posted copies) without a regular round.
        Assert.Equal(1, await kit.App.Services.GetRequiredService<TheModel.Api.Outbox.OutboxDispatcher>().SendNowAsync(handed));
        Assert.Equal(2, kit.Calls("chat.update").Count);
    }

    [Fact]
    public async Task Accept_BySomeoneWithoutRights_GetsNotYoursAndNothingChanges()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        Assert.Equal(HttpStatusCode.OK, (await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), user: "UOTHER", messageTs: ts))).StatusCode);
        await kit.DrainAsync();

        Assert.Equal(HandoffState.Offered, await StateOf(kit, seeded.HandoffId));
        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal("UOTHER", ephemeral["user"]!.GetValue<string>());
        Assert.Equal("CIS", ephemeral["channel"]!.GetValue<string>());
        Assert.Equal(SlackTexts.NotYours(ja: false), ephemeral["text"]!.GetValue<string>());
        Assert.Empty(kit.Calls("chat.update"));
    }

    [Fact]
    public async Task Accept_TwoClicksAtOnce_OneWinsAndTheOtherHearsTheOutcome()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var clicks = await Task.WhenAll(
            kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), user: "UASSIGNEE", messageTs: ts, trigger: "1")),
            kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), user: "UMANAGER", messageTs: ts, trigger: "2")));
        Assert.All(clicks, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        await kit.DrainAsync();

        var handoff = await kit.Db(db => db.Handoffs.SingleAsync(h => h.Id == seeded.HandoffId));
        Assert.Equal(HandoffState.Accepted, handoff.State);
        Assert.Equal(1, handoff.Version);
        var loser = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal(SlackTexts.Outcome(ja: false, handoff), loser["text"]!.GetValue<string>());
        Assert.Equal(handoff.DecidedById == seeded.AssigneeId ? "UMANAGER" : "UASSIGNEE", loser["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reject_ThroughTheModal_OpensItInTheRequestThenDecidesOnSubmission()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var click = await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Reject, seeded.HandoffId.ToString(), messageTs: ts, trigger: "999.1.xyz"));
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);

        // views.open happened inside the click's request, not from the queue.
        var open = SlackTestKit.Body(Assert.Single(kit.Calls("views.open")));
        Assert.Equal("999.1.xyz", open["trigger_id"]!.GetValue<string>());
        Assert.Equal(CardActions.RejectSubmit, open["view"]!["callback_id"]!.GetValue<string>());
        var metadata = open["view"]!["private_metadata"]!.GetValue<string>();
        Assert.Equal(0, await kit.Db(db => db.InboundWork.CountAsync()));

        var submit = await kit.PostInteractionAsync(SlackTestKit.RejectSubmission(metadata, nameof(RejectReason.NoBudget), "no budget until April"));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        Assert.Equal("", await submit.Content.ReadAsStringAsync());
        await kit.DrainAsync();

        var handoff = await kit.Db(db => db.Handoffs.SingleAsync(h => h.Id == seeded.HandoffId));
        Assert.Equal(HandoffState.Rejected, handoff.State);
        Assert.Equal(RejectReason.NoBudget, handoff.RejectReason);
        Assert.Equal("no budget until April", handoff.RejectNote);
        Assert.Contains(kit.Calls("chat.update").Select(SlackTestKit.Body), u => u["channel"]!.GetValue<string>() == "CIS" && u["ts"]!.GetValue<string>() == ts);
    }

    [Fact]
    public async Task RejectSubmit_WithoutReason_KeepsTheModalOpenWithAnError()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var metadata = new RejectModalMetadata(seeded.HandoffId, "CIS", ts).Write();
        var submit = await kit.PostInteractionAsync(SlackTestKit.RejectSubmission(metadata, reason: null));
        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        var body = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", body["response_action"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["errors"]!["reason"]!.GetValue<string>()));
        Assert.Equal(0, await kit.Db(db => db.InboundWork.CountAsync()));
        Assert.Equal(HandoffState.Offered, await StateOf(kit, seeded.HandoffId));
    }

    [Fact]
    public async Task Reject_BySomeoneWithoutRights_GetsNotYoursAndNoModal()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        Assert.Equal(HttpStatusCode.OK, (await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Reject, seeded.HandoffId.ToString(), user: "UOTHER", messageTs: ts))).StatusCode);
        await kit.DrainAsync();
        Assert.Empty(kit.Calls("views.open"));
        Assert.Equal(SlackTexts.NotYours(ja: false), SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")))["text"]!.GetValue<string>());
        Assert.Equal(HandoffState.Offered, await StateOf(kit, seeded.HandoffId));
    }

    [Fact]
    public async Task Accept_Forged_Is401AndNothingChanges()
    {
        var (kit, seeded, ts) = await PostedAsync();
        await using var _ = kit;
        var body = "payload=" + Uri.EscapeDataString(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), messageTs: ts));
        var response = await kit.PostAsync("/slack/interactivity", body, "application/x-www-form-urlencoded", secret: "forged");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await kit.DrainAsync();
        Assert.Equal(HandoffState.Offered, await StateOf(kit, seeded.HandoffId));
        Assert.Empty(kit.Calls("chat.update"));
    }
}
