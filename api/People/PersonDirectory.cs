using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Outbox;
using TheModel.Api.Store;

namespace TheModel.Api.People;

/// <summary>A chat user as their platform describes them: the platform, and the ids and profile it gave.</summary>
public sealed record ChatUser(ChatPlatform Channel, string UserId, string? AadObjectId = null, string? Name = null, string? Email = null, string? Locale = null)
{
    /// <summary>The id a person gives an admin to be added: Teams the Entra object id, Slack the user id.</summary>
    public string PlatformId => Channel == ChatPlatform.Teams && !string.IsNullOrWhiteSpace(AadObjectId) ? AadObjectId : UserId;
}

/// <summary>
/// Who a person is and what they may do: the one home of the rules every adapter (REST, Teams, Slack) asks.
/// Adapters translate their payloads and call it; they do not decide.
/// </summary>
public sealed class PersonDirectory(TheModelDb db, TimeProvider time, IOptionsMonitor<AdminOptions> admins, ILogger<PersonDirectory> logger)
{
    // Compiled once: every chat message and click runs one of them.
    private static readonly Func<TheModelDb, string, CancellationToken, Task<Person?>> BySlackId =
        EF.CompileAsyncQuery((TheModelDb db, string id, CancellationToken _) => db.People.FirstOrDefault(p => p.SlackUserId == id));

    private static readonly Func<TheModelDb, string, CancellationToken, Task<Person?>> ByAad =
        EF.CompileAsyncQuery((TheModelDb db, string aad, CancellationToken _) => db.People.FirstOrDefault(p => p.TeamsAadObjectId == aad));

    private static readonly Func<TheModelDb, string, CancellationToken, Task<Person?>> ByTeamsUserId =
        EF.CompileAsyncQuery((TheModelDb db, string id, CancellationToken _) => db.People.FirstOrDefault(p => p.TeamsUserId == id));

    /// <summary>
    /// The person behind a platform id, without writing anything: Slack by user id; Teams by Entra object id, else by
    /// the Teams user id stored when they were first seen.
    /// </summary>
    public async Task<Person?> FindAsync(ChatPlatform channel, string userId, string? aadObjectId, CancellationToken ct)
    {
        switch (channel)
        {
            case ChatPlatform.Slack when !string.IsNullOrEmpty(userId):
                return await BySlackId(db, userId, ct);
            case ChatPlatform.Teams:
                if (!string.IsNullOrWhiteSpace(aadObjectId) && await ByAad(db, aadObjectId, ct) is { } byAad)
                {
                    return byAad;
                }
                return string.IsNullOrEmpty(userId) ? null : await ByTeamsUserId(db, userId, ct);
            default:
                return null;
        }
    }

