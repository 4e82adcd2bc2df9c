namespace TheModel.Api.Conversations;

/// <summary>
/// A conversation the bot knows how to post into (Teams conversation reference, or Slack channel/DM),
/// stored when the bot is installed, added, or first spoken to.
/// </summary>
public sealed class ChatConversation
{
    public long Id { get; set; }
    /// <summary><c>teams</c> or <c>slack</c>.</summary>
    public ChatPlatform Channel { get; set; }
    public string ConversationId { get; set; } = "";
    /// <summary><c>personal</c>, <c>channel</c> or <c>groupChat</c> (Slack: <c>im</c>, <c>channel</c>).</summary>
    public string ConversationType { get; set; } = "";
    /// <summary>Teams: the Bot Connector service URL for this conversation.</summary>
    public string? ServiceUrl { get; set; }
    public string? TenantId { get; set; }
    public string? TeamId { get; set; }
    /// <summary>Teams: the bot's own id (<c>28:…</c>) in this conversation.</summary>
    public string? BotId { get; set; }
    /// <summary>For personal conversations: whose.</summary>
    public Guid? PersonId { get; set; }
    /// <summary>Teams user id / Slack user id of the other party in a personal conversation.</summary>
    public string? UserId { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A copy of a handoff card that was posted somewhere, so a decision can update every copy in place.</summary>
public sealed class PostedCard
{
    public long Id { get; set; }
    /// <summary>The handoff; for a renewal card (posted by a <c>renewal.notice</c> row), the lead's id.</summary>
    public Guid HandoffId { get; set; }
    public ChatPlatform Channel { get; set; }
    public string ConversationId { get; set; } = "";
    /// <summary>Teams activity id / Slack message <c>ts</c>.</summary>
    public string MessageId { get; set; } = "";
    /// <summary>The outbox row that posted it (so a retried post never records two copies).</summary>
    public long? OutboxMessageId { get; set; }
    public DateTime PostedAt { get; set; }
}

/// <summary>
/// An inbound platform event already accepted (Slack <c>event_id</c>, Teams activity id), kept so retries
/// and other instances never process it twice.
/// </summary>
public sealed class InboundReceipt
{
    public ChatPlatform Channel { get; set; }
    public string EventId { get; set; } = "";
    public DateTime ReceivedAt { get; set; }
}

public enum InboundWorkStatus
{
    Pending,
    Done,
    Failed,
}

/// <summary>
/// Work accepted from a platform that must run after the acknowledgement (Slack's 3-second rule): a durable
/// queue, claimed like the outbox, so a crash after the ack loses nothing.
/// </summary>
public sealed class InboundWork : Queue.IQueueRow
{
    public long Id { get; set; }
    public ChatPlatform Channel { get; set; }
    public string Kind { get; set; } = "";
    public string Payload { get; set; } = "";
    public InboundWorkStatus Status { get; set; } = InboundWorkStatus.Pending;
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LockedBy { get; set; }
    public DateTime? LockedUntil { get; set; }
    public string? LastError { get; set; }
}
