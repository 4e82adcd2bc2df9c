namespace TheModel.Api.Outbox;

/// <summary>
/// Work someone is waiting for right now: an HTTP request being answered (a Teams activity, a Slack request, a REST call
/// such as a batch intake), a queued Slack click being decided. Background sending (the outbox dispatcher posting cards
/// and updating their copies) gives way to it, for at most <see cref="OutboxOptions.YieldToRequests"/> per row, so that
/// a burst of clicks or an intake is not slowed by the messages it causes; those catch up in the quiet moments and after
/// the burst.
/// </summary>
public sealed class ForegroundWork(TimeProvider time)
{
    private readonly Lock gate = new();
    private int inFlight;
    private TaskCompletionSource? quiet;
    private DateTimeOffset? lastDone;

    /// <summary>Counts a piece of foreground work until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        lock (gate)
        {
            inFlight++;
        }
        return new Scope(this);
    }

    /// <summary>Completes when no foreground work is in progress (at once if none is).</summary>
    public Task WhenQuietAsync()
    {
        lock (gate)
        {
            return inFlight == 0 ? Task.CompletedTask : (quiet ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>Whether foreground work is in progress or ended less than <paramref name="within"/> ago (people are active).</summary>
    public bool SeenWithin(TimeSpan within)
    {
        lock (gate)
        {
            return inFlight > 0 || (lastDone is { } done && time.GetUtcNow() - done < within);
        }
    }

    private void Exit()
    {
        TaskCompletionSource? done = null;
        var now = time.GetUtcNow();
        lock (gate)
        {
            lastDone = now;
            if (--inFlight == 0)
            {
                (done, quiet) = (quiet, null);
            }
        }
        done?.TrySetResult();
    }

    public readonly struct Scope(ForegroundWork traffic) : IDisposable
    {
        public void Dispose() => traffic.Exit();
    }
}
