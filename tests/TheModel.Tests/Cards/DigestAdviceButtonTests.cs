using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Cards;

/// <summary>The digest's threshold advice carries its one-click button on both platforms, in the headline.</summary>
public class DigestAdviceButtonTests
{
    private static DigestCardModel Model(DigestAdviceView? advice) => new()
    {
        Title = "Weekly digest", Headline = [new HeadlineFigure("MQLs", "12", null, null)], DroppedHeadline = "Dropped balls: 0",
        Advice = advice, Language = "en",
    };

    [Fact]
    public void Digest_WithAdvice_TeamsCardExecutesTheVerbWithTheThreshold()
    {
        var card = DigestAdaptiveCard.Render(Model(new DigestAdviceView("IS is far over capacity: raise <b>", "Set the MQL threshold to 85", 85)));

        var action = Assert.Single(JsonWalk.Objects(card), o => (string?)o["verb"] == CardActions.DigestSetThreshold);
        Assert.Equal(("Action.Execute", "Set the MQL threshold to 85", 85), ((string)action["type"]!, (string)action["title"]!, (int)action["data"]!["threshold"]!));
        // Before the figures: a manager sees it on the first screen.
        var body = card["body"]!.AsArray().Select(b => b!.ToJsonString()).ToList();
        Assert.True(body.FindIndex(b => b.Contains(CardActions.DigestSetThreshold)) < body.FindIndex(b => b.Contains("MQLs")));
    }

    [Fact]
    public void Digest_WithAdvice_SlackSummaryHasTheButtonWithTheThresholdAsValue()
    {
        var message = BlockKitRenderer.DigestSummary(Model(new DigestAdviceView("IS has room: lower <@U1> & co", "Set the MQL threshold to 70", 70)));

        var button = Assert.Single(JsonWalk.Objects(message.Blocks), o => (string?)o["action_id"] == CardActions.DigestSetThreshold);
        Assert.Equal("70", (string)button["value"]!);
        var advice = Assert.Single(JsonWalk.Objects(message.Blocks), o => ((string?)(o["text"] as System.Text.Json.Nodes.JsonValue))?.StartsWith(":bulb:", StringComparison.Ordinal) == true);
        Assert.Equal(":bulb: IS has room: lower &lt;@U1&gt; &amp; co", (string)advice["text"]!);
    }

    [Fact]
    public void Digest_WithoutAdvice_HasNoButton()
    {
        Assert.DoesNotContain(CardActions.DigestSetThreshold, DigestAdaptiveCard.Render(Model(null)).ToJsonString());
        Assert.DoesNotContain(CardActions.DigestSetThreshold, BlockKitRenderer.DigestSummary(Model(null)).Blocks.ToJsonString());
    }
}
