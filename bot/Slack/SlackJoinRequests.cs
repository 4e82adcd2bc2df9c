using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>A join request's card to each manager with a Slack id, as a direct message from the app.</summary>
public sealed class SlackJoinRequestNotifier(OutboxWriter outbox, SlackOptions options) : IJoinRequestNotifier
{
    public Task<int> NotifyAsync(JoinRequest request, IReadOnlyList<Person> managers, CancellationToken ct)
    {
        if (!options.Enabled)
        {
            return Task.FromResult(0);
        }
        var told = 0;
        foreach (var manager in managers.Where(m => !string.IsNullOrEmpty(m.SlackUserId)))
        {
            var message = JoinRequestCards.BlockKit(JoinRequestCardFactory.Build(request, manager));
            // Posting to a user id lands in the app's direct messages with them.
            outbox.Enqueue(OutboxChannels.Slack, manager.SlackUserId!, OutboxKinds.ChatReply, null, $"join.request:slack:{request.Id}:{manager.Id}",
                SlackJson.Write(new SlackReplyPayload { Channel = manager.SlackUserId, Text = message.Text, Blocks = message.Blocks }));
            told++;
        }
        return Task.FromResult(told);
    }
}

/// <summary>Approve / Decline on the join request card: decided from the queue; the clicker is told privately how it went.</summary>
public sealed class SlackJoinRequestHandler(SlackPeople people, PersonDirectory directory, SlackReplies replies, ILogger<SlackJoinRequestHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!Guid.TryParse(action?.Value, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack join request click without a request id or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var requestId = Guid.Parse(action!.Value!);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var decision = await directory.DecideJoinRequestAsync(requestId, who.Person, action.ActionId == CardActions.JoinApprove, ct);
        logger.LogInformation("Slack {Action} of join request {RequestId} by {User}: {Status}", action.ActionId, requestId, who.SlackUserId, decision.Status);
        // The DM with the card, or wherever the card was clicked.
        var channel = payload.ChannelId ?? who.SlackUserId;
        await replies.EphemeralAsync(channel, who.SlackUserId, JoinRequestCardFactory.Outcome(decision, requestId.ToString("N")[^8..], who.Person),
            $"chat.reply:slack:work:{work.Id}", ct);
    }
}
