using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Handoffs;

/// <summary>Where a baton sits in a person's list.</summary>
public enum BatonSection
{
    /// <summary>Offered to the person (or waiting in their department's queue), deadline not yet passed.</summary>
    Offer,
    /// <summary>Offered and past its deadline.</summary>
    Overdue,
    /// <summary>Accepted by the person, lead not yet touched since.</summary>
    AwaitingFirstTouch,
}

/// <summary>One line of a person's list: the handoff, its lead, and whether it waits in the department queue.</summary>
public sealed record Baton(Handoff Handoff, Lead Lead, BatonSection Section)
{
    public bool FromQueue => Handoff.AssigneeId is null;
}

/// <summary>How much one of a manager's people holds (their own batons; the department queue is everyone's).</summary>
public sealed record TeamMemberBatons(Person Person, int Offers, int Overdue, int AwaitingFirstTouch)
{
    public int Total => Offers + Overdue + AwaitingFirstTouch;
}

/// <summary>
/// A person's batons, each section ordered by deadline (offers) or acceptance (awaiting a touch) and cut at the
/// asked-for length; the totals count everything, so a view can say "and N more".
/// </summary>
public sealed record PersonBatons(
    Person Person,
    DateTime AsOf,
    IReadOnlyList<Baton> Overdue,
    int OverdueTotal,
    IReadOnlyList<Baton> Offers,
    int OffersTotal,
    IReadOnlyList<Baton> AwaitingFirstTouch,
    int AwaitingFirstTouchTotal,
    IReadOnlyList<TeamMemberBatons> Team)
{
    public int Total => OverdueTotal + OffersTotal + AwaitingFirstTouchTotal;

    /// <summary>Every baton listed, overdue first: what a view shows and a test compares.</summary>
    public IEnumerable<Baton> All => Overdue.Concat(Offers).Concat(AwaitingFirstTouch);
}

/// <summary>
/// "My batons": the one query behind <c>my queue</c>, <c>GET /api/handoffs?assignee=</c>, the Slack App Home and the
/// Teams my-batons card, so they never disagree. A person holds the offers made to them, their department's queue
/// (any member may take from it, see <see cref="Handoff.CanBeDecidedBy"/>), and what they accepted but have not
/// touched yet.
/// </summary>
public sealed class BatonQueue(TheModelDb db, TimeProvider time, PersonDirectory directory)
{
    /// <summary>Per section when the caller does not say: well within a Slack home's 100 blocks.</summary>
    public const int DefaultTake = 20;

    /// <summary>Every handoff the person holds now: what <c>?assignee=</c> filters on.</summary>
    public IQueryable<Handoff> Holding(Person person) =>
        db.Handoffs.AsNoTracking().Where(Either(OpenFor(person), AwaitingFirstTouchOf(db, [person.Id])));

    public async Task<PersonBatons> ForAsync(Person person, int take = DefaultTake, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var open = Open(person);
        var overdue = open.Where(h => h.DeadlineAt < now);
        var offers = open.Where(h => h.DeadlineAt >= now);
        var accepted = Accepted(person.Id);
        return new PersonBatons(
            person, now,
            await ListAsync(overdue.OrderBy(h => h.DeadlineAt).ThenBy(h => h.Id), BatonSection.Overdue, take, ct), await overdue.CountAsync(ct),
            await ListAsync(offers.OrderBy(h => h.DeadlineAt).ThenBy(h => h.Id), BatonSection.Offer, take, ct), await offers.CountAsync(ct),
            await ListAsync(accepted.OrderBy(h => h.DecidedAt).ThenBy(h => h.Id), BatonSection.AwaitingFirstTouch, take, ct), await accepted.CountAsync(ct),
            await TeamAsync(person, now, ct));
    }

