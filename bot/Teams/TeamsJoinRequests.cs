using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Teams;

/// <summary>A join request's card to each manager the bot has a personal chat with (a <c>chat.reply</c> to their person target).</summary>
public sealed class TeamsJoinRequestNotifier(TheModelDb db, OutboxWriter outbox) : IJoinRequestNotifier
{
    public async Task<int> NotifyAsync(JoinRequest request, IReadOnlyList<Person> managers, CancellationToken ct)
    {
        var ids = managers.Select(m => m.Id).ToList();
        var reachable = await db.Conversations.AsNoTracking()
            .Where(c => c.Channel == ChatPlatform.Teams && c.ConversationType == "personal" && c.PersonId != null && ids.Contains(c.PersonId.Value))
            .Select(c => c.PersonId!.Value).Distinct().ToListAsync(ct);
        foreach (var manager in managers.Where(m => reachable.Contains(m.Id)))
        {
            var model = JoinRequestCardFactory.Build(request, manager);
            var text = ChatTexts.For(model.Language).JoinRequestCardText(request.Name, request.Department);
            var payload = new JsonObject { ["activity"] = TeamsCards.Message(text, [JoinRequestCards.Adaptive(model)]) };
            outbox.Enqueue(OutboxChannels.Teams, OutboxMessage.PersonTarget(manager.Id), OutboxKinds.ChatReply, null,
                $"join.request:teams:{request.Id}:{manager.Id}", payload.ToJsonString(Activity.Json));
        }
        return reachable.Count;
    }
}

/// <summary>
/// Approve / Decline on the join request card (<see cref="CardActions.JoinApprove"/>, <see cref="CardActions.JoinDecline"/>):
/// the directory decides; the clicker gets the card as it now stands, or privately why not.
/// </summary>
public sealed class JoinRequestCardAction(PersonDirectory directory, TheModelDb db) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        var decision = await directory.DecideJoinRequestAsync(context.HandoffId, context.Person, context.Verb == CardActions.JoinApprove, ct);
        if (decision is { Status: JoinDecisionStatus.Done or JoinDecisionStatus.AlreadyDecided, Request: { } request })
        {
            var decider = request.DecidedById is { } id ? await db.People.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name).FirstOrDefaultAsync(ct) : null;
            return TeamsCards.CardResponse(JoinRequestCards.Adaptive(JoinRequestCardFactory.Build(request, context.Person, decider)));
        }
        return TeamsCards.MessageResponse(JoinRequestCardFactory.Outcome(decision, context.HandoffId.ToString("N")[^8..], context.Person));
    }
}
