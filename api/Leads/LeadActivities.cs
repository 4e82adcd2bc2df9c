using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api.Leads;

public enum ActivityStatus
{
    Created,
    /// <summary>The same <c>ExternalId</c> was recorded before: the first activity, nothing stored.</summary>
    Duplicate,
    /// <summary>A field is wrong (<see cref="ActivityResult.Field"/> names it); nothing stored.</summary>
    Invalid,
    LeadNotFound,
    /// <summary>The lead kept changing under us; nothing stored.</summary>
    Conflict,
    /// <summary>The person may not log for this lead (<see cref="LeadActivities.MayLogAsync"/>); nothing stored.</summary>
    NotYours,
}

public sealed record ActivityResult(ActivityStatus Status, LeadActivity? Activity = null, ContactClock? Clock = null,
    string? Field = null, string? Detail = null)
{
    public bool Stored => Status is ActivityStatus.Created or ActivityStatus.Duplicate;

    public static ActivityResult Invalid(string field, string detail) => new(ActivityStatus.Invalid, Field: field, Detail: detail);
}

/// <summary>What someone did to reach a lead, as the REST API, a chat command or a card click hands it in.
/// <paramref name="CheckRights"/>: chat and cards: the person must hold the lead (or manage its holder, or be an admin); the
/// REST API is trusted by its key's scope.</summary>
public sealed record ActivityRequest(Guid LeadId, Guid? PersonId, ActivityKind Kind, ActivityOutcome Outcome, Actor Source,
    DateTimeOffset? At = null, string? Note = null, string? ExternalId = null, bool CheckRights = false);

/// <summary>
/// Logs a touch of a lead (REST, chat, card alike): stores the activity, moves the lead's last activity, stops its
/// open first-contact clock and refreshes every copy of its handoff card — in one SaveChanges.
/// </summary>
/// <remarks>
/// Kind and outcome must agree: <c>sent</c> is for written kinds (email, chat) and <c>no_answer</c> for the others
/// (call, meeting, note: a meeting nobody came to is a no answer); <c>reached</c> and <c>booked</c> go with any kind.
/// </remarks>
public sealed class LeadActivities(TheModelDb db, OutboxWriter outbox, IBusinessCalendar calendar, PersonDirectory directory, TimeProvider time)
{
    public async Task<ActivityResult> RecordAsync(ActivityRequest request, CancellationToken ct = default)
    {
        if (!Consistent(request.Kind, request.Outcome))
        {
            return ActivityResult.Invalid("outcome", request.Outcome == ActivityOutcome.Sent
                ? $"'sent' is for an email or a chat, not a {Name(request.Kind)}; use reached, no_answer or booked."
                : $"An {Name(request.Kind)} that got no reply is 'sent'; no_answer is for a call, a meeting or a note.");
        }
        var note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim();
        if (note is { Length: > InputLimits.Note })
        {
            return ActivityResult.Invalid("note", $"note must be at most {InputLimits.Note} characters.");
        }
        var externalId = string.IsNullOrWhiteSpace(request.ExternalId) ? null : request.ExternalId.Trim();
        if (externalId is { Length: > InputLimits.ExternalId })
        {
            return ActivityResult.Invalid("externalId", $"externalId must be at most {InputLimits.ExternalId} characters.");
        }
        for (var attempt = 0; ; attempt++)
        {
            var result = await TryRecordAsync(request, note, externalId, ct);
            if (result.Status != ActivityStatus.Created)
            {
                return result;
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return result;
            }
            catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
            {
                // The same externalId stored by a concurrent retry answers as a duplicate on the next pass; a lead
                // changed under us is read afresh. An activity only adds, so doing it again on fresh state is safe.
                db.DiscardChanges();
                if (attempt == 2)
                {
                    return new(ActivityStatus.Conflict, Detail: "The lead was changed by other requests at the same moment; retry.");
                }
            }
        }
    }

