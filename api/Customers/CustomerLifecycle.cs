using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api.Customers;

/// <summary>Why a customer left: the fixed list the figures count (the note says the rest).</summary>
public enum ChurnReason
{
    Price,
    NoUsage,
    Competitor,
    Budget,
    Merged,
    Other,
}

public enum CustomerChangeStatus
{
    Done,
    NotFound,
    /// <summary>A field's value is wrong (400, <see cref="CustomerChange.Field"/> names it).</summary>
    Invalid,
    /// <summary>The customer is not in a state this event can follow (not won, churned, already onboarded) (409).</summary>
    WrongState,
    /// <summary>The person may not record this for this customer (the CS owner, CS managers and admins may).</summary>
    NotYours,
    /// <summary>Someone else changed the lead at the same moment; nothing was kept.</summary>
    Conflict,
}

/// <summary>What a CS event came to: nothing is changed unless <see cref="Status"/> is <c>Done</c>.</summary>
public sealed record CustomerChange(CustomerChangeStatus Status, Lead? Lead = null, string? Field = null, string? Detail = null)
{
    public bool Succeeded => Status == CustomerChangeStatus.Done;

    /// <summary>A renewed, churned or upsold change: what the renewal card's copies now show.</summary>
    public RenewalDecision? Decision { get; init; }
}

