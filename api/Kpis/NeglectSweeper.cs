using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api.Kpis;

/// <summary>The payload of a <c>neglect.nudge</c> outbox row: which lead, which step, since when it is untouched.</summary>
public sealed record NeglectNudgePayload(Guid LeadId, string Step, DateTime LastActivityAt, int Days);

/// <summary>
/// Chases neglected SQLs (リード放置): an accepted SQL (stage Sql, held by FS, its SqlToFs handoff accepted) whose owner
/// logged nothing for <c>Kpis:NeglectDays</c> gets one nudge to the owner, and one more every further N days. Each nudge
/// is claimed by its <see cref="LeadStep"/> <c>neglect:&lt;LastActivityAt ticks&gt;:&lt;k&gt;</c> in the same SaveChanges
/// as its outbox rows: once, across restarts and instances; a new activity moves LastActivityAt, so it starts a new
/// series. A bot that was down for several periods sends only the latest nudge, not the backlog.
/// </summary>
public sealed class NeglectSweeper(IServiceScopeFactory scopes, IOptions<KpisOptions> options, ILogger<NeglectSweeper> logger)
{
    public const string Prefix = "neglect:";
    private const int BatchSize = 500;
    private const int MaxBatchesPerRun = 20;

    public static string StepKey(DateTime lastActivityAt, int k) => $"{Prefix}{lastActivityAt.Ticks.ToString(CultureInfo.InvariantCulture)}:{k}";

    /// <summary>Accepted SQLs held by FS with an owner: the leads whose silence counts as neglect.</summary>
    internal static IQueryable<Lead> AcceptedSqls(TheModelDb db) =>
        db.Leads.AsNoTracking().Where(l => l.Stage == LeadStage.Sql && l.Department == Department.FS && l.OwnerId != null
            && db.Handoffs.Any(h => h.LeadId == l.Id && h.Kind == HandoffKind.SqlToFs && h.State == HandoffState.Accepted));

    /// <summary>Sends the nudges that have come; returns how many leads were nudged.</summary>
    public async Task<int> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default)
    {
        var now = DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc);
        var period = TimeSpan.FromDays(options.Value.NeglectDays);
        var since = now - period;
        var nudged = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            List<(Guid Id, string Step)> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
                // The current nudge of a series is due in (now - N days, now]: a lead with a step claimed there (after
                // its last activity) has had it, so only leads that still owe one are read, and nudged ones never
                // starve the rest.
                var page = await AcceptedSqls(db)
                    .Where(l => l.LastActivityAt <= since && !db.LeadSteps.Any(s => s.LeadId == l.Id && s.Step.StartsWith(Prefix)
                        && s.DueAt > l.LastActivityAt && s.DueAt > since))
                    .OrderBy(l => l.LastActivityAt).Select(l => new { l.Id, l.LastActivityAt }).Take(BatchSize).ToListAsync(ct);
                due = page.Select(l => (l.Id, StepKey(l.LastActivityAt, (int)((now - l.LastActivityAt).Ticks / period.Ticks)))).ToList();
            }
            var progress = 0;
            foreach (var (id, step) in due)
            {
                try
                {
                    progress += await NudgeAsync(id, step, now, period, instanceId, ct) ? 1 : 0;
                }
                catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
                {
                    logger.LogDebug(ex, "Neglect nudge {Step} for lead {LeadId} not claimed by {Instance}: another instance did it", step, id, instanceId);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Neglect nudge of lead {LeadId} failed; it is retried next round", id);
                }
            }
            nudged += progress;
            // A full page that nudged nobody would be read again as it is: the next round retries it.
            if (due.Count < BatchSize || progress == 0)
            {
                break;
            }
        }
        return nudged;
    }

    private async Task<bool> NudgeAsync(Guid leadId, string step, DateTime now, TimeSpan period, string instanceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<TheModelDb>();
        // Read again: an activity logged since the page was read starts a new series instead.
        var lead = await AcceptedSqls(db).FirstOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead?.OwnerId is not { } ownerId || lead.LastActivityAt > now - period)
        {
            return false;
        }
        var k = (int)((now - lead.LastActivityAt).Ticks / period.Ticks);
        if (StepKey(lead.LastActivityAt, k) != step)
        {
            return false;
        }
        var dueAt = lead.LastActivityAt + period * k;
        db.LeadSteps.Add(new LeadStep { LeadId = leadId, Step = step, DueAt = dueAt, DoneAt = now, Late = false, ClaimedBy = instanceId });
        var deliveries = services.GetRequiredService<Deliveries>();
        var payload = JsonSerializer.Serialize(new NeglectNudgePayload(leadId, step, lead.LastActivityAt, (int)(now - lead.LastActivityAt).TotalDays),
            JsonSerializerOptions.Web);
        var targets = await deliveries.PersonTargetsAsync(ownerId, ct);
        foreach (var (channel, target) in targets.Distinct())
        {
            deliveries.Enqueue(channel, target, OutboxKinds.NeglectNudge, null, $"{step}:{leadId}:{channel}:{target}", payload);
        }
        if (targets.Count == 0)
        {
            // Claimed all the same: the owner cannot be reached in chat, and the digest's neglected list shows the lead.
            logger.LogInformation("Neglected lead {LeadId}: its owner {OwnerId} has no chat account to nudge", leadId, ownerId);
        }
        await db.SaveChangesAsync(ct);
        return true;
    }
}

/// <summary>The nudge as plain text (the senders escape it for their platform), in the owner's language.</summary>
public static class NeglectTexts
{
    public static NeglectNudgePayload? PayloadOf(string? payload)
    {
        try
        {
            return string.IsNullOrEmpty(payload) ? null : JsonSerializer.Deserialize<NeglectNudgePayload>(payload, JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public static string For(NeglectNudgePayload nudge, Lead lead, bool ja)
    {
        var who = string.IsNullOrWhiteSpace(lead.Name) ? lead.Company : $"{lead.Company} ({lead.Name})";
        var handle = string.IsNullOrWhiteSpace(lead.Email) ? lead.Company : lead.Email;
        var command = $"contact {handle} call reached";
        return ja
            ? $"💤 リード放置: {who} は {nudge.Days} 日間活動がありません。連絡したらカードの接触ボタンか「{command}」で記録してください。"
            : $"💤 Neglected lead: {who} has had no activity for {nudge.Days} days. After you reach out, log it with the card's contact buttons or `{command}`.";
    }
}
