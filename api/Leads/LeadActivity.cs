namespace TheModel.Api.Leads;

public enum ActivityKind
{
    Call,
    Email,
    Meeting,
    Chat,
    Note,
}

public enum ActivityOutcome
{
    Reached,
    NoAnswer,
    Sent,
    Booked,
}

/// <summary>
/// One attempt to reach a lead, logged from a card, a chat command or a CRM. Any activity is a <em>touch</em> (it stops
/// the first-contact clock); a <em>contact</em> is one that reached the person (<see cref="IsContact"/>).
/// </summary>
public sealed class LeadActivity
{
    public long Id { get; set; }
    public Guid LeadId { get; set; }
    /// <summary>Who made the attempt (null when a CRM did not say).</summary>
    public Guid? PersonId { get; set; }
    public ActivityKind Kind { get; set; }
    public ActivityOutcome Outcome { get; set; }
    /// <summary>When the attempt was made (never in the future).</summary>
    public DateTime At { get; set; }
    public string? Note { get; set; }
    /// <summary>The CRM's id of the activity: a retry with the same id stores nothing and answers the first one.</summary>
    public string? ExternalId { get; set; }
    public DateTime RecordedAt { get; set; }

    public bool IsContact => Outcome is ActivityOutcome.Reached or ActivityOutcome.Booked;
}

/// <summary>
/// The 24-hour rule's clock: started when a lead becomes MQL (Inside Sales must approach it) or SQL (Field Sales must
/// meet it), due <c>ContactWithinHours</c> business hours later, stopped by the first touch. A re-offer does not
/// restart it; a lead that becomes MQL again (recycled) gets a new one.
/// </summary>
public sealed class ContactClock
{
    public long Id { get; set; }
    public Guid LeadId { get; set; }
    /// <summary><see cref="LeadStage.Mql"/> or <see cref="LeadStage.Sql"/>.</summary>
    public LeadStage Stage { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime DueAt { get; set; }
    public DateTime? FirstTouchAt { get; set; }
    /// <summary>The first activity that reached the person (reached or booked).</summary>
    public DateTime? FirstContactAt { get; set; }
    /// <summary>Start → first touch in business hours, kept for the figures.</summary>
    public double? FirstTouchBusinessHours { get; set; }
    /// <summary>When the sweep next looks at it (reminder or deadline); <c>DateTime.MaxValue</c> once stopped or done.</summary>
    public DateTime NextCheckAt { get; set; }
}