/// <summary>
/// A won lead is a customer with a contract: won date + term is the renewal date. CS records the kick-off (導入完了),
/// renewals (the renewal date moves on by the new term from the old one), churn (with a reason from
/// <see cref="ChurnReason"/>) and upsells, each as a lead event committed with the change. One home for these rules:
/// the REST API and the chat cards both call it.
/// </summary>
public sealed class CustomerLifecycle(TheModelDb db, IBusinessCalendar calendar, IOptions<CsOptions> options, PersonDirectory directory, TimeProvider time,
    OutboxWriter outbox)
{
    public CsOptions Options => options.Value;

    /// <summary>
    /// <paramref name="months"/> after <paramref name="fromUtc"/> on the calendar's date (the 31 January + 1 month is
    /// the 28/29 February there), kept at the same local time and returned in UTC.
    /// </summary>
    public DateTime DueAfter(DateTime fromUtc, int months)
    {
        var zone = calendar.TimeZone;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(fromUtc, DateTimeKind.Utc), zone).AddMonths(months);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>The calendar's date of a UTC instant (renewal step keys and cards show it).</summary>
    public DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), calendar.TimeZone));

    /// <summary>The term's problem, or null when <paramref name="termMonths"/> is absent or 1–120.</summary>
    public static string? TermProblem(int? termMonths) =>
        termMonths is { } t && (t < 1 || t > CsOptions.MaxTermMonths)
            ? $"termMonths must be between 1 and {CsOptions.MaxTermMonths} (was {t})."
            : null;

    /// <summary>The deal is won at <paramref name="wonAt"/>: its contract starts (called by the won change, which saves).</summary>
    public void StartContract(Lead lead, DateTime wonAt, int? termMonths)
    {
        lead.WonAt = wonAt;
        lead.RenewalDueAt = DueAfter(wonAt, termMonths ?? Options.DefaultTermMonths);
    }

    /// <summary>CS kicked the customer off (導入完了): once, at <paramref name="at"/> (now when absent; never in the future).</summary>
    public Task<CustomerChange> OnboardAsync(Guid leadId, DateTime? at, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(leadId, actor, lead =>
        {
            var now = Now;
            var when = at is { } a ? a.ToUniversalTime() : now;
            if (when > now)
            {
                return Invalid("at", "at must not be in the future.");
            }
            if (lead.OnboardedAt is { } done)
            {
                return WrongState(lead, "onboarded", $"The customer was already onboarded on {done:yyyy-MM-dd}.");
            }
            if (lead.WonAt is { } won && when < won)
            {
                return Invalid("at", $"at must not be before the deal was won ({won:O}).");
            }
            lead.OnboardedAt = when;
            db.Record(lead.Id, LeadEventType.Onboarded, now, actor, department: Department.CS, data: new { at = when });
            return null;
        }, ct);

    /// <summary>The contract was renewed for <paramref name="termMonths"/> (default <c>Cs:DefaultTermMonths</c>) from the old renewal date.</summary>
    public Task<CustomerChange> RenewAsync(Guid leadId, decimal? amount, int? termMonths, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(leadId, actor, lead =>
        {
            if (amount is not >= 0)
            {
                return Invalid("amount", "amount is required and must not be negative.");
            }
            if (TermProblem(termMonths) is { } problem)
            {
                return Invalid("termMonths", problem);
            }
            if (lead.ChurnedAt is not null)
            {
                return WrongState(lead, "churned", "The customer has churned; a churned customer cannot be renewed.");
            }
            var now = Now;
            var term = termMonths ?? Options.DefaultTermMonths;
            var from = lead.RenewalDueAt ?? lead.WonAt ?? now;
            lead.RenewalDueAt = DueAfter(from, term);
            db.Record(lead.Id, LeadEventType.Renewed, now, actor, department: Department.CS, amount: amount,
                data: new { termMonths = term, dueAt = from, nextDueAt = lead.RenewalDueAt });
            return null;
        }, ct);

    /// <summary>The customer left, for a reason from the fixed list (<paramref name="reason"/> is its name) and a note.</summary>
    public Task<CustomerChange> ChurnAsync(Guid leadId, string? reason, string? note, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(leadId, actor, lead =>
        {
            if (ParseReason(reason) is not { } why)
            {
                return Invalid("reason", $"reason is required; one of {string.Join(", ", Enum.GetNames<ChurnReason>())}.");
            }
            if (note is not null && note.Trim().Length > InputLimits.Note)
            {
                return Invalid("note", $"note must be at most {InputLimits.Note} characters.");
            }
            if (lead.ChurnedAt is { } churned)
            {
                return WrongState(lead, "churned", $"The customer already churned on {churned:yyyy-MM-dd}.");
            }
            var now = Now;
            lead.ChurnedAt = now;
            db.Record(lead.Id, LeadEventType.Churned, now, actor, why.ToString(), department: Department.CS,
                data: new { note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(), dueAt = lead.RenewalDueAt });
            return null;
        }, ct);

    /// <summary>The customer bought more (アップセル).</summary>
    public Task<CustomerChange> UpsellAsync(Guid leadId, decimal? amount, Actor actor, CancellationToken ct = default) =>
        ChangeAsync(leadId, actor, lead =>
        {
            if (amount is not > 0)
            {
                return Invalid("amount", "amount is required and must be greater than 0.");
            }
            if (lead.ChurnedAt is not null)
            {
                return WrongState(lead, "churned", "The customer has churned; a churned customer cannot be upsold.");
            }
            db.Record(lead.Id, LeadEventType.Upsold, Now, actor, department: Department.CS, amount: amount);
            return null;
        }, ct);

    /// <summary>Who may record CS events from chat: the CS owner, CS managers and admins.</summary>
    public bool MayDecide(Person? person, Lead lead) =>
        person is not null && (person.Id == lead.OwnerId || directory.ManagesDepartment(person, Department.CS));

    /// <summary>
    /// Reads the lead, checks it is a customer (won) and, for a person, their right; applies <paramref name="apply"/>
    /// (null = applied) and saves. Anything refused leaves the store as it was.
    /// </summary>
    private async Task<CustomerChange> ChangeAsync(Guid leadId, Actor actor, Func<Lead, CustomerChange?> apply, CancellationToken ct)
    {
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead is null)
        {
            return new(CustomerChangeStatus.NotFound);
        }
        if (actor.PersonId is { } personId && !MayDecide(await db.People.FindAsync([personId], ct), lead))
        {
            return new(CustomerChangeStatus.NotYours, lead, Detail: "Only the CS owner, a CS manager or an admin may record this.");
        }
        if (lead.Stage != LeadStage.Won)
        {
            return WrongState(lead, "stage", $"Only a won lead is a customer; this lead is {lead.Stage}.");
        }
        var dueBefore = lead.RenewalDueAt;
        if (apply(lead) is { } refused)
        {
            db.DiscardChanges();
            return refused with { Lead = lead };
        }
        var now = Now;
        lead.UpdatedAt = now;
        lead.LastActivityAt = now;
        lead.Version++;
        // The Won → CS card shows the customer's state (kick-off done, churned): its copies are updated in the same
        // commit as the change. The lead's version names this change once.
        if (await db.Handoffs.Where(h => h.LeadId == lead.Id && h.Kind == HandoffKind.WonToCs)
                .OrderByDescending(h => h.OfferedAt).FirstOrDefaultAsync(ct) is { } card)
        {
            await outbox.HandoffCardChangedAsync(card, $"lead-v{lead.Version}", ct);
        }
        // So does the renewal card of the term being decided (DM and CS channel).
        var decision = dueBefore is { } due ? DecisionOf(lead.Id, due) : null;
        if (decision is not null)
        {
            await outbox.RenewalCardDecidedAsync(decision, $"lead-v{lead.Version}", ct);
        }
        try
        {
            await db.SaveChangesAsync(ct);
            return new(CustomerChangeStatus.Done, lead) { Decision = decision };
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            db.DiscardChanges();
            return new(CustomerChangeStatus.Conflict, lead, Detail: "The lead was changed by another request at the same moment; read it again and retry.");
        }
    }

    /// <summary>The renewal decision this unit of work records for the lead, read from the event it adds.</summary>
    private RenewalDecision? DecisionOf(Guid leadId, DateTime dueBefore)
    {
        var recorded = db.ChangeTracker.Entries<LeadEvent>()
            .Where(e => e.State == EntityState.Added && e.Entity.LeadId == leadId
                && e.Entity.Type is LeadEventType.Renewed or LeadEventType.Churned or LeadEventType.Upsold)
            .Select(e => e.Entity).LastOrDefault();
        if (recorded is null)
        {
            return null;
        }
        var data = recorded.Data is { } json ? System.Text.Json.JsonDocument.Parse(json).RootElement : default;
        int? term = data.ValueKind == System.Text.Json.JsonValueKind.Object && data.TryGetProperty("termMonths", out var t) && t.TryGetInt32(out var months) ? months : null;
        string? note = data.ValueKind == System.Text.Json.JsonValueKind.Object && data.TryGetProperty("note", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
        return new RenewalDecision(leadId, RenewalSweeper.StepKey(LocalDate(dueBefore), RenewalSweeper.Notice), recorded.Type.ToString(),
            recorded.Actor, recorded.At, recorded.Amount, term, recorded.Reason, note);
    }

    private static ChurnReason? ParseReason(string? reason) =>
        !string.IsNullOrWhiteSpace(reason) && !char.IsDigit(reason.Trim()[0]) && Enum.TryParse<ChurnReason>(reason.Trim(), ignoreCase: true, out var parsed)
            ? parsed
            : null;

    private static CustomerChange Invalid(string field, string detail) => new(CustomerChangeStatus.Invalid, Field: field, Detail: detail);

    private static CustomerChange WrongState(Lead lead, string field, string detail) => new(CustomerChangeStatus.WrongState, lead, field, detail);

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
