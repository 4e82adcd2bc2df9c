using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Store;

namespace TheModel.Api.Handoffs;

public sealed record HandoffView(
    Guid Id,
    Guid LeadId,
    HandoffKind Kind,
    HandoffState State,
    Department From,
    Department To,
    Guid? AssigneeId,
    RoutingRule Routing,
    string RoutingReason,
    RoutingFacts? RoutingFacts,
    DateTime OfferedAt,
    DateTime DeadlineAt,
    bool Overdue,
    DateTime? DecidedAt,
    Guid? DecidedById,
    RejectReason? RejectReason,
    string? RejectNote,
    double? ResponseBusinessHours,
    double? ResponseWallHours,
    int Attempt,
    Guid? PreviousHandoffId)
{
    public static HandoffView Of(Handoff h, DateTime now) => new(h.Id, h.LeadId, h.Kind, h.State, h.From, h.To, h.AssigneeId,
        h.Routing, RoutingReasonTexts.For(h, "en"), h.RoutingFacts, h.OfferedAt, h.DeadlineAt, h.IsOpen && h.DeadlineAt < now, h.DecidedAt, h.DecidedById,
        h.RejectReason, h.RejectNote, h.ResponseBusinessHours, h.ResponseWallHours, h.Attempt, h.PreviousHandoffId);
}

public sealed record AcceptInput(Guid? PersonId);

public sealed record RejectInput(Guid? PersonId, string? Reason, string? Note);

public sealed record ReassignInput(Guid? PersonId);

public static class HandoffsApi
{
    /// <summary><c>/api/handoffs</c>: list with filters, get, accept, reject (reason required), reassign.</summary>
    public static IEndpointRouteBuilder MapHandoffsApi(this IEndpointRouteBuilder app)
    {
        var (reads, writes) = app.MapScopedGroups("/api/handoffs", "Handoffs");
        reads.MapGet("/", ListAsync);
        reads.MapGet("/{id:guid}", GetAsync);

        writes.MapPost("/{id:guid}/accept", AcceptAsync);
        writes.MapPost("/{id:guid}/reject", RejectAsync);
        writes.MapPost("/{id:guid}/reassign", ReassignAsync);
        return app;
    }

    private static async Task<Results<Ok<Page<HandoffView>>, ValidationProblem>> ListAsync(TheModelDb db, BatonQueue batons, TimeProvider time,
        string? state, string? kind, Guid? assignee, string? department, bool? overdue, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var stateFilter = errors.Enum<HandoffState>("state", state);
        var kindFilter = errors.Enum<HandoffKind>("kind", kind);
        var departmentFilter = errors.Enum<Department>("department", department);
        var paging = Paging.From(limit, offset, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Handoffs.AsNoTracking();
        if (assignee is { } a)
        {
            // The person's batons (offers, department queue, accepted and not yet touched): the list chat and the homes show.
            var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == a, ct);
            query = person is null ? query.Where(h => false) : batons.Holding(person);
        }
        if (stateFilter is { } s)
        {
            query = query.Where(h => h.State == s);
        }
        if (kindFilter is { } k)
        {
            query = query.Where(h => h.Kind == k);
        }
        if (departmentFilter is { } d)
        {
            // The receiving department: kinds are stored, departments follow from them.
            var kinds = Enum.GetValues<HandoffKind>().Where(x => x.To() == d).ToList();
            query = query.Where(h => kinds.Contains(h.Kind));
        }
        if (overdue is true)
        {
            query = query.Where(h => h.State == HandoffState.Offered && h.DeadlineAt < now);
        }
        else if (overdue is false)
        {
            query = query.Where(h => !(h.State == HandoffState.Offered && h.DeadlineAt < now));
        }
        return TypedResults.Ok(await paging.PageAsync(query.OrderByDescending(h => h.OfferedAt).ThenBy(h => h.Id), h => HandoffView.Of(h, now), ct));
    }

    private static async Task<Results<Ok<HandoffView>, ProblemHttpResult>> GetAsync(Guid id, TheModelDb db, TimeProvider time, CancellationToken ct)
    {
        var handoff = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(h => h.Id == id, ct);
        return handoff is null ? NotFound(id) : TypedResults.Ok(HandoffView.Of(handoff, time.GetUtcNow().UtcDateTime));
    }

