using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Bot.Teams;

/// <summary>
/// Remembers where the bot can post (a conversation reference per chat or channel, with its service URL, tenant,
/// team and bot id) and who is talking (asked of the <see cref="PersonDirectory"/>). Writes only when something
/// changed, so a busy chat costs one read.
/// </summary>
public sealed class TeamsConversations(TheModelDb db, PersonDirectory directory, TimeProvider time, TeamsConversationMemo memo, ILogger<TeamsConversations> logger)
{
    /// <summary>The sender as the directory knows them (it fills in their Teams user id when first seen); never adds anyone.</summary>
    public Task<Person?> FindPersonAsync(Activity activity, CancellationToken ct) =>
        activity.From?.Id is { Length: > 0 } userId
            ? directory.RecognizeAsync(new ChatUser(ChatPlatform.Teams, userId, activity.From.AadObjectId, activity.From.Name, Locale: activity.Locale), ct)
            : Task.FromResult<Person?>(null);

    /// <summary>
    /// Upserts the conversation reference of <paramref name="activity"/>; <paramref name="person"/> owns it when personal.
    /// With <paramref name="needRow"/> false (a card click) an activity that says what this instance stored moments ago
    /// costs nothing, and nothing is returned.
    /// </summary>
    public async Task<ChatConversation?> RememberAsync(Activity activity, Person? person, CancellationToken ct, bool needRow = true)
    {
        if (activity.Conversation?.Id is not { Length: > 0 } fullId || string.IsNullOrWhiteSpace(activity.ServiceUrl))
        {
            return null;
        }
        var id = TeamsIds.BaseConversationId(fullId);
        var said = string.Join('|', activity.ConversationType, activity.ServiceUrl, activity.TenantId, activity.ChannelData?.Team?.Id,
            activity.Recipient?.Id, activity.ChannelData?.Channel?.Name, activity.ChannelData?.Team?.Name, activity.Conversation.Name,
            activity.From?.Id, person?.Id);
        if (!needRow && memo.Stored(id, said))
        {
            return null;
        }
        var stored = await StoreAsync(activity, person, id, ct);
        if (stored is not null)
        {
            memo.Remember(id, said);
        }
        return stored;
    }

    private async Task<ChatConversation?> StoreAsync(Activity activity, Person? person, string id, CancellationToken ct)
    {
        var personal = activity.IsPersonal;
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Channel == ChatPlatform.Teams && c.ConversationId == id, ct);
        var isNew = conversation is null;
        conversation ??= new ChatConversation { Channel = ChatPlatform.Teams, ConversationId = id, CreatedAt = Now };
        var before = Snapshot(conversation);
        conversation.ConversationType = activity.ConversationType;
        conversation.ServiceUrl = activity.ServiceUrl;
        conversation.TenantId = activity.TenantId ?? conversation.TenantId;
        conversation.TeamId = activity.ChannelData?.Team?.Id ?? conversation.TeamId;
        conversation.BotId = activity.Recipient?.Id ?? conversation.BotId;
        conversation.Name = activity.ChannelData?.Channel?.Name ?? activity.ChannelData?.Team?.Name ?? activity.Conversation?.Name ?? conversation.Name;
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
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two first messages at once: the other request stored it; theirs is as good as ours.
            logger.LogDebug(ex, "Teams conversation {Id} stored concurrently", id);
            db.DiscardChanges();
            conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Channel == ChatPlatform.Teams && c.ConversationId == id, ct);
        }
        return conversation;
    }

    private static string Snapshot(ChatConversation c) =>
        string.Join('|', c.ConversationType, c.ServiceUrl, c.TenantId, c.TeamId, c.BotId, c.Name, c.UserId, c.PersonId);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}

/// <summary>
/// What this instance stored per conversation a short while ago. Every click carries the conversation's reference;
/// while it says the same, the read that would find nothing to change is skipped. Entries expire, so a reference
/// changed by another instance is read again soon.
/// </summary>
public sealed class TeamsConversationMemo(TimeProvider time)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(5);
    private const int MaxConversations = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Said, DateTime At)> stored = new();

    public bool Stored(string conversationId, string said) =>
        stored.TryGetValue(conversationId, out var entry) && entry.Said == said && time.GetUtcNow().UtcDateTime - entry.At < Keep;

    public void Remember(string conversationId, string said)
    {
        if (stored.Count >= MaxConversations)
        {
            stored.Clear();
        }
        stored[conversationId] = (said, time.GetUtcNow().UtcDateTime);
    }
}