    /// <summary>
    /// The person behind a chat user, linking on first sight: Teams fills in the Teams user id of the person with that
    /// Entra object id; Slack ties an unlinked person to the Slack id when the email Slack gives is theirs. Never adds
    /// a person (an unknown user stays unknown) and never re-binds an identity that is already someone's.
    /// </summary>
    public async Task<Person?> RecognizeAsync(ChatUser user, CancellationToken ct)
    {
        var person = await FindAsync(user.Channel, user.UserId, user.AadObjectId, ct);
        if (user.Channel == ChatPlatform.Teams)
        {
            if (person is not null && !string.IsNullOrEmpty(user.UserId) && person.TeamsUserId != user.UserId
                && !string.IsNullOrWhiteSpace(user.AadObjectId) && person.TeamsAadObjectId == user.AadObjectId)
            {
                person.TeamsUserId = user.UserId;
                person.UpdatedAt = Now;
                await db.SaveChangesAsync(ct);
            }
            return person;
        }
        if (person is not null || user.Channel != ChatPlatform.Slack || string.IsNullOrWhiteSpace(user.Email))
        {
            return person;
        }
        var lower = user.Email.Trim().ToLowerInvariant();
        person = await db.People.FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == lower, ct);
        if (person is null)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(person.SlackUserId))
        {
            // The directory already ties this email to another Slack account: do not guess.
            logger.LogWarning("Slack user {SlackUserId} has the email of {PersonId}, who is linked to {Other}", user.UserId, person.Id, person.SlackUserId);
            return null;
        }
        person.SlackUserId = user.UserId;
        person.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Linked Slack user {SlackUserId} to {PersonId} by email", user.UserId, person.Id);
        return person;
    }

    // May this person … ------------------------------------------------------------------------------------------

    /// <summary>Figures, leads, queues, the digest: people in the directory.</summary>
    public static bool MayRead(Person? person) => person is not null;

    /// <summary><c>link &lt;dept&gt;</c>: an admin or that department's manager; <c>link digest</c> (null): an admin or any manager.</summary>
    public bool MayLink(Person? person, Department? department) => department is { } d
        ? ManagesDepartment(person, d)
        : person is not null && RoleOf(person) is PersonRole.Admin or PersonRole.Manager;

    /// <summary>Approve or decline a join request to <paramref name="department"/>: an admin or that department's manager.</summary>
    public bool MayDecideJoin(Person? person, Department department) => ManagesDepartment(person, department);

    /// <summary>The role in force: <c>Admin:Emails</c> makes an admin whatever the row says (the row catches up at the next add or update).</summary>
    public PersonRole RoleOf(Person person) =>
        admins.CurrentValue.IsAdminEmail(person.Email) ? PersonRole.Admin : person.Role;

    public bool IsAdmin(Person? person) => person is not null && RoleOf(person) == PersonRole.Admin;

    /// <summary>A manager manages their own department; an admin every department.</summary>
    public bool ManagesDepartment(Person? person, Department department) => person is not null && RoleOf(person) switch
    {
        PersonRole.Admin => true,
        PersonRole.Manager => person.Department == department,
        _ => false,
    };

    /// <summary>A manager manages their department's people and whoever names them as <c>managerId</c>.</summary>
    public bool Manages(Person? manager, Person person) => manager is not null && manager.Id != person.Id && RoleOf(manager) switch
    {
        PersonRole.Admin => true,
        PersonRole.Manager => person.Department == manager.Department || person.ManagerId == manager.Id,
        _ => false,
    };

    /// <summary>Sets the role and records the change as an event (who, when, old → new); saved with the caller's unit of work.</summary>
    public bool SetRole(Person person, PersonRole role, Actor actor)
    {
        var old = person.Role;
        if (old == role)
        {
            return false;
        }
        person.Role = role;
        var now = time.GetUtcNow().UtcDateTime;
        person.UpdatedAt = now;
        db.Record(Guid.Empty, LeadEventType.RoleChanged, now, actor, reason: $"{person.Name}: {old.Name()} → {role.Name()}",
            department: person.Department, data: new { personId = person.Id, name = person.Name, from = old.Name(), to = role.Name() });
        logger.LogInformation("Role of {PersonId} ({Name}) changed from {Old} to {New} by {Actor}", person.Id, person.Name, old.Name(), role.Name(), actor.Name);
        return true;
    }

    /// <summary>
    /// Whenever a person is added or updated: the role asked for (null = keep), except that an email in
    /// <c>Admin:Emails</c> makes them an admin.
    /// </summary>
    public void AssignRole(Person person, PersonRole? requested, Actor actor) =>
        SetRole(person, admins.CurrentValue.IsAdminEmail(person.Email) ? PersonRole.Admin : requested ?? person.Role, actor);

    /// <summary>The admins' names, for "whom to ask" (the configured emails first; none → empty).</summary>
    public async Task<IReadOnlyList<string>> AdminNamesAsync(CancellationToken ct)
    {
        return await Admins().Select(p => p.Name).Take(5).ToListAsync(ct);
    }

    /// <summary>The department's managers (and the configured admins when it has none), to whom its join requests go.</summary>
    public async Task<IReadOnlyList<Person>> ManagersOfAsync(Department department, CancellationToken ct)
    {
        var managers = await db.People.AsNoTracking().Where(p => p.Department == department && p.Role == PersonRole.Manager).OrderBy(p => p.Name).ToListAsync(ct);
        if (managers.Count > 0)
        {
            return managers;
        }
        return await Admins().ToListAsync(ct);
    }

    /// <summary>The admins (by role or by <c>Admin:Emails</c>), by name: whom to tell when something needs one.</summary>
    public async Task<IReadOnlyList<Person>> AdminsAsync(CancellationToken ct) => await Admins().ToListAsync(ct);

    /// <summary>Admins by role or by <c>Admin:Emails</c>, by name.</summary>
    private IQueryable<Person> Admins()
    {
        var emails = (admins.CurrentValue.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).ToList();
        return db.People.AsNoTracking()
            .Where(p => p.Role == PersonRole.Admin || (p.Email != null && emails.Contains(p.Email.ToLower())))
            .OrderBy(p => p.Name);
    }

    // Join requests ----------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>join &lt;dept&gt;</c> from a chat user: a pending request for the department's managers, added to the unit of
    /// work (the caller saves it with the cards it queues). Someone already in the directory is never moved, and an
    /// email that is already someone else's files nothing.
    /// </summary>
    public async Task<JoinFiling> FileJoinRequestAsync(ChatUser user, Department department, CancellationToken ct)
    {
        if (await FindAsync(user.Channel, user.UserId, user.AadObjectId, ct) is { } known)
        {
            return new JoinFiling(JoinFilingStatus.AlreadyInDirectory, null, known);
        }
        if (!string.IsNullOrWhiteSpace(user.Email))
        {
            var lower = user.Email.Trim().ToLowerInvariant();
            if (await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == lower, ct) is { } byEmail)
            {
                // Theirs, not yet linked on this platform (first-seen linking does that), or someone else's account.
                var linkedElsewhere = user.Channel == ChatPlatform.Slack ? !string.IsNullOrEmpty(byEmail.SlackUserId) : !string.IsNullOrEmpty(byEmail.TeamsAadObjectId);
                return new JoinFiling(linkedElsewhere ? JoinFilingStatus.EmailTaken : JoinFilingStatus.AlreadyInDirectory, null, byEmail);
            }
        }
        var pending = await db.JoinRequests.FirstOrDefaultAsync(r => r.Channel == user.Channel && r.UserId == user.UserId && r.State == JoinRequestState.Pending, ct);
        if (pending is not null)
        {
            return new JoinFiling(JoinFilingStatus.AlreadyRequested, pending, null);
        }
        var request = new JoinRequest
        {
            Channel = user.Channel,
            UserId = user.UserId,
            AadObjectId = string.IsNullOrWhiteSpace(user.AadObjectId) ? null : user.AadObjectId,
            Name = Clip(FirstNonEmpty(user.Name, user.Email, user.UserId), InputLimits.Name),
            Email = string.IsNullOrWhiteSpace(user.Email) || user.Email.Trim().Length > InputLimits.Email ? null : user.Email.Trim(),
            Locale = string.IsNullOrWhiteSpace(user.Locale) || user.Locale.Length > 20 ? null : user.Locale,
            Department = department,
            RequestedAt = Now,
        };
        db.JoinRequests.Add(request);
        logger.LogInformation("{Channel} user {UserId} asked to join {Department} (request {RequestId})", user.Channel.Key(), user.UserId, department, request.Id);
        return new JoinFiling(JoinFilingStatus.Filed, request, null);
    }

    /// <summary>A pending request by the code a manager typed (<see cref="JoinRequest.Code"/>) or by its full id.</summary>
    public async Task<JoinRequest?> FindJoinRequestAsync(string codeOrId, CancellationToken ct)
    {
        if (Guid.TryParse(codeOrId, out var id))
        {
            return await db.JoinRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        }
        var code = codeOrId.Trim().ToLowerInvariant();
        // Few requests are ever pending: the code is matched in memory.
        var pending = await db.JoinRequests.AsNoTracking().Where(r => r.State == JoinRequestState.Pending).ToListAsync(ct);
        return pending.SingleOrDefault(r => r.Code == code);
    }

    /// <summary>
    /// Approve (adds the person: department, platform id, name, email) or decline a join request. Only an admin or a
    /// manager of the request's department may; anyone else changes nothing.
    /// </summary>
    public async Task<JoinDecision> DecideJoinRequestAsync(Guid requestId, Person? decider, bool approve, CancellationToken ct)
    {
        var request = await db.JoinRequests.FirstOrDefaultAsync(r => r.Id == requestId, ct);
        if (request is null)
        {
            return new JoinDecision(JoinDecisionStatus.NotFound, null, null);
        }
        if (!MayDecideJoin(decider, request.Department))
        {
            logger.LogInformation("Join request {RequestId} not decided: {Decider} may not decide joins to {Department}",
                request.Id, decider?.Id.ToString() ?? "someone not in the directory", request.Department);
            return new JoinDecision(JoinDecisionStatus.NotYours, request, null);
        }
        if (request.State != JoinRequestState.Pending)
        {
            var added = request.PersonId is { } id ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) : null;
            return new JoinDecision(JoinDecisionStatus.AlreadyDecided, request, added);
        }
        request.State = approve ? JoinRequestState.Approved : JoinRequestState.Declined;
        request.DecidedAt = Now;
        request.DecidedById = decider!.Id;
        Person? person = null;
        if (approve)
        {
            person = new Person
            {
                Name = request.Name,
                Email = request.Email,
                Department = request.Department,
                Locale = request.Locale ?? "ja-JP",
                CreatedAt = Now,
                UpdatedAt = Now,
            };
            if (request.Channel == ChatPlatform.Teams)
            {
                person.TeamsUserId = request.UserId;
                person.TeamsAadObjectId = request.AadObjectId;
            }
            else
            {
                person.SlackUserId = request.UserId;
            }
            db.People.Add(person);
            AssignRole(person, null, Actor.Person(decider.Id, decider.Name));
            request.PersonId = person.Id;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // The identity or email was given to someone else since the request was filed.
            logger.LogWarning(ex, "Join request {RequestId} could not add its person: an identity is taken", request.Id);
            db.DiscardChanges();
            return new JoinDecision(JoinDecisionStatus.IdentityTaken, request, null);
        }
        logger.LogInformation("Join request {RequestId} ({Channel} user {UserId} → {Department}) {State} by {DeciderId}",
            request.Id, request.Channel.Key(), request.UserId, request.Department, request.State, decider.Id);
        return new JoinDecision(JoinDecisionStatus.Done, request, person);
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() ?? "";

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}

public enum JoinFilingStatus
{
    Filed,
    AlreadyRequested,
    AlreadyInDirectory,
    /// <summary>The email given is a directory person's who is linked to another account on this platform.</summary>
    EmailTaken,
}

public sealed record JoinFiling(JoinFilingStatus Status, JoinRequest? Request, Person? Person);

public enum JoinDecisionStatus
{
    Done,
    NotFound,
    NotYours,
    AlreadyDecided,
    IdentityTaken,
}

public sealed record JoinDecision(JoinDecisionStatus Status, JoinRequest? Request, Person? Person);
