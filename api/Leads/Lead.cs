using TheModel.Api.People;

namespace TheModel.Api.Leads;

public enum LeadStage
{
    Inquiry,
    Mql,
    Sql,
    Won,
    Lost,
    Nurture,
}

public enum Temperature
{
    Cold,
    Warm,
    Hot,
}

/// <summary>BANT qualification (budget, authority, need, timeline); a lead becomes SQL only when all four are known.</summary>
public sealed class Bant
{
    public decimal? Budget { get; set; }
    public string? Authority { get; set; }
    public string? Need { get; set; }
    public string? Timeline { get; set; }

    public bool IsComplete =>
        Budget is > 0 && !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(Need) && !string.IsNullOrWhiteSpace(Timeline);
}

/// <summary>A person at a company who might buy. Stage changes go through <see cref="LeadStageChanges"/>.</summary>
public sealed class Lead
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Id in the marketing automation / CRM that sent the lead; intake is idempotent on it.</summary>
    public string? ExternalId { get; set; }
    public string Name { get; set; } = "";
    public string? Email { get; set; }
    public string? Title { get; set; }
    public string Company { get; set; } = "";
    /// <summary>Company domain (from the email, or given): account-owner routing keys on it.</summary>
    public string? Domain { get; set; }
    public string? Phone { get; set; }
    public string? Source { get; set; }
    public int Score { get; set; }
    public LeadStage Stage { get; set; } = LeadStage.Inquiry;
    /// <summary>The department currently holding the lead.</summary>
    public Department Department { get; set; } = Department.MK;
    public Guid? OwnerId { get; set; }
    /// <summary>Won amount (or expected amount before).</summary>
    public decimal? Amount { get; set; }
    public Bant Bant { get; set; } = new();
    public string? LostReason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime StageChangedAt { get; set; }
    public DateTime LastActivityAt { get; set; }
    public int Version { get; set; }

    // The contract after the win (Customer Success). Declared last and in name order: the columns were added by a
    // migration (ALTER TABLE appends them in that order), and a created database must have the same column order.
    /// <summary>When the customer left (解約); a churned customer takes no renewal or upsell.</summary>
    public DateTime? ChurnedAt { get; set; }
    /// <summary>When CS recorded the kick-off (導入完了).</summary>
    public DateTime? OnboardedAt { get; set; }
    /// <summary>When the contract comes up for renewal (UTC): won date + term, moved on by each renewal.</summary>
    public DateTime? RenewalDueAt { get; set; }
    /// <summary>When the deal was won (UTC): the contract starts here.</summary>
    public DateTime? WonAt { get; set; }

    public Temperature Temperature => TemperatureOf(Score);

    public static Temperature TemperatureOf(int score) => score switch
    {
        >= 80 => Temperature.Hot,
        >= 50 => Temperature.Warm,
        _ => Temperature.Cold,
    };

    public static string? DomainOf(string? email) =>
        email is not null && email.IndexOf('@') is var at and > 0 && at < email.Length - 1
            ? email[(at + 1)..].Trim().ToLowerInvariant()
            : null;
}
