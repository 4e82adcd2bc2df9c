using TheModel.Bot.Delivery;

namespace TheModel.Tests.Bot.Delivery;

public class ForegroundWorkTests
{
    [Fact]
    public void WhenQuiet_CompletesOnlyOnceTheLastWaitingPersonIsAnswered()
    {
        var traffic = new ForegroundWork();
        Assert.True(traffic.WhenQuietAsync().IsCompleted);

        var first = traffic.Enter();
        var second = traffic.Enter();
        var quiet = traffic.WhenQuietAsync();
        Assert.False(quiet.IsCompleted);

        first.Dispose();
        Assert.False(quiet.IsCompleted);
        second.Dispose();
        Assert.True(quiet.IsCompletedSuccessfully);

        // The next busy spell has its own quiet moment.
        using (traffic.Enter())
        {
            Assert.False(traffic.WhenQuietAsync().IsCompleted);
        }
        Assert.True(traffic.WhenQuietAsync().IsCompleted);
    }
}
