using System.Threading.RateLimiting;
using TheModel.Api.RateLimits;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.RateLimits;

public class WindowRateLimiterTests
{
    private static readonly WindowLimit ThreePerMinute = new() { PermitLimit = 3, Window = TimeSpan.FromMinutes(1) };

    [Fact]
    public void Acquire_OverTheLimit_IsRefusedWithTheTimeLeftInTheWindow_AndFlagsOnlyTheFirstRefusal()
    {
        var clock = new FakeClock();
        using var limiter = new WindowRateLimiter(ThreePerMinute, clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.AttemptAcquire().IsAcquired);
        }
        clock.Advance(TimeSpan.FromSeconds(25));

        using var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();

        Assert.False(first.IsAcquired);
        Assert.True(first.TryGetMetadata(MetadataName.RetryAfter, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(35), wait);
        Assert.True(first.TryGetMetadata(WindowRateLimiter.FirstRefusal, out var isFirst) && isFirst);
        Assert.True(second.TryGetMetadata(WindowRateLimiter.FirstRefusal, out var again) && !again);
        Assert.Equal(2, limiter.GetStatistics()!.TotalFailedLeases);
    }

    [Fact]
    public void Acquire_WhenTheWindowHasPassed_StartsAFreshWindow()
    {
        var clock = new FakeClock();
        using var limiter = new WindowRateLimiter(ThreePerMinute, clock);
        for (var i = 0; i < 4; i++)
        {
            limiter.AttemptAcquire().Dispose();
        }

        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.True(limiter.AttemptAcquire().IsAcquired);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void IdleDuration_WhileTheWindowIsOpen_IsNull_SoThePartitionAndItsCountAreKept()
    {
        var clock = new FakeClock();
        using var limiter = new WindowRateLimiter(ThreePerMinute, clock);
        limiter.AttemptAcquire().Dispose();

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(limiter.IdleDuration);

        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(TimeSpan.FromSeconds(10), limiter.IdleDuration);
    }
}
