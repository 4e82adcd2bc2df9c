using Microsoft.EntityFrameworkCore;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Conversations;

/// <summary>
/// The reads every card send makes, compiled once: a send runs several of them, and the outbox sends two card updates
/// per decision. Translating a LINQ query again at each call was about a fifth of a send's CPU in the profile.
/// Read-only (no tracking): senders only render from them.
/// </summary>
public static class PostedCardQueries
{
    public static readonly Func<TheModelDb, Guid, CancellationToken, Task<Person?>> Person =
        EF.CompileAsyncQuery((TheModelDb db, Guid id, CancellationToken _) => db.People.AsNoTracking().FirstOrDefault(p => p.Id == id));

    /// <summary>The copies of a handoff's card posted on one platform (with a message id: only those can be updated), oldest first.</summary>
    public static readonly Func<TheModelDb, Guid, ChatPlatform, IAsyncEnumerable<PostedCard>> PostedCopies =
        EF.CompileAsyncQuery((TheModelDb db, Guid handoffId, ChatPlatform channel) => db.PostedCards.AsNoTracking()
            .Where(p => p.HandoffId == handoffId && p.Channel == channel && p.MessageId != "").OrderBy(p => p.Id).AsQueryable());

    /// <summary>The copy an outbox row posted, if it did (a retried post never posts twice).</summary>
    public static readonly Func<TheModelDb, long, CancellationToken, Task<PostedCard?>> PostedBy =
        EF.CompileAsyncQuery((TheModelDb db, long outboxId, CancellationToken _) =>
            db.PostedCards.AsNoTracking().FirstOrDefault(p => p.OutboxMessageId == outboxId));

    /// <summary>
    /// The posted copies of one term's renewal card on a platform: recorded under the lead's id by the rows of that
    /// term's notice (a copy of an earlier term's card keeps its own outcome).
    /// </summary>
    public static Task<List<RenewalCopy>> RenewalCopies(TheModelDb db, Api.Customers.RenewalDecision decision, ChatPlatform channel, CancellationToken ct)
    {
        var prefix = Api.Customers.RenewalDecision.NoticeKeyPrefix(decision.NoticeStep, decision.LeadId);
        return (from p in db.PostedCards.AsNoTracking()
                join m in db.Outbox.AsNoTracking() on p.OutboxMessageId equals (long?)m.Id
                where p.HandoffId == decision.LeadId && p.Channel == channel && p.MessageId != ""
                    && m.Kind == Api.Outbox.OutboxKinds.RenewalNotice && m.DedupeKey.StartsWith(prefix)
                orderby p.Id
                select new RenewalCopy(p, m.Target)).ToListAsync(ct);
    }

    /// <summary>A posted copy and its notice row's target (<c>person:{guid}</c> for a direct copy).</summary>
    public sealed record RenewalCopy(PostedCard Copy, string Target);

    /// <summary>A conversation the bot knows on a platform, and whose personal chat it is (if it is one).</summary>
    public static readonly Func<TheModelDb, ChatPlatform, string, CancellationToken, Task<ConversationAndOwner?>> Conversation =
        EF.CompileAsyncQuery((TheModelDb db, ChatPlatform channel, string conversationId, CancellationToken _) =>
            (from c in db.Conversations.AsNoTracking()
             where c.Channel == channel && c.ConversationId == conversationId
             join p in db.People.AsNoTracking() on c.PersonId equals (Guid?)p.Id into owners
             from p in owners.DefaultIfEmpty()
             select new ConversationAndOwner(c, p)).FirstOrDefault());

    public sealed record ConversationAndOwner(ChatConversation Conversation, Person? Owner);
}