    private async Task<ActivityResult> TryRecordAsync(ActivityRequest request, string? note, string? externalId, CancellationToken ct)
    {
        if (externalId is not null
            && await db.Activities.AsNoTracking().FirstOrDefaultAsync(a => a.ExternalId == externalId, ct) is { } first)
        {
            return first.LeadId == request.LeadId
                ? new(ActivityStatus.Duplicate, first)
                : ActivityResult.Invalid("externalId", $"externalId '{externalId}' was already used for an activity of another lead ({first.LeadId}).");
        }
        var lead = await db.Leads.FirstOrDefaultAsync(l => l.Id == request.LeadId, ct);
        if (lead is null)
        {
            return new(ActivityStatus.LeadNotFound, Detail: $"No lead with id {request.LeadId}.");
        }
        var person = request.PersonId is { } personId ? await db.People.FindAsync([personId], ct) : null;
        if (request.PersonId is { } missing && person is null)
        {
            return ActivityResult.Invalid("personId", $"No person with id {missing}; add them with PUT /api/people first.");
        }
        var handoff = await db.Handoffs.Where(h => h.LeadId == lead.Id).OrderByDescending(h => h.OfferedAt).FirstOrDefaultAsync(ct);
        if (request.CheckRights && (person is null || !await MayLogAsync(person, lead, handoff, ct)))
        {
            return new(ActivityStatus.NotYours);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var at = request.At?.UtcDateTime ?? now;
        if (at > now)
        {
            return ActivityResult.Invalid("at", $"at ({at:u}) is in the future; an activity is logged once it happened (now is {now:u}).");
        }
        if (at < lead.CreatedAt)
        {
            return ActivityResult.Invalid("at", $"at ({at:u}) is before the lead was created ({lead.CreatedAt:u}).");
        }

        var activity = new LeadActivity
        {
            LeadId = lead.Id,
            PersonId = person?.Id,
            Kind = request.Kind,
            Outcome = request.Outcome,
            At = at,
            Note = note,
            ExternalId = externalId,
            RecordedAt = now,
        };
        db.Activities.Add(activity);
        if (at > lead.LastActivityAt)
        {
            lead.LastActivityAt = at;
        }
        lead.UpdatedAt = now;
        lead.Version++;
        var clock = await StopClockAsync(lead, activity, ct);
        var actor = person is null ? request.Source : Actor.Person(person.Id, person.Name);
        db.Record(lead.Id, LeadEventType.Activity, at, actor, note ?? $"{Name(request.Kind)}: {Name(request.Outcome)}", department: lead.Department,
            data: new { kind = Name(request.Kind), outcome = Name(request.Outcome), externalId, by = request.Source.Name });
        if (handoff is not null)
        {
            // The lead's version is its concurrency token, so "lead-v<version>" names this change once.
            await outbox.HandoffCardChangedAsync(handoff, $"lead-v{lead.Version}", ct);
        }
        return new(ActivityStatus.Created, activity, clock);
    }

    /// <summary>
    /// The first touch of the lead's current stage stops its clock; a later (or back-dated) first contact is noted too.
    /// A back-dated touch earlier than the one recorded moves the first touch back.
    /// </summary>
    private async Task<ContactClock?> StopClockAsync(Lead lead, LeadActivity activity, CancellationToken ct)
    {
        if (lead.Stage is not (LeadStage.Mql or LeadStage.Sql))
        {
            return null;
        }
        var clock = await db.ContactClocks
            .Where(c => c.LeadId == lead.Id && c.Stage == lead.Stage && c.StartedAt <= activity.At)
            .OrderByDescending(c => c.StartedAt).FirstOrDefaultAsync(ct);
        if (clock is null)
        {
            return null;
        }
        if (clock.FirstTouchAt is not { } touched || activity.At < touched)
        {
            clock.FirstTouchAt = activity.At;
            clock.FirstTouchBusinessHours = calendar.BusinessTimeBetween(clock.StartedAt, activity.At).TotalHours;
            clock.NextCheckAt = DateTime.MaxValue;
        }
        if (activity.IsContact && (clock.FirstContactAt is not { } contacted || activity.At < contacted))
        {
            clock.FirstContactAt = activity.At;
        }
        return clock;
    }

    /// <summary>
    /// The handoff's rights, for the lead: whoever holds it (the owner once accepted, else the assignee of its latest
    /// offer; a queued offer: any member of the department it waits in), their manager, and admins.
    /// </summary>
    public async Task<bool> MayLogAsync(Person person, Lead lead, Handoff? latest, CancellationToken ct = default)
    {
        if (directory.IsAdmin(person))
        {
            return true;
        }
        var holderId = lead.OwnerId ?? latest?.AssigneeId;
        if (holderId is not { } id)
        {
            return latest is not null && latest.IsOpen && person.Department == latest.To;
        }
        if (id == person.Id)
        {
            return true;
        }
        var holder = await db.People.FindAsync([id], ct);
        return holder is not null && (holder.ManagerId == person.Id || directory.Manages(person, holder));
    }

    /// <summary>The rule in the class remarks.</summary>
    public static bool Consistent(ActivityKind kind, ActivityOutcome outcome) => outcome switch
    {
        ActivityOutcome.Sent => kind is ActivityKind.Email or ActivityKind.Chat,
        ActivityOutcome.NoAnswer => kind is not (ActivityKind.Email or ActivityKind.Chat),
        _ => true,
    };

    /// <summary>The wire name: <c>call</c>, <c>no_answer</c>.</summary>
    public static string Name(ActivityKind kind) => kind.ToString().ToLowerInvariant();

    public static string Name(ActivityOutcome outcome) => outcome == ActivityOutcome.NoAnswer ? "no_answer" : outcome.ToString().ToLowerInvariant();

    public static readonly IReadOnlyList<string> KindNames = Enum.GetValues<ActivityKind>().Select(Name).ToList();

    public static readonly IReadOnlyList<string> OutcomeNames = Enum.GetValues<ActivityOutcome>().Select(Name).ToList();

    /// <summary>Parses a wire name (case-insensitive; <c>no_answer</c>, <c>no-answer</c> and <c>noanswer</c> alike).</summary>
    public static ActivityKind? ParseKind(string? value) =>
        Enum.GetValues<ActivityKind>().Cast<ActivityKind?>().FirstOrDefault(k => Name(k!.Value) == Fold(value));

    public static ActivityOutcome? ParseOutcome(string? value) =>
        Enum.GetValues<ActivityOutcome>().Cast<ActivityOutcome?>().FirstOrDefault(o => Name(o!.Value).Replace("_", "") == Fold(value)?.Replace("_", ""));

    private static string? Fold(string? value) => value?.Trim().ToLowerInvariant().Replace('-', '_');
}
