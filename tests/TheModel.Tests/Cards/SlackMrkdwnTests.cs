using TheModel.Cards;

namespace TheModel.Tests.Cards;

public class SlackMrkdwnTests
{
    [Theory]
    [InlineData("<!channel>", "&lt;!channel&gt;")]
    [InlineData("<@U123>", "&lt;@U123&gt;")]
    [InlineData("<https://evil.example|Verify>", "&lt;https://evil.example|Verify&gt;")]
    [InlineData("AT&T", "AT&amp;T")]
    [InlineData("&lt;", "&amp;lt;")]
    // Only the three entities Slack documents: emphasis characters stay (see SlackMrkdwn's remarks).
    [InlineData("first_last@example.com *x*", "first_last@example.com *x*")]
    public void Escape_Value_CannotBecomeALinkMentionOrBroadcast(string value, string expected) =>
        Assert.Equal(expected, SlackMrkdwn.Escape(value));
}
