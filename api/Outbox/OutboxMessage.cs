using TheModel.Api.Conversations;

namespace TheModel.Api.Outbox;

public enum OutboxStatus
{
    Pending,
    Sent,
    Failed,
    /// <summary>Nothing to do any more (e.g. a reminder for a handoff decided before it went out).</summary>
    Skipped,
}

/// <summary>Channels an outbox row can go to.</summary>
public static class OutboxChannels
{
    public const string Teams = ChatPlatforms.TeamsKey;
    public const string Slack = ChatPlatforms.SlackKey;
    public const string Webhook = "webhook";
}

/// <summary>What an outbox row asks the channel to do. Senders switch on these.</summary>
public static class OutboxKinds
{
    /// <summary>Post the handoff card (rendered from the handoff's current state at send time).</summary>
    public const string HandoffOffered = "handoff.offered";
    /// <summary>Update every posted copy of the handoff card to its current state.</summary>
    public const string HandoffDecided = "handoff.decided";
    /// <summary>Tell the sending department that its lead was rejected, and why.</summary>
    public const string HandoffRejectedNotice = "handoff.rejected-notice";
    public const string SlaReminder = "sla.reminder";
    public const string SlaEscalation = "sla.escalation";
    /// <summary>The first-contact clock: the lead is not touched yet (payload: <c>ContactStepPayload</c>).</summary>
    public const string ContactReminder = "contact.reminder";
    public const string ContactEscalation = "contact.escalation";
    public const string DigestWeekly = "digest.weekly";
    /// <summary>The MQL threshold was turned: a one-line notice in the digest channel(s); payload <see cref="Qualification.ThresholdNotice"/>.</summary>
    public const string ThresholdChanged = "threshold.changed";
    /// <summary>The week's rejection reasons and notes to the sending department (payload: a <c>FeedbackCardModel</c>).</summary>
    public const string FeedbackWeekly = "feedback.weekly";
    /// <summary>A chat answer that must not be lost (payload holds the rendered message).</summary>
    public const string ChatReply = "chat.reply";
    public const string WebhookWon = "webhook.won";
    /// <summary>The renewal card (payload <c>RenewalStepPayload</c>): the notice, its reminder and its escalation.</summary>
    public const string RenewalNotice = "renewal.notice";
    public const string RenewalReminder = "renewal.reminder";
    public const string RenewalEscalation = "renewal.escalation";
    /// <summary>Update every posted copy of a renewal card to its outcome (payload <c>RenewalDecision</c>).</summary>
    public const string RenewalDecided = "renewal.decided";
    /// <summary>A DM to the owner of an accepted SQL nobody touched for <c>Kpis:NeglectDays</c> (payload <c>NeglectNudgePayload</c>).</summary>
    public const string NeglectNudge = "neglect.nudge";
    /// <summary>Tells the admins that a row failed for good and how to re-queue it (never announced itself when it fails).</summary>
    public const string OutboxFailed = "outbox.failed";
}

/// <summary>
/// A message the system will send, written in the same transaction as the state change that causes it.
/// The dispatcher claims due rows atomically (<see cref="LockedBy"/>/<see cref="LockedUntil"/>) so several
/// instances never send the same row at once, and retries with backoff until sent or failed for good.
/// </summary>
public sealed class OutboxMessage : Queue.IQueueRow
{
    public long Id { get; set; }
    public string Channel { get; set; } = "";
    /// <summary>
    /// Where to: a channel's conversation/channel id, <c>person:{guid}</c> for a person's direct chat,
    /// or a URL for webhooks.
    /// </summary>
    public string Target { get; set; } = "";
    public string Kind { get; set; } = "";
    public Guid? HandoffId { get; set; }
    /// <summary>Kind-specific JSON.</summary>
    public string? Payload { get; set; }
    /// <summary>Unique: the same intent is never queued twice (e.g. <c>sla.reminder:{handoff}:1:teams:…</c>).</summary>
    public string DedupeKey { get; set; } = "";
    public OutboxStatus Status { get; set; } = OutboxStatus.Pending;
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>What the channel gave back (activity id, message ts, HTTP status …).</summary>
    public string? ExternalRef { get; set; }
    /// <summary>Sent after its due time (e.g. came due while the bot was down).</summary>
    public bool Late { get; set; }
    // Declared last: a migration adds these columns at the end of the table, and a fresh database must get the same order.
    /// <summary>
    /// When the first attempt started: set once by the claim, committed before any request leaves. A post after it may
    /// have reached the platform even when nothing else was recorded (crash, timeout). It also starts the give-up clock
    /// (<c>Outbox:GiveUpAfter</c>), unless an admin re-queued the row since (<see cref="RequeuedAt"/>).
    /// </summary>
    public DateTime? FirstAttemptAt { get; set; }
    /// <summary>When the latest attempt started (set by each claim).</summary>
    public DateTime? LastAttemptAt { get; set; }
    /// <summary>When an admin last put the failed row back (<c>POST /api/outbox/{id}/retry</c>): the give-up clock restarts there.</summary>
    public DateTime? RequeuedAt { get; set; }

    /// <summary>Where the give-up clock of the current run of attempts started.</summary>
    public DateTime TryingSince => RequeuedAt ?? FirstAttemptAt ?? CreatedAt;

    public static string PersonTarget(Guid personId) => $"person:{personId}";

    public static bool TryParsePersonTarget(string target, out Guid personId)
    {
        personId = default;
        return target.StartsWith("person:", StringComparison.Ordinal) && Guid.TryParse(target.AsSpan(7), out personId);
    }
}
