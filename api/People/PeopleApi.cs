using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Store;

namespace TheModel.Api.People;

public sealed record PersonInput(
    Guid? Id,
    string? Name,
    string? Email,
    string? Department,
    Guid? ManagerId,
    int? Capacity,
    bool? Available,
    string? Locale,
    string? TimeZone,
    string? TeamsAadObjectId,
    string? TeamsUserId,
    string? SlackUserId,
    string? Role = null);

public sealed record PersonView(Guid Id, string Name, string? Email, Department Department, Guid? ManagerId, int Capacity, bool Available,
    string Locale, string TimeZone, string? TeamsAadObjectId, string? TeamsUserId, string? SlackUserId, DateTime? LastAssignedAt,
    DateTime CreatedAt, DateTime UpdatedAt, string Role)
{
    public static PersonView Of(Person p) => new(p.Id, p.Name, p.Email, p.Department, p.ManagerId, p.Capacity, p.Available, p.Locale,
        p.TimeZone, p.TeamsAadObjectId, p.TeamsUserId, p.SlackUserId, p.LastAssignedAt, p.CreatedAt, p.UpdatedAt, p.Role.Name());
}

public static class PeopleApi
{
    public const int MaxCapacity = 1000;

    /// <summary><c>GET/PUT /api/people</c> (upsert by id or email) and <c>GET/PUT /api/people/{id}</c>.</summary>
    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        var (reads, writes) = app.MapScopedGroups("/api/people", "People");
        reads.MapGet("/", ListAsync);
        reads.MapGet("/{id:guid}", GetAsync);

