namespace TheModel.Api.Common;

/// <summary>
/// The longest string a user, a chat message or a CRM may hand us, checked before anything is stored (SQLite does
/// not enforce column lengths, PostgreSQL would answer a longer value with an error): README "Limits".
/// The column lengths in <c>EntityTypeConfigurations</c> match.
/// </summary>
public static class InputLimits
{
    /// <summary>Names of people and leads, company names.</summary>
    public const int Name = 200;

    /// <summary>The reject note: also the Teams card's <c>Input.Text</c> <c>maxLength</c> and the Slack modal's <c>max_length</c>.</summary>
    public const int Note = 1000;

    /// <summary>REST <c>q</c> and chat <c>lead &lt;…&gt;</c>.</summary>
    public const int SearchQuery = 200;

    /// <summary>RFC 5321: 64 for the local part, 255 for the domain.</summary>
    public const int Email = 320;

    public const int ExternalId = 200;
    public const int LostReason = 500;
    public const int DepartmentDisplayName = 100;
}
