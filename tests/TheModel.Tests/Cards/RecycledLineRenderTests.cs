using System.Text.RegularExpressions;
using TheModel.Cards;

namespace TheModel.Tests.Cards;

/// <summary>The recycled MQL's "why it is back" line: shown by both renderers, its note escaped like any value.</summary>
public class RecycledLineRenderTests
{
    private const string Markup = "Back from nurture: rejected 90 days ago for bad timing by 佐藤: '[Verify](https://example.org) <!channel> <@U123> *bold*'";

    [Fact]
    public void AdaptiveCard_BackBecause_ShownEscaped()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered() with { BackBecause = Markup });

        var texts = JsonWalk.Strings(card["body"]).ToList();
        var line = Assert.Single(texts, s => s.Contains("Back from nurture", StringComparison.Ordinal));
        Assert.Contains(@"\[Verify\](https://example.org)", line, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!\\)[<*]", line);
    }

    [Fact]
    public void BlockKit_BackBecause_ShownEscaped()
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Offered() with { BackBecause = Markup });

        var line = Assert.Single(JsonWalk.Strings(message.Blocks), s => s.Contains("Back from nurture", StringComparison.Ordinal));
        Assert.DoesNotContain("<!channel>", line);
        Assert.DoesNotContain("<@U123>", line);
        Assert.Contains("&lt;!channel&gt;", line);
    }

    [Fact]
    public void BothRenderers_NoBackBecause_NoLine()
    {
        Assert.DoesNotContain(JsonWalk.Strings(AdaptiveCardRenderer.Handoff(CardSamples.Offered())["body"]), s => s.Contains("♻️", StringComparison.Ordinal));
        Assert.DoesNotContain(JsonWalk.Strings(BlockKitRenderer.Handoff(CardSamples.Offered()).Blocks), s => s.Contains(":recycle:", StringComparison.Ordinal));
    }
}
