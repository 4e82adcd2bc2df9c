using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Store;

namespace TheModel.Api.People;

/// <summary>
/// Who a person is and what they may do: the one home of the rules every adapter (REST, Teams, Slack) asks.
/// Adapters translate their payloads and call it; they do not decide.
/// </summary>
public sealed class PersonDirectory(TheModelDb db, TimeProvider time, IOptionsMonitor<AdminOptions> admins, ILogger<PersonDirectory> logger)
{
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
        var emails = (admins.CurrentValue.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).ToList();
        var names = await db.People.AsNoTracking()
            .Where(p => p.Role == PersonRole.Admin || (p.Email != null && emails.Contains(p.Email.ToLower())))
            .OrderBy(p => p.Name).Select(p => p.Name).Take(5).ToListAsync(ct);
        return names;
    }

    /// <summary>The department's managers (and the configured admins when it has none), to whom its join requests go.</summary>
    public async Task<IReadOnlyList<Person>> ManagersOfAsync(Department department, CancellationToken ct)
    {
        var managers = await db.People.AsNoTracking().Where(p => p.Department == department && p.Role == PersonRole.Manager).OrderBy(p => p.Name).ToListAsync(ct);
        if (managers.Count > 0)
        {
            return managers;
        }
        var emails = (admins.CurrentValue.Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).ToList();
        return await db.People.AsNoTracking()
            .Where(p => p.Role == PersonRole.Admin || (p.Email != null && emails.Contains(p.Email.ToLower())))
            .OrderBy(p => p.Name).ToListAsync(ct);
    }
}
