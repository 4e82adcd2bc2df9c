using TheModel.Api.Conversations;

namespace TheModel.Api.People;

public enum JoinRequestState
{
    Pending,
    Approved,
    Declined,
}

/// <summary>
/// Someone not in the directory asked in chat (<c>join &lt;dept&gt;</c>) to be added; the department's managers (or an
/// admin) approve or decline. Nobody is added or moved until then.
/// </summary>
public sealed class JoinRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ChatPlatform Channel { get; set; }
    /// <summary>Teams user id (<c>29:…</c>) or Slack user id (<c>U…</c>).</summary>
    public string UserId { get; set; } = "";
    /// <summary>Teams: the Entra object id, the identity the person is added with.</summary>
    public string? AadObjectId { get; set; }
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Locale { get; set; }
    public Department Department { get; set; }
    public JoinRequestState State { get; set; } = JoinRequestState.Pending;
    public DateTime RequestedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
    public Guid? DecidedById { get; set; }
    /// <summary>The person approval added.</summary>
    public Guid? PersonId { get; set; }

    /// <summary>What a manager types after <c>approve</c>: the last 8 hex digits (the random part of a version 7 id).</summary>
    public string Code => Id.ToString("N")[^8..];
}
