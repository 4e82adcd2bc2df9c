using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Customers;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Leads;

public static class LeadsApi
{
    public const int MaxBatch = 1000;

    /// <summary>Intake and lookup: <c>/api/leads</c>, batch, timeline, stage changes (docs/design.md §6).</summary>
    public static IEndpointRouteBuilder MapLeadsApi(this IEndpointRouteBuilder app)
    {
        var (reads, writes) = app.MapScopedGroups("/api/leads", "Leads");
        reads.MapGet("/", ListAsync);
        reads.MapGet("/{id:guid}", GetAsync);

        writes.MapPost("/", CreateAsync);
        writes.MapPost("/batch", BatchAsync);
        writes.MapPatch("/{id:guid}", PatchAsync);
        writes.MapPost("/{id:guid}/qualify", QualifyAsync);
        writes.MapPost("/{id:guid}/won", WonAsync);
        writes.MapPost("/{id:guid}/lost", LostAsync);
        writes.MapPost("/{id:guid}/activities", ActivityAsync);
        writes.MapCustomerEvents();
        return app;
    }

    private static async Task<Results<Ok<Page<LeadView>>, ValidationProblem>> ListAsync(
        TheModelDb db, string? q, string? stage, Guid? owner, string? department, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var stageFilter = errors.Enum<LeadStage>("stage", stage);
        var departmentFilter = errors.Enum<Department>("department", department);
        var paging = Paging.From(limit, offset, errors);
        errors.MaxLength("q", q, InputLimits.SearchQuery);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var query = db.Leads.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(q))
        {
            query = query.Where(TextSearch.AnyContains<Lead>(db, q.Trim(), l => l.Email ?? "", l => l.Company, l => l.Name));
        }
        if (stageFilter is { } s)
        {
            query = query.Where(l => l.Stage == s);
        }
        if (owner is { } o)
        {
            query = query.Where(l => l.OwnerId == o);
        }
        if (departmentFilter is { } d)
        {
            query = query.Where(l => l.Department == d);
        }
        return TypedResults.Ok(await paging.PageAsync(query.OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id), l => LeadView.Of(l), ct));
    }

    private static async Task<Results<Ok<LeadTimeline>, ProblemHttpResult>> GetAsync(Guid id, TheModelDb db, TimeProvider time, CancellationToken ct)
    {
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
        if (lead is null)
        {
            return LeadNotFound(id);
        }
        var events = await db.Events.AsNoTracking().Where(e => e.LeadId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var handoffs = await db.Handoffs.AsNoTracking().Where(h => h.LeadId == id).OrderBy(h => h.OfferedAt).ToListAsync(ct);
        var activities = await db.Activities.AsNoTracking().Where(a => a.LeadId == id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var personIds = activities.Select(a => a.PersonId).OfType<Guid>().Distinct().ToList();
        var names = personIds.Count == 0 ? new Dictionary<Guid, string>()
            : await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var now = time.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new LeadTimeline(LeadView.Of(lead), events.Select(EventView.Of).ToList(),
            handoffs.Select(h => HandoffView.Of(h, now)).ToList())
        {
            Activities = activities.Select(a => ActivityView.Of(a, a.PersonId is { } p ? names.GetValueOrDefault(p) : null)).ToList(),
        });
    }

    private static async Task<Results<Created<LeadView>, Ok<LeadView>, ValidationProblem>> CreateAsync(
        LeadInput input, LeadIntake intake, TheModelDb db, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        input.Validate(errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var result = (await IntakeAndSaveAsync(intake, db, [input], user.ApiActor(), ct))[0];
        var view = LeadView.Of(result.Lead, result.Offered, time.GetUtcNow().UtcDateTime);
        return result.Created ? TypedResults.Created($"/api/leads/{result.Lead.Id}", view) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<LeadBatchResult>, ValidationProblem>> BatchAsync(
        LeadBatchInput input, LeadIntake intake, TheModelDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var leads = input.Leads;
        if (leads is null || leads.Count == 0)
        {
            errors.Add("leads", "leads is required: an array of 1 to 1000 leads.");
        }
        else if (leads.Count > MaxBatch)
        {
            errors.Add("leads", $"A batch holds at most {MaxBatch} leads; this one has {leads.Count}. Split it.");
        }
        else
        {
            // Validate every lead before touching the store: the batch is all-or-nothing.
            for (var i = 0; i < leads.Count; i++)
            {
                if (leads[i] is { } lead)
                {
                    lead.Validate(errors, $"leads[{i}].");
                }
                else
                {
                    errors.Add($"leads[{i}]", "A lead is required here (got null).");
                }
            }
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), detail: "Nothing was stored.");
        }
        var results = await IntakeAndSaveAsync(intake, db, leads!.OfType<LeadInput>().ToList(), user.ApiActor(), ct);
        var items = results.Select((r, i) => new LeadBatchItem(i, r.Lead.Id, r.Lead.ExternalId, r.Created, r.Lead.Stage,
            r.Offered?.Id, r.Offered?.AssigneeId)).ToList();
        return TypedResults.Ok(new LeadBatchResult(results.Count(r => r.Created), results.Count(r => !r.Created),
            results.Count(r => r.Offered is not null), items));
    }

    /// <summary>
    /// One SaveChanges for the whole intake. When another request created (or changed) the same externalId between
    /// our read and our write, the unique index (or the lead's version) refuses ours; run once more on fresh state.
    /// </summary>
    private static async Task<IReadOnlyList<IntakeResult>> IntakeAndSaveAsync(
        LeadIntake intake, TheModelDb db, IReadOnlyList<LeadInput> inputs, Common.Actor actor, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var results = await intake.IntakeAsync(inputs, actor, ct);
                await db.SaveChangesAsync(ct);
                return results;
            }
            catch (DbUpdateException ex) when (attempt == 0 && (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation()))
            {
                db.DiscardChanges();
            }
        }
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        Guid id, LeadPatch patch, LeadStageChanges changes, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        patch.Validate(errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return Map(id, await changes.PatchAsync(id, patch, user.ApiActor(), ct), time);
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> QualifyAsync(
        Guid id, BantInput bant, LeadStageChanges changes, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        bant.Validate(errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), detail: "An SQL needs all four of BANT: budget, authority, need, timeline.");
        }
        return Map(id, await changes.QualifyAsync(id, bant, user.ApiActor(), ct), time);
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> WonAsync(
        Guid id, WonInput input, LeadStageChanges changes, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        if (input.Amount is not > 0)
        {
            return TypedResults.ValidationProblem(new FieldErrors().Add("amount", "amount is required and must be greater than 0.").ToDictionary());
        }
        if (CustomerLifecycle.TermProblem(input.TermMonths) is { } term)
        {
            return TypedResults.ValidationProblem(new FieldErrors().Add("termMonths", term).ToDictionary());
        }
        return Map(id, await changes.WinAsync(id, input.Amount.Value, user.ApiActor(), ct, input.TermMonths), time);
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> LostAsync(
        Guid id, LostInput input, LeadStageChanges changes, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("reason", input.Reason, InputLimits.LostReason);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return Map(id, await changes.LoseAsync(id, input.Reason!, user.ApiActor(), ct), time);
    }

    private static async Task<IResult> ActivityAsync(Guid id, ActivityInput input, LeadStageChanges changes, LeadActivities activities,
        TheModelDb db, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        if (!input.IsTouch)
        {
            return await NoteAsync(id, input, changes, user, time, ct);
        }
        var errors = new FieldErrors();
        var kind = LeadActivities.ParseKind(input.Kind);
        if (kind is null)
        {
            errors.Add("kind", input.Kind is null ? $"kind is required; one of {string.Join(", ", LeadActivities.KindNames)}."
                : $"'{input.Kind}' is not one of {string.Join(", ", LeadActivities.KindNames)}.");
        }
        var outcome = LeadActivities.ParseOutcome(input.Outcome);
        if (outcome is null)
        {
            errors.Add("outcome", input.Outcome is null ? $"outcome is required; one of {string.Join(", ", LeadActivities.OutcomeNames)}."
                : $"'{input.Outcome}' is not one of {string.Join(", ", LeadActivities.OutcomeNames)}.");
        }
        DateTimeOffset? at = null;
        if (input.At is not null)
        {
            if (DateTimeOffset.TryParse(input.At, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                at = parsed;
            }
            else
            {
                errors.Add("at", $"'{input.At}' is not a date and time (ISO 8601, e.g. 2026-12-08T06:00:00Z).");
            }
        }
        Guid? personId = null;
        if (input.PersonId is not null)
        {
            if (Guid.TryParse(input.PersonId, out var pid))
            {
                personId = pid;
            }
            else
            {
                errors.Add("personId", $"'{input.PersonId}' is not a person id.");
            }
        }
        errors.MaxLength("note", input.Note, InputLimits.Note);
        errors.MaxLength("externalId", input.ExternalId, InputLimits.ExternalId);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), detail: "Nothing was stored.");
        }
        var result = await activities.RecordAsync(
            new ActivityRequest(id, personId, kind!.Value, outcome!.Value, user.ApiActor(), at, input.Note, input.ExternalId), ct);
        switch (result.Status)
        {
            case ActivityStatus.Created:
            case ActivityStatus.Duplicate:
                var activity = result.Activity!;
                var person = activity.PersonId is { } p
                    ? await db.People.AsNoTracking().Where(x => x.Id == p).Select(x => x.Name).FirstOrDefaultAsync(ct)
                    : null;
                var view = ActivityView.Of(activity, person);
                return result.Status == ActivityStatus.Created
                    ? TypedResults.Created($"/api/leads/{id}", view)
                    : TypedResults.Ok(view);
            case ActivityStatus.LeadNotFound:
                return LeadNotFound(id);
            case ActivityStatus.Invalid:
                return TypedResults.ValidationProblem(new FieldErrors().Add(result.Field!, result.Detail!).ToDictionary(), detail: "Nothing was stored.");
            default:
                return TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict, title: "Concurrent change");
        }
    }

    /// <summary>A plain note (no outcome): on the timeline, keeps the lead from neglect, stops no clock.</summary>
    private static async Task<IResult> NoteAsync(Guid id, ActivityInput input, LeadStageChanges changes, ClaimsPrincipal user, TimeProvider time, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("note", input.Note, InputLimits.Note);
        errors.MaxLength("kind", input.Kind, 50);
        if (errors.Any)
        {
            if (input.Note is null)
            {
                errors.Add("outcome", $"To log a touch give kind and outcome (one of {string.Join(", ", LeadActivities.OutcomeNames)}); a plain note needs note.");
            }
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return Map(id, await changes.RecordActivityAsync(id, input.Note!, input.Kind, user.ApiActor(), ct), time);
    }

    private static Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult> Map(Guid id, LeadChange change, TimeProvider time) =>
        change.Status switch
        {
            LeadChangeStatus.Done => TypedResults.Ok(LeadView.Of(change.Lead!, change.Offered, time.GetUtcNow().UtcDateTime)),
            LeadChangeStatus.NotFound => LeadNotFound(id),
            LeadChangeStatus.Conflict => TypedResults.Problem(change.Detail, statusCode: StatusCodes.Status409Conflict, title: "Concurrent change"),
            _ => TypedResults.Problem(change.Detail, statusCode: StatusCodes.Status409Conflict, title: "Wrong stage",
                extensions: new Dictionary<string, object?> { ["stage"] = change.Lead?.Stage.ToString(), ["department"] = change.Lead?.Department.ToString() }),
        };

    private static ProblemHttpResult LeadNotFound(Guid id) =>
        TypedResults.Problem($"No lead with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
