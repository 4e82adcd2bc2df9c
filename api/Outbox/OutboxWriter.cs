using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Outbox;

/// <summary>
/// Decides where a change must be told and queues it in the outbox, inside the caller's unit of work,
/// so the messages commit (or roll back) together with the change. Targets are computed from the directory:
/// a department's linked Teams/Slack channel, and a person's Teams/Slack identity for direct messages.
/// </summary>
public sealed class OutboxWriter
{
    private readonly TheModelDb db;
    private readonly TimeProvider time;
    private readonly WebhooksOptions webhooks;

    /// <summary>Targets read in this unit of work (a batch offers to the same department and people many times).</summary>
    private readonly Dictionary<Department, IReadOnlyList<(string, string)>> departmentTargets;
    private readonly Dictionary<Guid, IReadOnlyList<(string, string)>> personTargets;

    public OutboxWriter(TheModelDb db, TimeProvider time, Microsoft.Extensions.Options.IOptions<WebhooksOptions> webhooks)
    {
        this.db = db;
        this.time = time;
        this.webhooks = webhooks.Value;
        departmentTargets = db.CacheUntilSaved<Department, IReadOnlyList<(string, string)>>();
        personTargets = db.CacheUntilSaved<Guid, IReadOnlyList<(string, string)>>();
    }

    /// <summary>Compiled once: every decision runs it.</summary>
    private static readonly Func<TheModelDb, Guid?, IAsyncEnumerable<string>> OfferedChannels =
        EF.CompileAsyncQuery((TheModelDb db, Guid? handoffId) => db.Outbox
            .Where(m => m.HandoffId == handoffId && m.Kind == OutboxKinds.HandoffOffered)
            .Select(m => m.Channel).Distinct());

    public async Task HandoffOfferedAsync(Handoff handoff, CancellationToken ct = default)
    {
        foreach (var (channel, target) in await DepartmentTargetsAsync(handoff.To, ct))
        {
            Enqueue(channel, target, OutboxKinds.HandoffOffered, handoff.Id, $"{OutboxKinds.HandoffOffered}:{handoff.Id}:{channel}:{target}");
        }
        if (handoff.AssigneeId is { } assigneeId)
        {
            foreach (var (channel, target) in await PersonTargetsAsync(assigneeId, ct))
            {
                Enqueue(channel, target, OutboxKinds.HandoffOffered, handoff.Id, $"{OutboxKinds.HandoffOffered}:{handoff.Id}:{channel}:{target}");
            }
        }
    }

    /// <summary>Every channel that was asked to post the card updates each posted copy to the outcome.</summary>
    public async Task HandoffDecidedAsync(Handoff handoff, CancellationToken ct = default)
    {
        foreach (var channel in await OfferedChannels(db, handoff.Id).ToListAsync(ct))
        {
            Enqueue(channel, "posted-cards", OutboxKinds.HandoffDecided, handoff.Id, $"{OutboxKinds.HandoffDecided}:{handoff.Id}:{handoff.Version}:{channel}");
        }
    }

    /// <summary>
    /// The card shows something new about its lead (a logged contact): every posted copy is updated, as after a decision.
    /// <paramref name="change"/> names the change once (e.g. the lead's new version), for the dedupe key.
    /// </summary>
    public async Task HandoffCardChangedAsync(Handoff handoff, string change, CancellationToken ct = default)
    {
        foreach (var channel in await OfferedChannels(db, handoff.Id).ToListAsync(ct))
        {
            Enqueue(channel, "posted-cards", OutboxKinds.HandoffDecided, handoff.Id, $"{OutboxKinds.HandoffDecided}:{handoff.Id}:{change}:{channel}");
        }
    }

