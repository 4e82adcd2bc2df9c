using TheModel.Api.Conversations;

namespace TheModel.Tests.Api.Conversations;

public class ChatPlatformTests
{
    [Theory]
    [InlineData(ChatPlatform.Teams, "teams")]
    [InlineData(ChatPlatform.Slack, "slack")]
    public void Key_EachPlatform_IsTheStoredLowercaseString(ChatPlatform platform, string key)
    {
        Assert.Equal(key, platform.Key());
        Assert.True(ChatPlatforms.TryParse(key, out var parsed));
        Assert.Equal(platform, parsed);
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("Teams")]
    [InlineData(null)]
    public void TryParse_NotAPlatformKey_IsFalse(string? key)
    {
        Assert.False(ChatPlatforms.TryParse(key, out _));
    }
}
