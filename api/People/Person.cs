namespace TheModel.Api.People;

/// <summary>A member of a department, with the identities that let chat adapters recognise them.</summary>
public sealed class Person
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public Department Department { get; set; }
    public Guid? ManagerId { get; set; }
    /// <summary>Maximum open (offered or accepted-and-open) handoffs before routing skips this person.</summary>
    public int Capacity { get; set; } = 20;
    public bool Available { get; set; } = true;
    public string Locale { get; set; } = "ja-JP";
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>Entra ID object id (Teams <c>from.aadObjectId</c>).</summary>
    public string? TeamsAadObjectId { get; set; }
    /// <summary>Teams user id (<c>29:…</c>), known once the person has talked to the bot.</summary>
    public string? TeamsUserId { get; set; }
    /// <summary>Slack user id (<c>U…</c>).</summary>
    public string? SlackUserId { get; set; }

    /// <summary>When routing last gave this person a handoff; round robin picks the least recent first.</summary>
    public DateTime? LastAssignedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    // Last: a column added to an existing table goes at its end (the migrated and the created schema stay alike).
    /// <summary>Set by an admin-scope API key or by <c>Admin:Emails</c>; every change is a <c>RoleChanged</c> event.</summary>
    public PersonRole Role { get; set; } = PersonRole.Member;

    public bool PrefersJapanese => Locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
}
