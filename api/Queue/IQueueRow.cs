namespace TheModel.Api.Queue;

/// <summary>
/// The columns a <see cref="DurableQueue{TRow}"/> leases and retries by; each queue's table has them (the outbox, the
/// inbound work), and keeps its own status and payload.
/// </summary>
public interface IQueueRow
{
    long Id { get; }
    /// <summary>Counted by the claim, before the work starts, so work that takes the process down is counted too.</summary>
    int Attempts { get; set; }
    DateTime NextAttemptAt { get; set; }
    /// <summary>Who holds the row (one claim of one instance); null when nobody does.</summary>
    string? LockedBy { get; set; }
    /// <summary>When the claim runs out: after it, another claim may take the row (its holder died).</summary>
    DateTime? LockedUntil { get; set; }
    string? LastError { get; set; }
}