    /// <summary>
    /// The people whose queues a manager sees: whoever names them as manager and, for a manager (or admin), the rest of
    /// their department. Members have no team.
    /// </summary>
    private async Task<IReadOnlyList<TeamMemberBatons>> TeamAsync(Person person, DateTime now, CancellationToken ct)
    {
        var me = person.Id;
        var department = person.Department;
        var manages = directory.RoleOf(person) is PersonRole.Manager or PersonRole.Admin;
        var team = await db.People.AsNoTracking()
            .Where(p => p.Id != me && (p.ManagerId == me || (manages && p.Department == department)))
            .OrderBy(p => p.Name).ToListAsync(ct);
        if (team.Count == 0)
        {
            return [];
        }
        var ids = team.Select(p => p.Id).ToList();
        var open = await db.Handoffs.AsNoTracking()
            .Where(h => h.State == HandoffState.Offered && h.AssigneeId != null && ids.Contains(h.AssigneeId.Value))
            .GroupBy(h => h.AssigneeId)
            .Select(g => new { Id = g.Key!.Value, Overdue = g.Count(h => h.DeadlineAt < now), All = g.Count() })
            .ToListAsync(ct);
        var accepted = await db.Handoffs.AsNoTracking().Where(AwaitingFirstTouchOf(db, ids))
            .GroupBy(h => h.AssigneeId)
            .Select(g => new { Id = g.Key!.Value, All = g.Count() })
            .ToListAsync(ct);
        return team.Select(p =>
        {
            var o = open.FirstOrDefault(x => x.Id == p.Id);
            var a = accepted.FirstOrDefault(x => x.Id == p.Id);
            return new TeamMemberBatons(p, (o?.All ?? 0) - (o?.Overdue ?? 0), o?.Overdue ?? 0, a?.All ?? 0);
        }).ToList();
    }

    private async Task<IReadOnlyList<Baton>> ListAsync(IQueryable<Handoff> query, BatonSection section, int take, CancellationToken ct)
    {
        var rows = await query.Take(Math.Max(0, take))
            .Join(db.Leads.AsNoTracking(), h => h.LeadId, l => l.Id, (h, l) => new { h, l })
            .ToListAsync(ct);
        return rows.Select(r => new Baton(r.h, r.l, section)).ToList();
    }

    /// <summary>Open offers to the person, and their department's queue.</summary>
    private IQueryable<Handoff> Open(Person person) => db.Handoffs.AsNoTracking().Where(OpenFor(person));

    private static Expression<Func<Handoff, bool>> OpenFor(Person person)
    {
        var id = person.Id;
        var incoming = Enum.GetValues<HandoffKind>().Where(k => k.To() == person.Department).ToList();
        return h => h.State == HandoffState.Offered && (h.AssigneeId == id || (h.AssigneeId == null && incoming.Contains(h.Kind)));
    }

    /// <summary>One predicate of two, so the store sees one WHERE (a UNION of entity queries is not always translatable).</summary>
    private static Expression<Func<Handoff, bool>> Either(Expression<Func<Handoff, bool>> a, Expression<Func<Handoff, bool>> b)
    {
        var h = a.Parameters[0];
        var right = new Rebind(b.Parameters[0], h).Visit(b.Body);
        return Expression.Lambda<Func<Handoff, bool>>(Expression.OrElse(a.Body, right), h);
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private IQueryable<Handoff> Accepted(Guid personId) => db.Handoffs.AsNoTracking().Where(AwaitingFirstTouchOf(db, [personId]));

    /// <summary>
    /// Accepted by one of <paramref name="people"/>, who still owns the lead in the stage it was handed over in, and
    /// with no activity logged on the lead since the offer (the first touch of the 24-hour rule).
    /// </summary>
    private static Expression<Func<Handoff, bool>> AwaitingFirstTouchOf(TheModelDb db, List<Guid> people) => h =>
        h.State == HandoffState.Accepted && h.AssigneeId != null && people.Contains(h.AssigneeId.Value)
        && !db.Activities.Any(a => a.LeadId == h.LeadId && a.At >= h.OfferedAt)
        && db.Leads.Any(l => l.Id == h.LeadId && l.OwnerId == h.AssigneeId
            && ((h.Kind == HandoffKind.MqlToIs && l.Stage == LeadStage.Mql)
                || (h.Kind == HandoffKind.SqlToFs && l.Stage == LeadStage.Sql)
                || (h.Kind == HandoffKind.WonToCs && l.Stage == LeadStage.Won && l.Department == Department.CS)));
}
