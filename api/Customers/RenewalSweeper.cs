using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Customers;

/// <summary>What one renewal sweep did.</summary>
public sealed record RenewalSweepResult(int Notices, int Reminders, int Escalations) : ISweepTally<RenewalSweepResult>
{
    public static RenewalSweepResult Zero { get; } = new(0, 0, 0);
    public int Steps => Notices + Reminders + Escalations;

    public static RenewalSweepResult operator +(RenewalSweepResult left, RenewalSweepResult right) =>
        new(left.Notices + right.Notices, left.Reminders + right.Reminders, left.Escalations + right.Escalations);
}

/// <summary>The payload of <c>renewal.*</c> outbox rows: which customer, which step, the renewal date.</summary>
public sealed record RenewalStepPayload(Guid LeadId, string Step, DateTime DueAt, bool Late)
{
    public string Json() => OutboxPayload.Write(this);

    /// <summary>The row's step, or null when its payload is missing or not one.</summary>
    public static RenewalStepPayload? Read(OutboxMessage message) => OutboxPayload.Read<RenewalStepPayload>(message.Payload);
}

/// <summary>
/// Chases renewals like an SLA: <c>Cs:RenewalNoticeDays</c> before a customer's renewal date the renewal card goes to
/// the CS owner (direct) and the CS channel; halfway from that notice to the date a reminder goes to the owner; at the
/// date an escalation goes to the owner's manager (or the CS managers) and the CS channel. Only customers CS has
/// accepted (department CS, an owner) are chased, so a notice whose moment passed before acceptance goes at the next
/// sweep. Each step is claimed by its <see cref="LeadStep"/> (<c>renewal:2027-11-16:notice</c>, <c>…:reminder</c>,
/// <c>…:escalation</c>) in the same SaveChanges as its outbox rows: once, across restarts and instances. A renewal
/// moves the date, so the next term gets new keys.
/// </summary>
public sealed class RenewalSweeper(SweepRunner runner, IOptions<CsOptions> options) : ISweep<Guid, RenewalSweepResult>, IScheduledSweep
{
    public const string Notice = "notice";
    public const string Reminder = "reminder";
    public const string Escalation = "escalation";
    private const int BatchSize = 500;

    public static string StepKey(DateOnly due, string step) => $"renewal:{due:yyyy-MM-dd}:{step}";

    public string Name => "Renewal";

    public SweepBatches Batches => new(BatchSize, MaxPerRun: 1);

    public Task<RenewalSweepResult> RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct = default) =>
        runner.RunAsync(this, nowUtc, instanceId, ct);

    Task IScheduledSweep.RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct) => RunAsync(nowUtc, instanceId, ct);

    public async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct)
    {
        var horizon = round.Now.AddDays(options.Value.RenewalNoticeDays);
        return await services.GetRequiredService<TheModelDb>().Leads.AsNoTracking()
            .Where(l => l.RenewalDueAt != null && l.RenewalDueAt <= horizon && l.Stage == LeadStage.Won && l.ChurnedAt == null
                && l.Department == Department.CS && l.OwnerId != null)
            .OrderBy(l => l.RenewalDueAt).Select(l => l.Id).Take(BatchSize).ToListAsync(ct);
    }

    public string Describe(Guid leadId) => $"lead {leadId}";

    public string Words(RenewalSweepResult r) => $"{r.Notices} notices, {r.Reminders} reminders, {r.Escalations} escalations";

    public async Task<RenewalSweepResult> SweepAsync(IServiceProvider services, Guid leadId, SweepRound round, CancellationToken ct) =>
        await StepAsync(services, leadId, round.Now, round.InstanceId, ct) switch
        {
            Notice => new(1, 0, 0),
            Reminder => new(0, 1, 0),
            Escalation => new(0, 0, 1),
            _ => RenewalSweepResult.Zero,
        };

    /// <summary>Does the first step that has come for this customer, if any; returns its name.</summary>
    private async Task<string?> StepAsync(IServiceProvider services, Guid leadId, DateTime now, string instanceId, CancellationToken ct)
    {
        var db = services.GetRequiredService<TheModelDb>();
        var lead = await db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == leadId, ct);
        if (lead?.RenewalDueAt is not { } dueAt || lead.OwnerId is not { } ownerId || lead.ChurnedAt is not null)
        {
            return null;
        }
        var date = services.GetRequiredService<CustomerLifecycle>().LocalDate(dueAt);
        var prefix = $"renewal:{date:yyyy-MM-dd}:";
        var done = await db.LeadSteps.AsNoTracking().Where(s => s.LeadId == leadId && s.Step.StartsWith(prefix)).ToListAsync(ct);
        var noticeAt = dueAt.AddDays(-options.Value.RenewalNoticeDays);
        var notice = done.FirstOrDefault(s => s.Step == StepKey(date, Notice));
        string step;
        DateTime stepDue;
        if (notice is null)
        {
            (step, stepDue) = (Notice, noticeAt);
        }
        else if (done.All(s => s.Step != StepKey(date, Reminder)) && now < dueAt)
        {
            // Halfway from the notice as sent (late when CS accepted late) to the renewal date.
            (step, stepDue) = (Reminder, notice.DoneAt + (dueAt - notice.DoneAt) / 2);
        }
        else if (done.All(s => s.Step != StepKey(date, Escalation)))
        {
            (step, stepDue) = (Escalation, dueAt);
        }
        else
        {
            return null;
        }
        if (stepDue > now)
        {
            return null;
        }
        var outbox = services.GetRequiredService<OutboxWriter>();
        var targets = new List<(string Channel, string Target)>();
        switch (step)
        {
            case Notice:
                targets.AddRange(await outbox.PersonTargetsAsync(ownerId, ct));
                targets.AddRange(await outbox.DepartmentTargetsAsync(Department.CS, ct));
                break;
            case Reminder:
                targets.AddRange(await outbox.PersonTargetsAsync(ownerId, ct));
                if (targets.Count == 0)
                {
                    targets.AddRange(await outbox.DepartmentTargetsAsync(Department.CS, ct));
                }
                break;
            default:
                var owner = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == ownerId, ct);
                var managers = owner?.ManagerId is { } m ? [m]
                    : (await services.GetRequiredService<PersonDirectory>().ManagersOfAsync(Department.CS, ct)).Select(p => p.Id).ToList();
                foreach (var manager in managers)
                {
                    targets.AddRange(await outbox.PersonTargetsAsync(manager, ct));
                }
                targets.AddRange(await outbox.DepartmentTargetsAsync(Department.CS, ct));
                break;
        }
        var key = StepKey(date, step);
        // The notice is late only when the bot was down past it, not when CS accepted after its moment.
        var late = step != Notice && now - stepDue > TimeSpan.FromDays(1);
        db.LeadSteps.Add(new LeadStep { LeadId = leadId, Step = key, DueAt = stepDue, DoneAt = now, Late = late, ClaimedBy = instanceId });
        var payload = new RenewalStepPayload(leadId, key, dueAt, late).Json();
        var kind = step switch { Notice => OutboxKinds.RenewalNotice, Reminder => OutboxKinds.RenewalReminder, _ => OutboxKinds.RenewalEscalation };
        foreach (var (channel, target) in targets.Distinct())
        {
            outbox.Enqueue(channel, target, kind, null, $"{key}:{leadId}:{channel}:{target}", payload, late: late);
        }
        await db.SaveChangesAsync(ct);
        return step;
    }
}
