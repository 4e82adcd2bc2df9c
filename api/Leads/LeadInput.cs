using TheModel.Api.Common;

namespace TheModel.Api.Leads;

/// <summary>A lead as marketing automation / a CRM sends it. Intake is idempotent on <see cref="ExternalId"/>.</summary>
public sealed record LeadInput(
    string? ExternalId,
    string? Name,
    string? Email,
    string? Title,
    string? Company,
    string? Domain,
    string? Phone,
    string? Source,
    int? Score,
    decimal? Amount)
{
    /// <summary>Checks one input; <paramref name="prefix"/> names it inside a batch (<c>leads[3].</c>).</summary>
    public void Validate(FieldErrors errors, string prefix = "")
    {
        errors.MaxLength(prefix + "externalId", ExternalId, InputLimits.ExternalId);
        if (ExternalId is { } id && string.IsNullOrWhiteSpace(id))
        {
            errors.Add(prefix + "externalId", "externalId must not be blank (leave it out instead).");
        }
        errors.Required(prefix + "name", Name, InputLimits.Name);
        errors.Required(prefix + "company", Company, InputLimits.Name);
        LeadChecks.Details(errors, prefix, Email, Title, Domain, Phone, Source, Score, Amount);
    }
}

/// <summary>A partial change (PATCH): a null member leaves the field as it is.</summary>
public sealed record LeadPatch(
    string? Name,
    string? Email,
    string? Title,
    string? Company,
    string? Domain,
    string? Phone,
    string? Source,
    int? Score,
    decimal? Amount)
{
    public void Validate(FieldErrors errors)
    {
        if (Name is not null)
        {
            errors.Required("name", Name, InputLimits.Name);
        }
        if (Company is not null)
        {
            errors.Required("company", Company, InputLimits.Name);
        }
        LeadChecks.Details(errors, "", Email, Title, Domain, Phone, Source, Score, Amount);
    }

    public LeadInput ApplyTo(Lead lead) => new(lead.ExternalId, Name ?? lead.Name, Email ?? lead.Email, Title ?? lead.Title,
        Company ?? lead.Company, Domain ?? (Email is not null ? null : lead.Domain), Phone ?? lead.Phone, Source ?? lead.Source,
        Score ?? lead.Score, Amount ?? lead.Amount);
}

/// <summary>The checks an intake and a PATCH share, so both accept exactly the same values.</summary>
internal static class LeadChecks
{
    public static void Details(FieldErrors errors, string prefix, string? email, string? title, string? domain, string? phone,
        string? source, int? score, decimal? amount)
    {
        errors.Email(prefix + "email", email);
        errors.MaxLength(prefix + "title", title, 200);
        errors.MaxLength(prefix + "domain", domain, 200);
        errors.MaxLength(prefix + "phone", phone, 50);
        errors.MaxLength(prefix + "source", source, 100);
        errors.Range(prefix + "score", score, 0, 100);
        if (amount is < 0)
        {
            errors.Add(prefix + "amount", "amount must not be negative.");
        }
    }
}

public sealed record BantInput(decimal? Budget, string? Authority, string? Need, string? Timeline)
{
    public void Validate(FieldErrors errors)
    {
        if (Budget is null)
        {
            errors.Add("budget", "budget is required (BANT).");
        }
        else if (Budget <= 0)
        {
            errors.Add("budget", "budget must be greater than 0.");
        }
        errors.Required("authority", Authority, 200);
        errors.Required("need", Need, 500);
        errors.Required("timeline", Timeline, 200);
    }
}

/// <summary><paramref name="TermMonths"/>: the contract's term (1–120; default <c>Cs:DefaultTermMonths</c>): the renewal date is won date + term.</summary>
public sealed record WonInput(decimal? Amount, int? TermMonths = null);

public sealed record LostInput(string? Reason);

/// <summary>
/// A logged touch (<c>kind</c> + <c>outcome</c>, README "Logging contacts"); without <c>outcome</c>, a plain
/// note on the timeline (<c>note</c>, free <c>kind</c>), which stops no clock. <c>at</c> and <c>personId</c> are strings
/// so that a malformed one is answered naming its field.
/// </summary>
public sealed record ActivityInput(string? Note, string? Kind, string? Outcome = null, string? At = null, string? PersonId = null,
    string? ExternalId = null)
{
    public bool IsTouch => Outcome is not null || At is not null || PersonId is not null || ExternalId is not null;
}
