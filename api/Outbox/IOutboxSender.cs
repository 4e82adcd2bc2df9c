namespace TheModel.Api.Outbox;

/// <summary>Delivers outbox rows of one channel (<see cref="OutboxChannels"/>). Registered per channel; resolved per dispatch scope.</summary>
public interface IOutboxSender
{
    string Channel { get; }

    Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct);
}

/// <summary>What a send came to. The dispatcher turns it into the row's next state.</summary>
public abstract record SendResult
{
    private SendResult() { }

    /// <summary>Delivered; <paramref name="ExternalRef"/> is what the platform gave back (activity id, ts …).</summary>
    public sealed record Sent(string? ExternalRef = null) : SendResult;

    /// <summary>Worth another try, no sooner than <paramref name="After"/> (from <c>Retry-After</c>) when given.</summary>
    public sealed record Retry(string Error, TimeSpan? After = null) : SendResult;

    /// <summary>Will never succeed as it is (bad target, revoked token …): kept as failed for an admin.</summary>
    public sealed record Failed(string Error) : SendResult;

    /// <summary>Nothing to send any more (e.g. a reminder for a handoff already decided).</summary>
    public sealed record Skipped(string Why) : SendResult;
}