    private static async Task<Results<Ok<HandoffView>, ValidationProblem, ProblemHttpResult>> AcceptAsync(
        Guid id, AcceptInput input, HandoffService handoffs, TimeProvider time, CancellationToken ct)
    {
        if (input.PersonId is not { } personId)
        {
            return TypedResults.ValidationProblem(new FieldErrors().Add("personId", "personId (who accepts) is required.").ToDictionary());
        }
        return Map(id, await handoffs.AcceptAsync(id, personId, ct), time);
    }

    private static async Task<Results<Ok<HandoffView>, ValidationProblem, ProblemHttpResult>> RejectAsync(
        Guid id, RejectInput input, HandoffService handoffs, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.PersonId is null)
        {
            errors.Add("personId", "personId (who rejects) is required.");
        }
        var reason = errors.Enum<RejectReason>("reason", input.Reason, required: true);
        errors.MaxLength("note", input.Note, InputLimits.Note);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return Map(id, await handoffs.RejectAsync(id, input.PersonId!.Value, reason, input.Note, ct), time);
    }

    private static async Task<Results<Ok<HandoffView>, ValidationProblem, ProblemHttpResult>> ReassignAsync(
        Guid id, ReassignInput input, HandoffService handoffs, TheModelDb db, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        if (input.PersonId is { } personId)
        {
            // A baton goes to the receiving department; handing an IS offer to someone in FS would skip a leg of the relay.
            var kind = await db.Handoffs.Where(h => h.Id == id).Select(h => (HandoffKind?)h.Kind).FirstOrDefaultAsync(ct);
            var department = await db.People.Where(p => p.Id == personId).Select(p => (Department?)p.Department).FirstOrDefaultAsync(ct);
            if (kind is { } k && department is { } d && d != k.To())
            {
                return TypedResults.ValidationProblem(new FieldErrors()
                    .Add("personId", $"This {k} handoff goes to {k.To()}; the person is in {d}.").ToDictionary());
            }
        }
        return Map(id, await handoffs.ReassignAsync(id, input.PersonId, user.ApiActor(), ct), time);
    }

    private static Results<Ok<HandoffView>, ValidationProblem, ProblemHttpResult> Map(Guid id, DecisionOutcome outcome, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return outcome.Status switch
        {
            DecisionOutcomeStatus.Done => TypedResults.Ok(HandoffView.Of(outcome.Handoff!, now)),
            DecisionOutcomeStatus.NotFound => NotFound(id),
            DecisionOutcomeStatus.UnknownPerson => TypedResults.ValidationProblem(
                new FieldErrors().Add("personId", "No person with this id; add them with PUT /api/people first.").ToDictionary()),
            DecisionOutcomeStatus.ReasonRequired => TypedResults.ValidationProblem(
                new FieldErrors().Add("reason", $"A reason is required to reject; one of {string.Join(", ", Enum.GetNames<RejectReason>())}.").ToDictionary()),
            DecisionOutcomeStatus.NoteTooLong => TypedResults.ValidationProblem(
                new FieldErrors().Add("note", $"note must be at most {InputLimits.Note} characters.").ToDictionary()),
            DecisionOutcomeStatus.NotYours => TypedResults.Problem(
                "Only the assignee, the assignee's manager, or (for a queued handoff) a member of the receiving department may decide it.",
                statusCode: StatusCodes.Status403Forbidden, title: "Not yours"),
            _ => TypedResults.Problem(
                $"The handoff is already {outcome.Handoff?.State}.", statusCode: StatusCodes.Status409Conflict, title: "Already decided",
                extensions: new Dictionary<string, object?>
                {
                    ["state"] = outcome.Handoff?.State.ToString(),
                    ["decidedAt"] = outcome.Handoff?.DecidedAt,
                    ["decidedById"] = outcome.Handoff?.DecidedById,
                    ["assigneeId"] = outcome.Handoff?.AssigneeId,
                }),
        };
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem($"No handoff with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
