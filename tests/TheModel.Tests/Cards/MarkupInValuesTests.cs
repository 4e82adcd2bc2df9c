using System.Text;
using System.Text.RegularExpressions;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Cards;

/// <summary>Every value a user or a CRM fills, full of markup or 10,000 characters long, rendered on both platforms.</summary>
public class MarkupInValuesTests
{
    private const string Link = "[Verify](https://example.org)";
    private const string Markup = Link + " <!channel> <@U123> <https://evil.example|Verify> <at>Boss</at> *bold*";

    private static HandoffCardModel Everywhere(string value) => CardSamples.Decided() with
    {
        Company = value,
        ContactName = value,
        ContactTitle = value,
        ContactEmail = value,
        Source = value,
        Bant = new BantView(value, value, value, value),
        Assignee = new PersonRef(value, TeamsUserId: "29:hanako", SlackUserId: "U0HANAKO"),
        RoutingReason = value,
        Banner = value,
        Decision = new DecisionView("Rejected", new PersonRef(value), CardSamples.Deadline, "1h", "NoBudget", value),
    };

    [Fact]
    public void AdaptiveCard_MarkupInEveryField_RendersAsTextWithNoLink()
    {
        var card = AdaptiveCardRenderer.Handoff(Everywhere(Markup));

        var texts = JsonWalk.Strings(card["body"]).ToList();
        Assert.Contains(texts, s => s.Contains(@"\[Verify\](https://example.org)", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, s => s.Contains(Link, StringComparison.Ordinal));
        // No unescaped '<' (autolink, mention tag) and no unescaped '*' anywhere a value went.
        Assert.DoesNotContain(texts, s => Regex.IsMatch(s, @"(?<!\\)[<*]"));
    }

    [Fact]
    public void AdaptiveCard_OpenCardMentioningAMarkupName_TagAndEntityMatchAndAreEscaped()
    {
        var model = CardSamples.Offered() with { Assignee = new PersonRef("</at>[x](https://e.example)", TeamsUserId: "29:hanako") };

        var card = AdaptiveCardRenderer.Handoff(model);

        var mention = card["msteams"]!["entities"]![0]!;
        Assert.Equal(@"<at>\</at\>\[x\](https://e.example)</at>", (string?)mention["text"]);
        Assert.Contains(JsonWalk.Strings(card["body"]), s => s == (string?)mention["text"]);
    }

    [Fact]
    public void BlockKit_MarkupInEveryField_IsEscapedInBlocksAndFallbackText()
    {
        var message = BlockKitRenderer.Handoff(Everywhere(Markup));

        foreach (var text in JsonWalk.Strings(message.Blocks).Append(message.Text))
        {
            Assert.DoesNotContain("<!channel>", text);
            Assert.DoesNotContain("<@U123>", text);
            Assert.DoesNotContain("<https://evil", text);
        }
        Assert.Contains("&lt;!channel&gt;", message.Text);
        Assert.Contains(JsonWalk.Strings(message.Blocks), s => s.Contains("&lt;https://evil.example|Verify&gt;", StringComparison.Ordinal));
    }

    [Fact]
    public void BothPlatforms_TenThousandCharactersInEveryField_StayWithinTheirLimits()
    {
        var model = Everywhere(new string('x', 9_990) + "<[a](b)>");

        var card = AdaptiveCardRenderer.Handoff(model);
        var message = BlockKitRenderer.Handoff(model);

        Assert.True(Encoding.UTF8.GetByteCount(card.ToJsonString()) < AdaptiveCardRenderer.MaxCardBytes);
        Assert.DoesNotContain(JsonWalk.Strings(card["body"]), s => s.EndsWith(@"\" + TextClip.Ellipsis, StringComparison.Ordinal));
        Assert.True(message.Text.Length <= BlockKitRenderer.MaxFallbackText);
        Assert.All(JsonWalk.Strings(message.Blocks), s => Assert.True(s.Length <= BlockKitRenderer.MaxSectionText));
    }
}
