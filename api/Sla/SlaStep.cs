namespace TheModel.Api.Sla;

/// <summary>
/// One step of a handoff's SLA chase (reminder N, escalation, expiry) claimed atomically: the unique
/// (HandoffId, Step) key means each step happens once across restarts and instances.
/// </summary>
public sealed class SlaStep
{
    public long Id { get; set; }
    public Guid HandoffId { get; set; }
    /// <summary><c>reminder:1</c>, <c>reminder:2</c>, <c>escalation</c>, <c>expiry</c>.</summary>
    public string Step { get; set; } = "";
    public DateTime DueAt { get; set; }
    public DateTime DoneAt { get; set; }
    public bool Late { get; set; }
    public string? ClaimedBy { get; set; }
}

/// <summary>
/// One scheduled step about a lead rather than a handoff — the first-contact clock, a renewal notice, a recycle, a
/// neglect nudge — claimed like <see cref="SlaStep"/>: the unique (LeadId, Step) key means each happens once across
/// restarts and instances. <see cref="Step"/> names the clock and the occurrence (<c>contact:reminder:1</c>,
/// <c>renewal:2027-12-01:notice</c>, <c>recycle:42</c>), so a clock that starts again gets new keys.
/// </summary>
public sealed class LeadStep
{
    public long Id { get; set; }
    public Guid LeadId { get; set; }
    public string Step { get; set; } = "";
    public DateTime DueAt { get; set; }
    public DateTime DoneAt { get; set; }
    public bool Late { get; set; }
    public string? ClaimedBy { get; set; }
}

/// <summary>A digest run. <see cref="Key"/> is unique (<c>scheduled:2026-11-16</c>), so a scheduled digest is posted once per week.</summary>
public sealed class DigestRun
{
    public long Id { get; set; }
    public string Key { get; set; } = "";
    /// <summary>Monday 00:00 of the reported week, in the calendar's time zone, as a date.</summary>
    public DateOnly WeekStart { get; set; }
    public DateTime RanAt { get; set; }
    public bool Manual { get; set; }
    public string? ClaimedBy { get; set; }
}