    /// <summary>
    /// A renewal was decided (renewed, churned, upsold): every channel asked to post this term's renewal card updates
    /// each posted copy to the outcome. Nothing is queued when the card never went out.
    /// </summary>
    public async Task RenewalCardDecidedAsync(Customers.RenewalDecision decision, string change, CancellationToken ct = default)
    {
        var prefix = Customers.RenewalDecision.NoticeKeyPrefix(decision.NoticeStep, decision.LeadId);
        var channels = await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.RenewalNotice && m.DedupeKey.StartsWith(prefix))
            .Select(m => m.Channel).Distinct().ToListAsync(ct);
        var payload = System.Text.Json.JsonSerializer.Serialize(decision, System.Text.Json.JsonSerializerOptions.Web);
        foreach (var channel in channels)
        {
            Enqueue(channel, "posted-cards", OutboxKinds.RenewalDecided, null, $"{OutboxKinds.RenewalDecided}:{decision.LeadId}:{change}:{channel}", payload);
        }
    }

    /// <summary>The sending department hears why its lead was turned down.</summary>
    public async Task HandoffRejectedNoticeAsync(Handoff handoff, CancellationToken ct = default)
    {
        foreach (var (channel, target) in await DepartmentTargetsAsync(handoff.From, ct))
        {
            Enqueue(channel, target, OutboxKinds.HandoffRejectedNotice, handoff.Id, $"{OutboxKinds.HandoffRejectedNotice}:{handoff.Id}:{channel}:{target}");
        }
    }

    /// <summary>A won deal is announced to the configured outbound webhook (billing, CRM), when one is configured.</summary>
    public async Task WonWebhookAsync(Leads.Lead lead, CancellationToken ct = default)
    {
        var url = webhooks.Won.Url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return;
        }
        var owner = lead.OwnerId is { } ownerId
            ? await db.People.AsNoTracking().Where(p => p.Id == ownerId).Select(p => new { id = p.Id, name = p.Name, email = p.Email }).FirstOrDefaultAsync(ct)
            : null;
        var body = System.Text.Json.JsonSerializer.Serialize(new
        {
            @event = "lead.won",
            leadId = lead.Id,
            externalId = lead.ExternalId,
            company = lead.Company,
            contact = new { name = lead.Name, email = lead.Email, title = lead.Title, phone = lead.Phone },
            amount = lead.Amount,
            wonAt = lead.Stage == Leads.LeadStage.Won ? lead.StageChangedAt : time.GetUtcNow().UtcDateTime,
            owner,
        }, System.Text.Json.JsonSerializerOptions.Web);
        Enqueue(OutboxChannels.Webhook, url.Trim(), OutboxKinds.WebhookWon, null, $"{OutboxKinds.WebhookWon}:{lead.Id}", body);
    }

    public async Task<IReadOnlyList<(string Channel, string Target)>> DepartmentTargetsAsync(Department department, CancellationToken ct = default)
    {
        if (departmentTargets.TryGetValue(department, out var known))
        {
            return known;
        }
        var targets = new List<(string, string)>();
        var dept = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Code == department, ct);
        if (dept?.TeamsConversationId is { Length: > 0 } teams)
        {
            targets.Add((OutboxChannels.Teams, teams));
        }
        if (dept?.SlackChannelId is { Length: > 0 } slack)
        {
            targets.Add((OutboxChannels.Slack, slack));
        }
        departmentTargets[department] = targets;
        return targets;
    }

    public async Task<IReadOnlyList<(string Channel, string Target)>> PersonTargetsAsync(Guid personId, CancellationToken ct = default)
    {
        if (personTargets.TryGetValue(personId, out var known))
        {
            return known;
        }
        var targets = new List<(string, string)>();
        // Find: a person routing has just assigned is already tracked (no round trip per assignee in a batch).
        var person = await db.People.FindAsync([personId], ct);
        if (person is null)
        {
            return targets;
        }
        if (person.TeamsAadObjectId is { Length: > 0 } || person.TeamsUserId is { Length: > 0 })
        {
            targets.Add((OutboxChannels.Teams, OutboxMessage.PersonTarget(person.Id)));
        }
        if (person.SlackUserId is { Length: > 0 })
        {
            targets.Add((OutboxChannels.Slack, OutboxMessage.PersonTarget(person.Id)));
        }
        personTargets[personId] = targets;
        return targets;
    }

    /// <summary>Queues one message. The dedupe key is unique: queuing the same intent twice fails the commit, never sends twice.</summary>
    public OutboxMessage Enqueue(string channel, string target, string kind, Guid? handoffId, string dedupeKey,
        string? payload = null, DateTime? notBefore = null, bool late = false)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var message = new OutboxMessage
        {
            Channel = channel,
            Target = target,
            Kind = kind,
            HandoffId = handoffId,
            Payload = payload,
            DedupeKey = dedupeKey,
            CreatedAt = now,
            NextAttemptAt = notBefore ?? now,
            Late = late,
        };
        db.AddNew(message);
        return message;
    }
}
