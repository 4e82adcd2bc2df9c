namespace TheModel.Api.People;

/// <summary>What a person may do beyond their own work (README "Who may do what").</summary>
public enum PersonRole
{
    /// <summary>Decides their own handoffs and their department's queue; reads figures.</summary>
    Member,
    /// <summary>Also: links their department's channel, approves joins to it, decides for the people who report to them.</summary>
    Manager,
    /// <summary>Sales operations: everything a manager may, for every department, and the digest channel.</summary>
    Admin,
}

public static class PersonRoles
{
    /// <summary>The wire form (<c>admin</c>, <c>manager</c>, <c>member</c>).</summary>
    public static string Name(this PersonRole role) => role.ToString().ToLowerInvariant();
}
