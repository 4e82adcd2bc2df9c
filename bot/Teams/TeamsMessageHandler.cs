using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Teams;

/// <summary>
/// A message to the bot (personal chat, or an @mention in a channel / group chat) → the channel-neutral command
/// handler → a reply queued in the outbox (kind <c>chat.reply</c>), so answers are traceable and survive a
/// Connector outage. The dedupe key is the inbound activity id: a Teams redelivery never answers twice.
/// </summary>
public sealed partial class TeamsMessageHandler(IChatCommandHandler chat, TheModelDb db, OutboxWriter outbox, OutboxExpress express,
    ILogger<TeamsMessageHandler> logger, TeamsMyBatons myBatons)
{
    public async Task HandleAsync(Activity activity, Person? person, ChatConversation? conversation, CancellationToken ct)
    {
        if (activity.Conversation?.Id is not { Length: > 0 } conversationId || activity.From?.Id is not { Length: > 0 } userId)
        {
            return;
        }
        var mentioned = MentionsBot(activity);
        if (!activity.IsPersonal && !mentioned)
        {
            // Channels deliver only @mentions to a bot without RSC; anything else is not for us.
            return;
        }
        var said = TeamsChatText.Normalize(activity);
        var text = said.Text;
        if (text.Length == 0)
        {
            // e.g. an Action.Submit post-back (value, no text): our cards use Action.Execute, so nothing to do.
            return;
        }
        var request = new ChatRequest
        {
            Platform = ChatPlatform.Teams,
            Text = text,
            Mentions = said.Mentions,
            Person = person,
            UserId = userId,
            UserAadObjectId = activity.From.AadObjectId,
            UserName = activity.From.Name,
            ConversationId = TeamsIds.BaseConversationId(conversationId),
            IsPersonal = activity.IsPersonal,
            Locale = activity.Locale,
        };
        var reply = await chat.HandleAsync(request, ct);

        var cards = new List<JsonObject>();
        if (reply.Figures is { } figures)
        {
            cards.Add(AdaptiveCardRenderer.Figures(figures));
        }
        JsonObject message;
        if (reply.Batons is { } batons)
        {
            // `my queue`: one my-batons card that refreshes itself for the asker, instead of a card per handoff.
            message = TeamsCards.Message(null, [await myBatons.CardAsync(batons.Person, ct)]);
            message["summary"] = reply.Text.Split('\n')[0];
        }
        else
        {
            cards.AddRange(reply.Handoffs.Select(AdaptiveCardRenderer.Handoff));
            message = TeamsCards.Message(reply.Text, cards);
        }

        // A private answer asked in a channel goes to the asker's personal chat when the bot has one with them.
        var target = conversationId;
        string? replyTo = activity.Id;
        if (reply.Private && !activity.IsPersonal && person is not null
            && await db.Conversations.AsNoTracking().Where(c => c.Channel == ChatPlatform.Teams && c.PersonId == person.Id && c.ConversationType == "personal")
                .Select(c => c.ConversationId).FirstOrDefaultAsync(ct) is { } personal)
        {
            target = personal;
            replyTo = null;
        }
        var payload = new JsonObject { ["replyToId"] = replyTo, ["activity"] = message };
        outbox.Enqueue(OutboxChannels.Teams, target, OutboxKinds.ChatReply, null,
            $"{OutboxKinds.ChatReply}:teams:{conversationId}:{activity.Id ?? Guid.NewGuid().ToString("N")}", payload.ToJsonString(Activity.Json));
        try
        {
            await db.SaveChangesAsync(ct);
            // The asker waits for the answer: it goes now, not behind whatever else the outbox holds.
            express.Send(db.OutboxCommitted);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            logger.LogInformation("Teams message {Id} in {Conversation} was already answered (redelivery)", activity.Id, conversationId);
            db.DiscardChanges();
        }
    }

    /// <summary>Is the bot among the mentioned (<c>entities[].mentioned.id</c> = recipient id)?</summary>
    public static bool MentionsBot(Activity activity) =>
        activity.Entities?.Any(e => e.Type == "mention" && e.Mentioned?.Id is { } id && id == activity.Recipient?.Id) == true;
}
