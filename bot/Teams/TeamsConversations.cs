using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Bot.Teams;

/// <summary>
/// Remembers where the bot can post (a conversation reference per chat or channel, with its service URL, tenant,
/// team and bot id) and who is talking (the directory person matched by Entra object id, whose Teams user id is
/// filled in when first seen). Writes only when something changed, so a busy chat costs one read.
/// </summary>
public sealed class TeamsConversations(TheModelDb db, TimeProvider time, ILogger<TeamsConversations> logger)
{
    public async Task<Person?> FindPersonAsync(Activity activity, CancellationToken ct)
    {
        var aad = activity.From?.AadObjectId;
        if (string.IsNullOrWhiteSpace(aad))
        {
            return null;
        }
        var person = await db.People.FirstOrDefaultAsync(p => p.TeamsAadObjectId == aad, ct);
        if (person is not null && activity.From?.Id is { Length: > 0 } userId && person.TeamsUserId != userId)
        {
            person.TeamsUserId = userId;
            person.UpdatedAt = Now;
            await db.SaveChangesAsync(ct);
        }
        return person;
    }

    /// <summary>Upserts the conversation reference of <paramref name="activity"/>; <paramref name="person"/> owns it when personal.</summary>
    public async Task<ChatConversation?> RememberAsync(Activity activity, Person? person, CancellationToken ct)
    {
        if (activity.Conversation?.Id is not { Length: > 0 } fullId || string.IsNullOrWhiteSpace(activity.ServiceUrl))
        {
            return null;
        }
        var id = TeamsIds.BaseConversationId(fullId);
        var personal = activity.IsPersonal;
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Channel == OutboxChannels.Teams && c.ConversationId == id, ct);
        var isNew = conversation is null;
        conversation ??= new ChatConversation { Channel = OutboxChannels.Teams, ConversationId = id, CreatedAt = Now };
        var before = Snapshot(conversation);
        conversation.ConversationType = activity.ConversationType;
        conversation.ServiceUrl = activity.ServiceUrl;
        conversation.TenantId = activity.TenantId ?? conversation.TenantId;
        conversation.TeamId = activity.ChannelData?.Team?.Id ?? conversation.TeamId;
        conversation.BotId = activity.Recipient?.Id ?? conversation.BotId;
        conversation.Name = activity.ChannelData?.Channel?.Name ?? activity.ChannelData?.Team?.Name ?? activity.Conversation.Name ?? conversation.Name;
        if (personal && activity.From?.Id is { Length: > 0 } userId && userId != activity.Recipient?.Id)
        {
            conversation.UserId = userId;
            conversation.PersonId = person?.Id ?? conversation.PersonId;
        }
        if (!isNew && before == Snapshot(conversation))
        {
            return conversation;
        }
        conversation.UpdatedAt = Now;
        if (isNew)
        {
            db.Conversations.Add(conversation);
        }
        try
        {
            await db.SaveChangesAsync(ct);
            if (isNew)
            {
                logger.LogInformation("Teams conversation {Id} ({Type}) stored", id, conversation.ConversationType);
            }
        }
        catch (DbUpdateException ex)
        {
            // Two first messages at once: the other request stored it; theirs is as good as ours.
            logger.LogDebug(ex, "Teams conversation {Id} stored concurrently", id);
            db.ChangeTracker.Clear();
            conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Channel == OutboxChannels.Teams && c.ConversationId == id, ct);
        }
        return conversation;
    }

    private static string Snapshot(ChatConversation c) =>
        string.Join('|', c.ConversationType, c.ServiceUrl, c.TenantId, c.TeamId, c.BotId, c.Name, c.UserId, c.PersonId);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
