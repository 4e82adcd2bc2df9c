namespace TheModel.Api.Queue;

/// <summary>How a <see cref="DurableQueue{TRow}"/> claims and spaces attempts: each queue gives its own limits.</summary>
public sealed record QueuePolicy
{
    /// <summary>How long a claim holds before another instance may take the row (a crashed holder's rows come back).</summary>
    public required TimeSpan Lease { get; init; }
    /// <summary>Due rows one claim takes at most.</summary>
    public required int BatchSize { get; init; }
    /// <summary>This process, in the claims it makes (<c>LockedBy</c>), for whoever reads the table.</summary>
    public required string InstanceId { get; init; }
    /// <summary>The longest wait between two attempts of our own choosing (a platform's <c>Retry-After</c> may ask for more).</summary>
    public required TimeSpan MaxBackoff { get; init; }

    /// <summary>2 s, 4 s, 8 s … capped at <paramref name="max"/>: the wait after the given attempt, before jitter.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan max) =>
        TimeSpan.FromSeconds(Math.Min(max.TotalSeconds, Math.Pow(2, Math.Clamp(attempts, 1, 30))));

    /// <summary>
    /// The wait after the given attempt: the <see cref="Backoff"/> plus a random share (<paramref name="share"/> in [0, 1))
    /// of its growth since the attempt before, still within <see cref="MaxBackoff"/>; never shorter than
    /// <paramref name="retryAfter"/>. Rows that failed together (an outage) so come back spread out instead of all at once.
    /// Jitter only adds: a wait is never shorter than its backoff, so the first retry (no growth yet) comes after 2 s.
    /// </summary>
    public TimeSpan RetryWait(int attempts, TimeSpan? retryAfter, double share)
    {
        var backoff = Backoff(attempts, MaxBackoff);
        var growth = backoff - Backoff(attempts - 1, MaxBackoff);
        var wait = backoff + growth * Math.Clamp(share, 0, 1);
        if (wait > MaxBackoff)
        {
            wait = MaxBackoff;
        }
        return retryAfter is { } after && after > wait ? after : wait;
    }
}

/// <summary>The random source of the retry jitter; tests hand in a seeded one.</summary>
public sealed class QueueJitter(Random? random = null)
{
    private readonly Random source = random ?? Random.Shared;
    private readonly Lock gate = new();

    /// <summary>A share in [0, 1).</summary>
    public double NextShare()
    {
        // A seeded Random is not thread-safe; rows finish in parallel.
        lock (gate)
        {
            return source.NextDouble();
        }
    }
}
