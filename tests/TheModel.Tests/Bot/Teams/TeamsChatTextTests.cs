using TheModel.Bot.Teams;

namespace TheModel.Tests.Bot.Teams;

public class TeamsChatTextTests
{
    private static Activity Message(string text, params (string Id, string Name)[] mentioned) => new()
    {
        Type = "message",
        Text = text,
        Recipient = new ChannelAccount { Id = "28:bot", Name = "TheModel" },
        Entities = mentioned.Select(m => new Entity { Type = "mention", Text = $"<at>{m.Name}</at>", Mentioned = new ChannelAccount { Id = m.Id, Name = m.Name } }).ToList(),
    };

    [Fact]
    public void Normalize_BotMention_IsRemovedAndNotListed()
    {
        var said = TeamsChatText.Normalize(Message("<at>TheModel</at> funnel", ("28:bot", "TheModel")));

        Assert.Equal("funnel", said.Text);
        Assert.Empty(said.Mentions);
    }

    [Fact]
    public void Normalize_OtherUsersMentioned_KeepsTheirNamesAndListsTheirIds()
    {
        var said = TeamsChatText.Normalize(Message("<p><at>TheModel</at> lead acme for <at>Alex</at> &amp; <at>Alex</at></p>",
            ("28:bot", "TheModel"), ("29:alex", "Alex"), ("29:alex", "Alex")));

        Assert.Equal("lead acme for Alex & Alex", said.Text);
        Assert.Equal(["29:alex"], said.Mentions);
    }

    [Fact]
    public void Normalize_NoText_IsEmpty()
    {
        Assert.Equal("", TeamsChatText.Normalize(new Activity { Type = "message" }).Text);
    }
}
