using System.Threading.RateLimiting;

namespace TheModel.Api.RateLimits;

/// <summary>
/// A fixed window on <see cref="TimeProvider"/>: the first request opens a window of <see cref="WindowLimit.Window"/>,
/// in which at most <see cref="WindowLimit.PermitLimit"/> requests get through; a refusal says how long until it ends.
/// The built-in <see cref="FixedWindowRateLimiter"/> measures time with <c>Stopwatch</c> (even its manual
/// <c>TryReplenish</c> checks the elapsed real time), so neither its windows nor its Retry-After follow the bot's clock;
/// this one keeps no timer at all and reads the clock on each request, so tests move a fake clock instead of sleeping.
/// </summary>
public sealed class WindowRateLimiter : RateLimiter
{
    /// <summary>On a refused lease: true for the first refusal of the window (the one worth telling the user about).</summary>
    public static readonly MetadataName<bool> FirstRefusal = MetadataName.Create<bool>("FIRST_REFUSAL");

    private readonly Lock gate = new();
    private readonly WindowLimit limit;
    private readonly TimeProvider time;
    private DateTimeOffset windowEnd;
    private int used;
    private int refusals;
    private long successful;
    private long failed;

    public WindowRateLimiter(WindowLimit limit, TimeProvider time)
    {
        this.limit = limit;
        this.time = time;
        // Closed from the start: idle counts from the creation, not from year one.
        windowEnd = time.GetUtcNow();
    }

    /// <summary>Idle only once its window is over: a partition dropped then (by the partitioned limiter) loses no count.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                var now = time.GetUtcNow();
                return now >= windowEnd ? now - windowEnd : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (gate)
        {
            var open = time.GetUtcNow() < windowEnd;
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = limit.PermitLimit - (open ? used : 0),
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = successful,
                TotalFailedLeases = failed,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, limit.PermitLimit);
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now >= windowEnd)
            {
                windowEnd = now + limit.Window;
                used = 0;
                refusals = 0;
            }
            // Zero permits asks whether any are left, as RateLimiter's contract says.
            if (permitCount == 0 ? used < limit.PermitLimit : used + permitCount <= limit.PermitLimit)
            {
                used += permitCount;
                successful++;
                return Lease.Granted;
            }
            failed++;
            refusals++;
            return new Lease(false, windowEnd - now, refusals == 1);
        }
    }

    /// <summary>Never queues: a request over the limit is answered at once (429), not held.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private sealed class Lease(bool acquired, TimeSpan retryAfter, bool firstRefusal) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, TimeSpan.Zero, false);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : [MetadataName.RetryAfter.Name, FirstRefusal.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (!acquired && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter;
                return true;
            }
            if (!acquired && metadataName == FirstRefusal.Name)
            {
                metadata = firstRefusal;
                return true;
            }
            metadata = null;
            return false;
        }
    }
}