        writes.MapPut("/", (PersonInput input, ClaimsPrincipal user, TheModelDb db, PersonDirectory directory, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
            UpsertAsync(input.Id, input, user, db, directory, time, logs, ct));
        writes.MapPut("/{id:guid}", (Guid id, PersonInput input, ClaimsPrincipal user, TheModelDb db, PersonDirectory directory, TimeProvider time, ILoggerFactory logs, CancellationToken ct) =>
            UpsertAsync(id, input, user, db, directory, time, logs, ct));
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<PersonView>>, ValidationProblem>> ListAsync(TheModelDb db, string? department, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filter = errors.Enum<Department>("department", department);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var query = db.People.AsNoTracking();
        if (filter is { } d)
        {
            query = query.Where(p => p.Department == d);
        }
        var people = await query.OrderBy(p => p.Department).ThenBy(p => p.Name).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<PersonView>>(people.Select(PersonView.Of).ToList());
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> GetAsync(Guid id, TheModelDb db, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return person is null
            ? TypedResults.Problem($"No person with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
            : TypedResults.Ok(PersonView.Of(person));
    }

    /// <summary>
    /// Creates or updates a person: by id when given, else by email. Absent optional fields keep their value. A role or
    /// a chat identity is who may act in chat as whom: only an <c>admin</c> key changes them.
    /// </summary>
    private static async Task<Results<Created<PersonView>, Ok<PersonView>, ValidationProblem, ProblemHttpResult>> UpsertAsync(
        Guid? id, PersonInput input, ClaimsPrincipal user, TheModelDb db, PersonDirectory directory, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var errors = new FieldErrors();
        errors.Required("name", input.Name, InputLimits.Name);
        errors.Email("email", input.Email);
        var department = errors.Enum<Department>("department", input.Department, required: true);
        if (input.Capacity is < 0 or > MaxCapacity)
        {
            errors.Add("capacity", $"capacity must be between 0 and {MaxCapacity}.");
        }
        errors.MaxLength("locale", input.Locale, 20);
        errors.MaxLength("timeZone", input.TimeZone, 64);
        if (input.TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            errors.Add("timeZone", $"'{zone}' is not a known time zone (use an IANA id such as Asia/Tokyo).");
        }
        errors.MaxLength("teamsAadObjectId", input.TeamsAadObjectId, 64);
        errors.MaxLength("teamsUserId", input.TeamsUserId, 200);
        errors.MaxLength("slackUserId", input.SlackUserId, 64);
        var role = errors.Enum<PersonRole>("role", input.Role);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var email = string.IsNullOrWhiteSpace(input.Email) ? null : input.Email.Trim();
        var person = id is { } byId
            ? await db.People.FirstOrDefaultAsync(p => p.Id == byId, ct)
            : email is not null ? await db.People.FirstOrDefaultAsync(p => p.Email == email, ct) : null;
        var created = person is null;
        var personId = person?.Id ?? id ?? Guid.CreateVersion7();

        if (input.ManagerId is { } managerId)
        {
            if (managerId == personId)
            {
                errors.Add("managerId", "A person cannot be their own manager.");
            }
            else if (!await db.People.AnyAsync(p => p.Id == managerId, ct))
            {
                errors.Add("managerId", $"No person with id {managerId}; add the manager first.");
            }
        }
        var slack = Blank(input.SlackUserId);
        var aad = Blank(input.TeamsAadObjectId);
        var teamsUser = Blank(input.TeamsUserId);
        if (!user.HasClaim("scope", ApiScopes.Admin)
            && ChangedAdminFields(person, role, aad, teamsUser, slack) is { Count: > 0 } changed)
        {
            logs.CreateLogger(typeof(PeopleApi)).LogInformation("403 for PUT /api/people: key {Key} may not change {Fields}", user.Identity?.Name, string.Join(", ", changed));
            return TypedResults.Problem(
                $"Changing {string.Join(", ", changed)} needs an API key with the admin scope; the key '{user.Identity?.Name}' has write. Nothing was changed.",
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        // The identities are unique: say which one clashes instead of failing on the index.
        if (email is not null && await db.People.AnyAsync(p => p.Email == email && p.Id != personId, ct))
        {
            errors.Add("email", $"{email} already belongs to another person.");
        }
        if (slack is not null && await db.People.AnyAsync(p => p.SlackUserId == slack && p.Id != personId, ct))
        {
            errors.Add("slackUserId", $"{slack} already belongs to another person.");
        }
        if (aad is not null && await db.People.AnyAsync(p => p.TeamsAadObjectId == aad && p.Id != personId, ct))
        {
            errors.Add("teamsAadObjectId", $"{aad} already belongs to another person.");
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (person is null)
        {
            person = new Person { Id = personId, CreatedAt = now };
            db.People.Add(person);
        }
        person.Name = input.Name!.Trim();
        person.Email = email ?? person.Email;
        person.Department = department!.Value;
        person.ManagerId = input.ManagerId ?? person.ManagerId;
        person.Capacity = input.Capacity ?? person.Capacity;
        person.Available = input.Available ?? person.Available;
        person.Locale = Blank(input.Locale) ?? person.Locale;
        person.TimeZone = Blank(input.TimeZone) ?? person.TimeZone;
        person.TeamsAadObjectId = aad ?? person.TeamsAadObjectId;
        person.TeamsUserId = teamsUser ?? person.TeamsUserId;
        person.SlackUserId = slack ?? person.SlackUserId;
        person.UpdatedAt = now;
        directory.AssignRole(person, role, user.ApiActor());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return TypedResults.Problem("Another request just saved a person with the same email or chat identity.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }
        logs.CreateLogger(typeof(PeopleApi)).LogInformation("{Change} person {Id} ({Name}, {Department})",
            created ? "Added" : "Updated", person.Id, person.Name, person.Department);
        var view = PersonView.Of(person);
        return created ? TypedResults.Created($"/api/people/{person.Id}", view) : TypedResults.Ok(view);
    }

    /// <summary>The admin-only fields this input would change (a new person has none of them yet).</summary>
    private static List<string> ChangedAdminFields(Person? person, PersonRole? role, string? aad, string? teamsUser, string? slack)
    {
        var changed = new List<string>();
        if (role is { } r && r != (person?.Role ?? PersonRole.Member))
        {
            changed.Add("role");
        }
        if (aad is not null && aad != person?.TeamsAadObjectId)
        {
            changed.Add("teamsAadObjectId");
        }
        if (teamsUser is not null && teamsUser != person?.TeamsUserId)
        {
            changed.Add("teamsUserId");
        }
        if (slack is not null && slack != person?.SlackUserId)
        {
            changed.Add("slackUserId");
        }
        return changed;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
