using System.Text.Json.Nodes;
using TheModel.Api.Handoffs;
using TheModel.Cards;

namespace TheModel.Tests.Cards;

/// <summary>Every action id the routers handle is actually on the cards (the platform helpers check the other direction).</summary>
public class CardActionsTests
{
    private static IEnumerable<string> TeamsActionIds(JsonNode card) =>
        JsonWalk.Objects(card).SelectMany(o => new[] { (string?)(o["verb"] as JsonValue), (string?)(o["id"] as JsonValue) }).OfType<string>();

    private static IEnumerable<string> SlackActionIds(params JsonNode[] views) =>
        views.SelectMany(JsonWalk.Objects).SelectMany(o => new[] { (string?)(o["action_id"] as JsonValue), (string?)(o["callback_id"] as JsonValue) }).OfType<string>();

    [Fact]
    public void Teams_HandoffCard_CarriesEveryTeamsAction()
    {
        var ids = TeamsActionIds(AdaptiveCardRenderer.Handoff(CardSamples.Offered(), ["29:a"])).ToHashSet();

        Assert.All(CardActions.Teams, action => Assert.Contains(action, ids));
    }

    [Fact]
    public void Slack_HandoffMessageAndRejectModal_CarryEverySlackAction()
    {
        var model = CardSamples.Offered();
        var ids = SlackActionIds(BlockKitRenderer.Handoff(model).Blocks, BlockKitRenderer.RejectModal(model, "m")).ToHashSet();

        Assert.All(CardActions.Slack, action => Assert.Contains(action, ids));
    }

    [Fact]
    public void JoinRequestCard_CarriesItsActionsOnBothPlatforms_AndNoneOnceDecided()
    {
        var model = new TheModel.Cards.ViewModels.JoinRequestCardModel
        {
            RequestId = Guid.NewGuid().ToString(), Code = "0a1b2c3d", Name = "New", Platform = "Slack", PlatformId = "U0NEW",
            Department = "Inside Sales (IS)", State = "Pending", Language = "en",
        };

        Assert.All(CardActions.JoinRequest, action => Assert.Contains(action, TeamsActionIds(JoinRequestCards.Adaptive(model))));
        Assert.All(CardActions.JoinRequest, action => Assert.Contains(action, SlackActionIds(JoinRequestCards.BlockKit(model).Blocks)));
        Assert.Empty(TeamsActionIds(JoinRequestCards.Adaptive(model with { State = "Approved", DecidedBy = "Boss" })));
        Assert.Empty(SlackActionIds(JoinRequestCards.BlockKit(model with { State = "Declined", DecidedBy = "Boss" }).Blocks));
    }

    [Fact]
    public void PlatformLists_TogetherCoverAll()
    {
        Assert.Equal(CardActions.All.Order(), CardActions.Teams.Union(CardActions.Slack).Union(CardActions.JoinRequest).Union(CardActions.ContactLogs).Union(CardActions.Customer).Union(CardActions.Digest).Order());
        Assert.Equal(CardActions.All.Count, CardActions.All.Distinct().Count());
    }

    [Fact]
    public void RejectReasons_AreTheDomainEnumNames()
    {
        Assert.Equal(Enum.GetNames<RejectReason>(), CardTexts.RejectReasons);
    }

    [Fact]
    public void ReasonText_EveryReasonHasADistinctLabelInBothLanguages()
    {
        Assert.All(CardTexts.RejectReasons, r => Assert.NotEqual(r, CardTexts.Japanese.ReasonText(r)));
        foreach (var texts in new[] { CardTexts.English, CardTexts.Japanese })
        {
            Assert.Equal(CardTexts.RejectReasons.Count, CardTexts.RejectReasons.Select(texts.ReasonText).Distinct().Count());
        }
        Assert.Equal("No budget", CardTexts.English.ReasonText("NoBudget"));
        Assert.Equal("対象外", CardTexts.Japanese.ReasonText("NotTarget"));
    }
}
