using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

public class ForegroundWorkTests
{
    [Fact]
    public void WhenQuiet_CompletesOnlyOnceTheLastWaitingPersonIsAnswered()
    {
        var traffic = new ForegroundWork(TimeProvider.System);
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

    [Fact]
    public void SeenWithin_WhileWorkIsInProgress_AndForThatLongAfterTheLastOneEnded()
    {
        var clock = new FakeClock();
        var traffic = new ForegroundWork(clock);
        var second = TimeSpan.FromSeconds(1);
        Assert.False(traffic.SeenWithin(second));

        var click = traffic.Enter();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(traffic.SeenWithin(second));
        click.Dispose();

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(traffic.SeenWithin(second));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(traffic.SeenWithin(second));
        Assert.True(traffic.SeenWithin(TimeSpan.FromSeconds(2)));
    }
}
