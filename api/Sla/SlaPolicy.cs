using TheModel.Api.Handoffs;

namespace TheModel.Api.Sla;

/// <summary>How long a handoff kind may wait for a decision, in business time, and how it is chased.</summary>
public sealed record SlaPolicy
{
    public TimeSpan AcceptWithin { get; init; }

    /// <summary>Reminder points as fractions of the window (0.5 = half-way).</summary>
    public IReadOnlyList<double> Reminders { get; init; } = [0.5, 0.9];

    /// <summary>Business time after the deadline before the offer expires and is reassigned.</summary>
    public TimeSpan ReassignAfter { get; init; } = TimeSpan.FromHours(4);

    /// <summary>After this many reassignments the handoff is only escalated, never moved again.</summary>
    public int MaxReassignments { get; init; } = 2;

    /// <summary>
    /// The first-contact clock: business time from becoming MQL (SQL) to the first touch; null for a kind without one
    /// (WonToCs). Counted from the stage entry, not the offer, so a re-offer does not restart it.
    /// </summary>
    public TimeSpan? ContactWithin { get; init; }

    /// <summary>Contact reminder points as fractions of the contact window.</summary>
    public IReadOnlyList<double> ContactReminders { get; init; } = [0.5];

    public static SlaPolicy DefaultFor(HandoffKind kind) => kind switch
    {
        // The literature's rule: an MQL is contacted within 24 hours.
        HandoffKind.MqlToIs => new SlaPolicy { AcceptWithin = TimeSpan.FromHours(24), ContactWithin = TimeSpan.FromHours(24) },
        // One business day (09:00–18:00) to accept; two to meet.
        HandoffKind.SqlToFs => new SlaPolicy { AcceptWithin = TimeSpan.FromHours(9), ContactWithin = TimeSpan.FromHours(18) },
        HandoffKind.WonToCs => new SlaPolicy { AcceptWithin = TimeSpan.FromHours(27) },
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>Gives the policy in force for a handoff kind (configuration, overridden by run-time settings).</summary>
public interface ISlaPolicies
{
    Task<SlaPolicy> ForAsync(HandoffKind kind, CancellationToken ct = default);
}
