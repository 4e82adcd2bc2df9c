using System.Globalization;
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
using TheModel.Api.Sweeps;

namespace TheModel.Api.Kpis;

/// <summary>The payload of a <c>neglect.nudge</c> outbox row: which lead, which step, since when it is untouched.</summary>
public sealed record NeglectNudgePayload(Guid LeadId, string Step, DateTime LastActivityAt, int Days)
{
    public string Json() => OutboxPayload.Write(this);

    /// <summary>The row's nudge, or null when its payload is missing or not one.</summary>
    public static NeglectNudgePayload? Read(OutboxMessage message) => OutboxPayload.Read<NeglectNudgePayload>(message.Payload);
}

/// <summary>
/// Chases neglected SQLs (リード放置): an accepted SQL (stage Sql, held by FS, its SqlToFs handoff accepted) whose owner
/// logged nothing for <c>Kpis:NeglectDays</c> gets one nudge to the owner, and one more every further N days. Each nudge
/// is claimed by its <see cref="LeadStep"/> <c>neglect:&lt;LastActivityAt ticks&gt;:&lt;k&gt;</c> in the same SaveChanges
/// as its outbox rows: once, across restarts and instances; a new activity moves LastActivityAt, so it starts a new
/// series. A bot that was down for several periods sends only the latest nudge, not the backlog.
/// </summary>
public sealed class NeglectSweeper(SweepRunner runner, IOptions<KpisOptions> options, ILogger<NeglectSweeper> logger)
    : ISweep<NeglectSweeper.Owed, SweepCount>, IScheduledSweep
{
    public const string Prefix = "neglect:";
    private const int BatchSize = 500;

    public static string StepKey(DateTime lastActivityAt, int k) => $"{Prefix}{lastActivityAt.Ticks.ToString(CultureInfo.InvariantCulture)}:{k}";

    /// <summary>A lead that owes the nudge <see cref="Step"/> as its page was read.</summary>
    public sealed record Owed(Guid LeadId, string Step);

    /// <summary>Accepted SQLs held by FS with an owner: the leads whose silence counts as neglect.</summary>
    internal static IQueryable<Lead> AcceptedSqls(TheModelDb db) =>
        db.Leads.AsNoTracking().Where(l => l.Stage == LeadStage.Sql && l.Department == Department.FS && l.OwnerId != null
            && db.Handoffs.Any(h => h.LeadId == l.Id && h.Kind == HandoffKind.SqlToFs && h.State == HandoffState.Accepted));

    public string Name => "Neglect";

    public SweepBatches Batches => new(BatchSize, MaxPerRun: 20);

    private TimeSpan Period => TimeSpan.FromDays(options.Value.NeglectDays);

    /// <summary>Sends the nudges that have come; returns how many leads were nudged.</summary>
    public async Task<int> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default) =>
        (await runner.RunAsync(this, nowUtc, instanceId, ct)).Steps;

    Task IScheduledSweep.RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct) => RunAsync(nowUtc, instanceId, ct);

    public async Task<IReadOnlyList<Owed>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct)
    {
        var (now, period) = (round.Now, Period);
        var since = now - period;
        var db = services.GetRequiredService<TheModelDb>();
        // The current nudge of a series is due in (now - N days, now]: a lead with a step claimed there (after its last
        // activity) has had it, so only leads that still owe one are read, and nudged ones never starve the rest.
        var page = await AcceptedSqls(db)
            .Where(l => l.LastActivityAt <= since && !db.LeadSteps.Any(s => s.LeadId == l.Id && s.Step.StartsWith(Prefix)
                && s.DueAt > l.LastActivityAt && s.DueAt > since))
            .OrderBy(l => l.LastActivityAt).Select(l => new { l.Id, l.LastActivityAt }).Take(BatchSize).ToListAsync(ct);
        return page.Select(l => new Owed(l.Id, StepKey(l.LastActivityAt, (int)((now - l.LastActivityAt).Ticks / period.Ticks)))).ToList();
    }

    public string Describe(Owed owed) => $"lead {owed.LeadId} ({owed.Step})";

    public string Words(SweepCount nudged) => $"{nudged.Steps} nudges";

    /// <summary>A full page that nudged nobody would be read again as it is: the next run retries it.</summary>
    public bool ReadsOnAfter(SweepCount batch) => batch.Steps > 0;

    public async Task<SweepCount> SweepAsync(IServiceProvider services, Owed owed, SweepRound round, CancellationToken ct)
    {
        var ((leadId, step), now, period) = (owed, round.Now, Period);
        var db = services.GetRequiredService<TheModelDb>();
        // Read again: an activity logged since the page was read starts a new series instead.
        var lead = await AcceptedSqls(db).FirstOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead?.OwnerId is not { } ownerId || lead.LastActivityAt > now - period)
        {
            return SweepCount.Zero;
        }
        var k = (int)((now - lead.LastActivityAt).Ticks / period.Ticks);
        if (StepKey(lead.LastActivityAt, k) != step)
        {
            return SweepCount.Zero;
        }
        var dueAt = lead.LastActivityAt + period * k;
        db.LeadSteps.Add(new LeadStep { LeadId = leadId, Step = step, DueAt = dueAt, DoneAt = now, Late = false, ClaimedBy = round.InstanceId });
        var outbox = services.GetRequiredService<OutboxWriter>();
        var payload = new NeglectNudgePayload(leadId, step, lead.LastActivityAt, (int)(now - lead.LastActivityAt).TotalDays).Json();
        var targets = await outbox.PersonTargetsAsync(ownerId, ct);
        foreach (var (channel, target) in targets.Distinct())
        {
            outbox.Enqueue(channel, target, OutboxKinds.NeglectNudge, null, $"{step}:{leadId}:{channel}:{target}", payload);
        }
        if (targets.Count == 0)
        {
            // Claimed all the same: the owner cannot be reached in chat, and the digest's neglected list shows the lead.
            logger.LogInformation("Neglected lead {LeadId}: its owner {OwnerId} has no chat account to nudge", leadId, ownerId);
        }
        await db.SaveChangesAsync(ct);
        return SweepCount.One;
    }
}

/// <summary>The nudge as plain text (the senders escape it for their platform), in the owner's language.</summary>
public static class NeglectTexts
{
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
