using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Routing;

/// <summary>Who gets it, by which rule, and the facts that rule went on; <see cref="Reason"/> is them in English.</summary>
public sealed record RoutingDecision(Guid? AssigneeId, RoutingRule Rule, RoutingFacts Facts)
{
    public string Reason => RoutingReasonTexts.Render(Rule, Facts, "en");
}

/// <summary>
/// Chooses who gets a handoff: the account owner when the company domain already has one in the target
/// department; else round robin among available members under capacity, least recently assigned first
/// (so nobody falls behind because of list order); else the department queue.
/// </summary>
public sealed class Router
{
    private readonly TheModelDb db;
    private readonly TimeProvider time;

    public Router(TheModelDb db, TimeProvider time)
    {
        this.db = db;
        this.time = time;
        unsaved = db.CacheUntilSaved<Guid, (DateTime At, int Added)>();
        stored = db.CacheUntilSaved<Department, List<Candidate>>();
        owned = db.CacheUntilSaved<(Department, string), List<OwnedLead>>();
    }

    /// <summary>
    /// Assignments made in this unit of work and not yet saved (a batch intake routes many leads before its one
    /// SaveChanges): the store does not know them yet, so without this every lead of a batch would go to the same person.
    /// </summary>
    private readonly Dictionary<Guid, (DateTime At, int Added)> unsaved;

    /// <summary>The department's members as the store had them at the first routing of this unit of work.</summary>
    private readonly Dictionary<Department, List<Candidate>> stored;

    /// <summary>
    /// The stored leads with an owner in a department, by company domain, as read in this unit of work (ownership only
    /// changes on a decision, which saves). Lets a batch read every domain it needs in one query instead of one per lead.
    /// </summary>
    private readonly Dictionary<(Department, string), List<OwnedLead>> owned;

    /// <summary>Reads the account owners of <paramref name="domains"/> in one round trip, for the routings that follow.</summary>
    public async Task PrimeAccountOwnersAsync(IEnumerable<string?> domains, Department to, CancellationToken ct = default)
    {
        var wanted = domains.OfType<string>().Where(d => d.Length > 0 && !owned.ContainsKey((to, d))).Distinct().ToList();
        if (wanted.Count == 0)
        {
            return;
        }
        var rows = await OwnedLeads(to, db.Leads.Where(l => wanted.Contains(l.Domain!))).ToListAsync(ct);
        foreach (var domain in wanted)
        {
            owned[(to, domain)] = [];
        }
        foreach (var row in rows)
        {
            owned[(to, row.Domain)].Add(row);
        }
    }

    private IQueryable<OwnedLead> OwnedLeads(Department to, IQueryable<Lead> leads) =>
        leads.AsNoTracking()
            .Where(l => l.Domain != null && l.OwnerId != null)
            .Join(db.People.Where(p => p.Department == to), l => l.OwnerId, p => p.Id, (l, p) => new OwnedLead(l.Domain!, l.Id, p.Id, l.UpdatedAt));

    public async Task<RoutingDecision> RouteAsync(Lead lead, Department to, IReadOnlyCollection<Guid> exclude, CancellationToken ct = default)
    {
        if (!stored.TryGetValue(to, out var fromStore))
        {
            stored[to] = fromStore = await db.People.AsNoTracking()
                .Where(p => p.Department == to)
                .Select(p => new Candidate(p.Id, p.Name, p.Available, p.Capacity, p.LastAssignedAt,
                    db.Handoffs.Count(h => h.AssigneeId == p.Id && h.State == HandoffState.Offered)))
                .ToListAsync(ct);
            if (fromStore.Count > 1)
            {
                // Tracked in one round trip: the assignments below (and the assignees' chat targets) then find them
                // in the unit of work instead of reading one person at a time.
                await db.People.Where(p => p.Department == to).LoadAsync(ct);
            }
        }
        var members = fromStore
            .Select(c => unsaved.TryGetValue(c.Id, out var u) ? c with { LastAssignedAt = u.At, Open = c.Open + u.Added } : c)
            .ToList();

        RoutingFacts passedOver = new();
        if (!string.IsNullOrEmpty(lead.Domain))
        {
            if (!owned.TryGetValue((to, lead.Domain), out var ofDomain))
            {
                owned[(to, lead.Domain)] = ofDomain = await OwnedLeads(to, db.Leads.Where(l => l.Domain == lead.Domain)).ToListAsync(ct);
            }
            // The owner of the account's most recently updated other lead.
            var ownerId = ofDomain.Where(x => x.LeadId != lead.Id).OrderByDescending(x => x.UpdatedAt).Select(x => (Guid?)x.OwnerId).FirstOrDefault();
            var owner = members.FirstOrDefault(m => m.Id == ownerId);
            if (owner is not null && !exclude.Contains(owner.Id))
            {
                if (owner.Eligible)
                {
                    return await AssignAsync(owner.Id, RoutingRule.AccountOwner, new RoutingFacts { Domain = lead.Domain }, ct);
                }
                passedOver = owner.Available
                    ? new RoutingFacts { Owner = owner.Name, OwnerOpen = owner.Open, OwnerCapacity = owner.Capacity }
                    : new RoutingFacts { Owner = owner.Name, OwnerUnavailable = true };
            }
        }

        var pool = members.Where(m => !exclude.Contains(m.Id)).ToList();
        var next = PickRoundRobin(pool);
        if (next is not null)
        {
            return await AssignAsync(next.Id, RoutingRule.RoundRobin,
                passedOver with { Department = to, Pool = pool.Count(m => m.Eligible), Open = next.Open, Capacity = next.Capacity }, ct);
        }

        return new RoutingDecision(null, RoutingRule.Queue, new RoutingFacts { Department = to, Members = members.Count });
    }

    internal static Candidate? PickRoundRobin(IEnumerable<Candidate> candidates) =>
        candidates.Where(c => c.Eligible)
            .OrderBy(c => c.LastAssignedAt ?? DateTime.MinValue)
            .ThenBy(c => c.Open)
            .ThenBy(c => c.Id)
            .FirstOrDefault();

    private async Task<RoutingDecision> AssignAsync(Guid personId, RoutingRule rule, RoutingFacts facts, CancellationToken ct)
    {
        var person = await db.People.FindAsync([personId], ct) ?? throw new InvalidOperationException($"person {personId} vanished while routing");
        var now = time.GetUtcNow().UtcDateTime;
        // Equal clocks (a batch in one instant) must still rotate: never stamp earlier than the last stamp given here.
        // Steps of a microsecond, the finest time PostgreSQL stores: finer ones would read back equal.
        var latest = unsaved.Count == 0 ? now : unsaved.Values.Max(u => u.At);
        person.LastAssignedAt = latest >= now ? latest.AddMicroseconds(1) : now;
        unsaved[personId] = (person.LastAssignedAt.Value, unsaved.GetValueOrDefault(personId).Added + 1);
        return new RoutingDecision(personId, rule, facts);
    }

    private sealed record OwnedLead(string Domain, Guid LeadId, Guid OwnerId, DateTime UpdatedAt);

    internal sealed record Candidate(Guid Id, string Name, bool Available, int Capacity, DateTime? LastAssignedAt, int Open)
    {
        public bool Eligible => Available && Open < Capacity;
    }
}
