namespace TheModel.Cards.ViewModels;

/// <summary>
/// A join request as its department's managers see it: who asked (name, email, platform and platform id) for which
/// department; Approve / Decline while pending, the outcome once decided. Texts come localized.
/// </summary>
public sealed record JoinRequestCardModel
{
    public required string RequestId { get; init; }
    /// <summary>What a manager types after <c>approve</c> in chat.</summary>
    public required string Code { get; init; }
    public required string Name { get; init; }
    public string? Email { get; init; }
    /// <summary>"Teams" | "Slack".</summary>
    public required string Platform { get; init; }
    /// <summary>Entra object id (Teams) or Slack user id.</summary>
    public required string PlatformId { get; init; }
    /// <summary>Localized department name, e.g. "Inside Sales (IS)".</summary>
    public required string Department { get; init; }
    /// <summary>"Pending" | "Approved" | "Declined".</summary>
    public required string State { get; init; }
    public string? DecidedBy { get; init; }
    public required string Language { get; init; }
}
