using TheModel.Api.Queue;

namespace TheModel.Tests.Api.Queue;

/// <summary>The wait after a failed attempt: exponential, jittered upwards, capped, never under the platform's Retry-After.</summary>
public class QueuePolicyTests
{
    private static readonly QueuePolicy Policy = new()
    {
        Lease = TimeSpan.FromMinutes(2), BatchSize = 100, MaxBackoff = TimeSpan.FromMinutes(5), InstanceId = "test",
    };

    private static IEnumerable<double> Shares(int seed, int count)
    {
        var jitter = new QueueJitter(new Random(seed));
        return Enumerable.Range(0, count).Select(_ => jitter.NextShare()).ToList();
    }

    [Fact]
    public void Backoff_GrowsThenStaysAtTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), QueuePolicy.Backoff(0, Policy.MaxBackoff));
        Assert.Equal(TimeSpan.FromSeconds(2), QueuePolicy.Backoff(1, Policy.MaxBackoff));
        Assert.Equal(TimeSpan.FromSeconds(16), QueuePolicy.Backoff(4, Policy.MaxBackoff));
        Assert.Equal(TimeSpan.FromMinutes(5), QueuePolicy.Backoff(9, Policy.MaxBackoff));
        Assert.Equal(TimeSpan.FromMinutes(10), QueuePolicy.Backoff(40, TimeSpan.FromMinutes(10)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(0.999)]
    public void RetryWait_FirstRetry_IsTwoSecondsWhateverTheShare(double share) =>
        Assert.Equal(TimeSpan.FromSeconds(2), Policy.RetryWait(1, null, share));

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void RetryWait_SeededSource_StaysBetweenTheBackoffAndHalfAgain_AndSpreads(int attempts)
    {
        var backoff = QueuePolicy.Backoff(attempts, Policy.MaxBackoff);

        var waits = Shares(seed: 19, count: 200).Select(share => Policy.RetryWait(attempts, null, share)).ToList();

        Assert.All(waits, w => Assert.InRange(w, backoff, backoff * 1.5));
        // Rows that failed together come back spread over most of the band, not at one instant.
        Assert.True(waits.Max() - waits.Min() >= backoff * 0.4, $"waits {waits.Min()} … {waits.Max()}");
    }

    [Fact]
    public void RetryWait_SeededSource_IsDeterministic() =>
        Assert.Equal(
            Shares(seed: 7, count: 20).Select(share => Policy.RetryWait(4, null, share)),
            Shares(seed: 7, count: 20).Select(share => Policy.RetryWait(4, null, share)));

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(500)]
    public void RetryWait_NearOrAtTheCap_NeverExceedsIt(int attempts)
    {
        var waits = Shares(seed: 3, count: 200).Select(share => Policy.RetryWait(attempts, null, share)).ToList();

        Assert.All(waits, w => Assert.InRange(w, QueuePolicy.Backoff(attempts, Policy.MaxBackoff), Policy.MaxBackoff));
        Assert.Contains(Policy.MaxBackoff, waits);
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(3, 30)]
    [InlineData(9, 1200)]
    public void RetryWait_RetryAfterLongerThanAnyJitteredWait_IsTheWait(int attempts, int retryAfterSeconds)
    {
        var retryAfter = TimeSpan.FromSeconds(retryAfterSeconds);

        // 20 min is beyond the cap: the cap bounds our own choice, never the platform's.
        Assert.All(Shares(seed: 11, count: 50), share => Assert.Equal(retryAfter, Policy.RetryWait(attempts, retryAfter, share)));
    }

    [Fact]
    public void RetryWait_RetryAfterInsideTheJitterBand_IsNeverUndercut()
    {
        // Attempt 4: the band is 16–24 s.
        var retryAfter = TimeSpan.FromSeconds(20);

        var waits = Shares(seed: 5, count: 200).Select(share => Policy.RetryWait(4, retryAfter, share)).ToList();

        Assert.All(waits, w => Assert.InRange(w, retryAfter, TimeSpan.FromSeconds(24)));
        Assert.Contains(waits, w => w > retryAfter);
    }
}
