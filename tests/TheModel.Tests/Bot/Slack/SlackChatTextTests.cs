using TheModel.Bot.Slack;

namespace TheModel.Tests.Bot.Slack;

public class SlackChatTextTests
{
    [Theory]
    [InlineData("<@U0BOT> help", "help")]
    [InlineData("  <@U0BOT|baton>  <@U0BOT> funnel this-month ", "funnel this-month")]
    [InlineData("lead <mailto:taro@acme.co.jp|taro@acme.co.jp>", "lead taro@acme.co.jp")]
    [InlineData("lead <mailto:taro@acme.co.jp>", "lead taro@acme.co.jp")]
    [InlineData("lead <https://acme.example|Acme>", "lead Acme")]
    [InlineData("lead <https://acme.example>", "lead https://acme.example")]
    [InlineData(null, "")]
    public void Normalize_SlackMarkup_GivesWhatTheUserTyped(string? text, string expected)
    {
        Assert.Equal(expected, SlackChatText.Normalize(text).Text);
    }

    [Fact]
    public void Normalize_OtherUsersMentioned_ListsTheirIdsButNotTheBots()
    {
        var said = SlackChatText.Normalize("<@U0BOT> lead acme for <@U0ALEX> and <@U0KIM|kim>");

        Assert.Equal(["U0ALEX", "U0KIM"], said.Mentions);
        Assert.Equal("lead acme for @U0ALEX and kim", said.Text);
    }

    [Fact]
    public void Normalize_NoMarkup_NoMentions()
    {
        Assert.Equal("funnel", SlackChatText.Normalize("funnel").Text);
        Assert.Empty(SlackChatText.Normalize("funnel").Mentions);
    }
}
