using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Bot.HandoffCards;

/// <summary>What a handoff card is rendered from: the handoff, its lead, and the people the card names.</summary>
public sealed record HandoffCardSource(Handoff Handoff, Lead Lead, Person? Assignee, Person? Decider)
{
    /// <summary>The lead's first-contact clock for this handoff's stage, when it has one (read by <see cref="HandoffCardFactory"/>).</summary>
    public Api.Leads.ContactClock? Clock { get; init; }
    /// <summary>A recycled MQL's last Nurtured event (the card says why it is back); null otherwise.</summary>
    public NurturedBefore? Back { get; init; }

    public IReadOnlyDictionary<Guid, Person> People
    {
        get
        {
            var people = new Dictionary<Guid, Person>(2);
            if (Assignee is not null)
            {
                people[Assignee.Id] = Assignee;
            }
            if (Decider is not null)
            {
                people[Decider.Id] = Decider;
            }
            return people;
        }
    }

    /// <summary>The handoff, its lead, its assignee and who decided it, in one round trip.</summary>
    internal static readonly Func<TheModelDb, Guid, CancellationToken, Task<HandoffCardSource?>> Query =
        EF.CompileAsyncQuery((TheModelDb db, Guid id, CancellationToken _) =>
            (from h in db.Handoffs.AsNoTracking()
             where h.Id == id
             join l in db.Leads.AsNoTracking() on h.LeadId equals l.Id
             join a in db.People.AsNoTracking() on h.AssigneeId equals (Guid?)a.Id into assignees
             from a in assignees.DefaultIfEmpty()
             join d in db.People.AsNoTracking() on h.DecidedById equals (Guid?)d.Id into deciders
             from d in deciders.DefaultIfEmpty()
             select new HandoffCardSource(h, l, a, d)).FirstOrDefault());
}
