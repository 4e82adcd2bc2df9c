using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Qualification;
using TheModel.Api.Store;

namespace TheModel.Api.Leads;

/// <summary>What intake did with one input.</summary>
public sealed record IntakeResult(Lead Lead, bool Created, Handoff? Offered);

/// <summary>
/// Takes leads in (one, or a batch in one unit of work): creates them, or updates the lead with the same
/// <c>externalId</c>; a lead whose score reaches the MQL threshold becomes an MQL and is offered to IS.
/// The caller validates first and saves once, so a batch is all-or-nothing.
/// </summary>
public sealed class LeadIntake(TheModelDb db, HandoffService handoffs, Routing.Router router, QualificationSettings qualification, TimeProvider time)
{
    /// <summary>Free-mail domains say nothing about the account, so account-owner routing must not key on them.</summary>
    private static readonly FrozenSet<string> FreeMailDomains = new[]
    {
        "gmail.com", "googlemail.com", "yahoo.co.jp", "yahoo.com", "outlook.com", "outlook.jp", "hotmail.com",
        "hotmail.co.jp", "live.jp", "icloud.com", "me.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<IntakeResult>> IntakeAsync(IReadOnlyList<LeadInput> inputs, Actor actor, CancellationToken ct = default)
    {
        // A batch adds thousands of new rows (leads, events, offers, outbox rows) that nothing changes again once
        // stored: they are inserted without change tracking (most of a save's CPU otherwise). What is tracked (known
        // leads, assignees) is detected once by the caller's SaveChanges, with the settings restored.
        var (autoDetect, untracked) = (db.ChangeTracker.AutoDetectChangesEnabled, db.UntrackedInserts);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.UntrackedInserts = true;
        try
        {
            return await IntakeCoreAsync(inputs, actor, ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
            db.UntrackedInserts = untracked;
        }
    }

    private async Task<IReadOnlyList<IntakeResult>> IntakeCoreAsync(IReadOnlyList<LeadInput> inputs, Actor actor, CancellationToken ct)
    {
        var threshold = (await qualification.GetAsync(ct)).MqlThreshold;
        var now = time.GetUtcNow().UtcDateTime;
        var externalIds = inputs.Select(i => i.ExternalId?.Trim()).OfType<string>().Distinct().ToList();
        // One round trip for every lead the batch already knows.
        var known = externalIds.Count == 0
            ? new Dictionary<string, Lead>()
            : await db.Leads.Where(l => l.ExternalId != null && externalIds.Contains(l.ExternalId)).ToDictionaryAsync(l => l.ExternalId!, ct);

        var applied = new List<(Lead Lead, bool Created, int? OldScore)>(inputs.Count);
        foreach (var input in inputs)
        {
            var externalId = input.ExternalId?.Trim();
            var created = externalId is null || !known.ContainsKey(externalId);
            Lead lead;
            int? oldScore = null;
            if (created)
            {
                lead = new Lead { ExternalId = externalId, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now };
                Apply(lead, input);
                db.AddNew(lead);
                db.Record(lead.Id, LeadEventType.LeadCreated, now, actor, lead.Source, department: lead.Department,
                    data: new { lead.Score });
                if (externalId is not null)
                {
                    known[externalId] = lead;
                }
            }
            else
            {
                lead = known[externalId!];
                oldScore = lead.Score;
                var changed = Apply(lead, input);
                if (changed.Count > 0)
                {
                    lead.UpdatedAt = now;
                    lead.Version++;
                    db.Record(lead.Id, LeadEventType.LeadUpdated, now, actor, department: lead.Department, data: new { fields = changed });
                }
                if (lead.Score != oldScore)
                {
                    db.Record(lead.Id, LeadEventType.ScoreChanged, now, actor, department: lead.Department, data: new { from = oldScore, to = lead.Score });
                }
            }
            applied.Add((lead, created, oldScore));
        }
        // Set-based routing: every account owner the batch's MQLs need, in one query, before the offers.
        await router.PrimeAccountOwnersAsync(applied.Where(a => Crosses(a.Lead, a.OldScore, threshold)).Select(a => a.Lead.Domain), HandoffKind.MqlToIs.To(), ct);
        var results = new List<IntakeResult>(inputs.Count);
        foreach (var (lead, created, oldScore) in applied)
        {
            var offered = await QualifyByScoreAsync(lead, oldScore, threshold, actor, ct);
            results.Add(new IntakeResult(lead, created, offered));
        }
        return results;
    }

    /// <summary>
    /// The MQL rule: an inquiry at or above the threshold becomes an MQL; a nurtured lead does when its score
    /// crosses the threshold again (not on every unrelated update). Adds the MQL event and the IS offer.
    /// </summary>
    public async Task<Handoff?> QualifyByScoreAsync(Lead lead, int? oldScore, int threshold, Actor actor, CancellationToken ct = default)
    {
        if (!Crosses(lead, oldScore, threshold))
        {
            return null;
        }
        return await BecomeMqlAsync(lead, actor, $"score {lead.Score} ≥ threshold {threshold}", new { lead.Score, threshold }, ct);
    }

    /// <summary>
    /// The recycle clock's way back (敗者復活戦): a nurtured lead whose rest is over becomes an MQL again and is offered to
    /// IS exactly as a score crossing the threshold would, with <paramref name="why"/> on its BecameMql event.
    /// </summary>
    public Task<Handoff> RecycleAsync(Lead lead, string why, object data, CancellationToken ct = default) =>
        BecomeMqlAsync(lead, Actor.System, why, data, ct);

    /// <summary>One path to MQL: the stage change, its event and the IS offer, in the caller's unit of work.</summary>
    private async Task<Handoff> BecomeMqlAsync(Lead lead, Actor actor, string why, object data, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lead.Stage = LeadStage.Mql;
        lead.Department = People.Department.MK;
        lead.OwnerId = null;
        lead.StageChangedAt = now;
        lead.UpdatedAt = now;
        db.Record(lead.Id, LeadEventType.BecameMql, now, actor, why, department: People.Department.MK, data: data);
        return await handoffs.OfferAsync(lead, HandoffKind.MqlToIs, actor, ct);
    }

    private static bool Crosses(Lead lead, int? oldScore, int threshold) =>
        lead.Score >= threshold && (lead.Stage == LeadStage.Inquiry
            || (lead.Stage == LeadStage.Nurture && oldScore is { } old && old < threshold));

    /// <summary>Copies an input onto a lead; returns the names of the fields that changed (score is reported separately).</summary>
    internal static List<string> Apply(Lead lead, LeadInput input)
    {
        var changed = new List<string>();
        void Set<T>(string field, T current, T value, Action<T> assign)
        {
            if (!EqualityComparer<T>.Default.Equals(current, value))
            {
                assign(value);
                changed.Add(field);
            }
        }
        var email = input.Email?.Trim() ?? lead.Email;
        Set("name", lead.Name, input.Name!.Trim(), v => lead.Name = v);
        Set("company", lead.Company, input.Company!.Trim(), v => lead.Company = v);
        Set("email", lead.Email, email, v => lead.Email = v);
        Set("domain", lead.Domain, DomainFor(input.Domain, email) ?? lead.Domain, v => lead.Domain = v);
        Set("title", lead.Title, input.Title?.Trim() ?? lead.Title, v => lead.Title = v);
        Set("phone", lead.Phone, input.Phone?.Trim() ?? lead.Phone, v => lead.Phone = v);
        Set("source", lead.Source, input.Source?.Trim() ?? lead.Source, v => lead.Source = v);
        Set("amount", lead.Amount, input.Amount ?? lead.Amount, v => lead.Amount = v);
        lead.Score = input.Score ?? lead.Score;
        return changed;
    }

    internal static string? DomainFor(string? given, string? email)
    {
        if (!string.IsNullOrWhiteSpace(given))
        {
            return given.Trim().ToLowerInvariant();
        }
        var domain = Lead.DomainOf(email);
        return domain is null || FreeMailDomains.Contains(domain) ? null : domain;
    }
}
