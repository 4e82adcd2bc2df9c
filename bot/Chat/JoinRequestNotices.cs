using TheModel.Api.Conversations;
using TheModel.Api.People;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Chat;

/// <summary>
/// Queues a join request's card to managers on one platform (in the caller's unit of work). One per platform; each
/// returns how many of the given managers it could reach there.
/// </summary>
public interface IJoinRequestNotifier
{
    Task<int> NotifyAsync(JoinRequest request, IReadOnlyList<Person> managers, CancellationToken ct);
}

/// <summary>The join request card's view model, in the reader's language.</summary>
public static class JoinRequestCardFactory
{
    public static JoinRequestCardModel Build(JoinRequest request, Person? reader, string? decidedBy = null)
    {
        var t = ChatTexts.For(reader?.PrefersJapanese ?? true ? "ja" : "en");
        return new JoinRequestCardModel
        {
            RequestId = request.Id.ToString(),
            Code = request.Code,
            Name = request.Name,
            Email = request.Email,
            Platform = request.Channel == ChatPlatform.Teams ? "Teams" : "Slack",
            PlatformId = request.Channel == ChatPlatform.Teams && request.AadObjectId is { Length: > 0 } aad ? aad : request.UserId,
            Department = t.DepartmentName(request.Department),
            State = request.State.ToString(),
            DecidedBy = decidedBy,
            Language = t.Language,
        };
    }

    /// <summary>What the decider is told, in their language.</summary>
    public static string Outcome(JoinDecision decision, string code, Person? reader)
    {
        var t = ChatTexts.For(reader?.PrefersJapanese ?? true ? "ja" : "en");
        return decision switch
        {
            { Status: JoinDecisionStatus.NotFound } => t.JoinRequestNotFound(code),
            { Status: JoinDecisionStatus.NotYours, Request: { } r } => t.JoinNotYours(r.Department),
            { Status: JoinDecisionStatus.AlreadyDecided, Request: { } r } => t.JoinAlreadyDecided(r.State.ToString()),
            { Status: JoinDecisionStatus.IdentityTaken } => t.IdentityTaken,
            { Status: JoinDecisionStatus.Done, Request: { State: JoinRequestState.Approved } r } => t.JoinApproved(r.Name, r.Department),
            { Request: { } r } => t.JoinDeclined(r.Name),
            _ => t.JoinRequestNotFound(code),
        };
    }
}
