using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>
/// The Slack App Home: a person's batons, published with <c>views.publish</c> through the outbox
/// (<see cref="Kind"/>). Published when the person opens the tab (<c>app_home_opened</c>) and, once they have opened
/// it, again whenever one of their department's handoffs changes (offer, decision, reassignment, SLA step) — one
/// pending row per person, due <see cref="Coalesce"/> after the first change, so a burst of changes is one publish.
/// docs/protocols/slack.md; api.slack.com/methods/views.publish.
/// </summary>
public sealed class SlackHome(TheModelDb db, SlackPeople people, TimeProvider time, ILogger<SlackHome> logger)
{
    public const string Kind = "slack.home";
    /// <summary>Changes within this window after the first one go out in the same publish.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(5);
    /// <summary>Settings key prefix marking that a person has opened the home (so changes republish it).</summary>
    public const string OpenedKeyPrefix = "slack-home-opened:";

    /// <summary>Outbox kinds that change someone's list: the sender asks for a republish after sending one.</summary>
    public static bool Changes(string kind) => kind is OutboxKinds.HandoffOffered or OutboxKinds.HandoffDecided
        or OutboxKinds.SlaReminder or OutboxKinds.SlaEscalation;

    /// <summary>
    /// Outbox kinds that change only the holder's list: the first-contact clock's reminder and escalation (a logged touch
    /// updates the card copies, a <see cref="OutboxKinds.HandoffDecided"/> row, so it is one of <see cref="Changes"/>).
    /// </summary>
    public static bool ChangesHolder(string kind) => kind is OutboxKinds.ContactReminder or OutboxKinds.ContactEscalation;

    /// <summary><c>app_home_opened</c> on the Home tab: remember that they opened it, publish now.</summary>
    public async Task OpenedAsync(string slackUserId, InboundWork work, CancellationToken ct)
    {
        var who = await people.ResolveAsync(slackUserId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (who.Person is not { } person)
        {
            // Not in the directory: a home that says how to get added, addressed by the Slack user id.
            var payload = new JsonObject { ["locale"] = who.Locale }.ToJsonString();
            db.Outbox.Add(Row(slackUserId, now, $"{Kind}:open:{work.Id}", payload));
            await db.SaveChangesAsync(ct);
            return;
        }
        var key = OpenedKeyPrefix + person.Id;
        var opened = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
        if (opened is null)
        {
            db.Settings.Add(new Setting { Key = key, Json = new JsonObject { ["slackUserId"] = slackUserId }.ToJsonString(), UpdatedAt = now });
        }
        else
        {
            opened.UpdatedAt = now;
        }
        await RequestAsync(person.Id, now, ct);
    }

    /// <summary>A handoff changed: republish the homes of its receiving department's people who have opened theirs.</summary>
    public async Task HandoffChangedAsync(Guid handoffId, CancellationToken ct)
    {
        var kind = await db.Handoffs.AsNoTracking().Where(h => h.Id == handoffId).Select(h => (Api.Handoffs.HandoffKind?)h.Kind).FirstOrDefaultAsync(ct);
        if (kind is not { } k)
        {
            return;
        }
        // The department, not only the assignee: a queue offer is everyone's, and the managers' team counts change too.
        var department = Api.Handoffs.HandoffKinds.To(k);
        var candidates = await db.People.AsNoTracking().Where(p => p.Department == department && p.SlackUserId != null)
            .Select(p => p.Id).ToListAsync(ct);
        var keys = candidates.Select(id => OpenedKeyPrefix + id).ToList();
        var openedKeys = await db.Settings.AsNoTracking().Where(s => keys.Contains(s.Key)).Select(s => s.Key).ToListAsync(ct);
        var due = time.GetUtcNow().UtcDateTime + Coalesce;
        foreach (var key in openedKeys)
        {
            await RequestAsync(Guid.Parse(key[OpenedKeyPrefix.Length..]), due, ct);
        }
    }

    /// <summary>The first-contact clock stepped: republish the home of whoever holds the handoff, if they opened it.</summary>
    public async Task HolderChangedAsync(Guid handoffId, CancellationToken ct)
    {
        var holder = await db.Handoffs.AsNoTracking().Where(h => h.Id == handoffId)
            .Select(h => h.AssigneeId ?? db.Leads.Where(l => l.Id == h.LeadId).Select(l => l.OwnerId).FirstOrDefault())
            .FirstOrDefaultAsync(ct);
        if (holder is not { } personId)
        {
            return;
        }
        var key = OpenedKeyPrefix + personId;
        if (await db.Settings.AsNoTracking().AnyAsync(s => s.Key == key, ct))
        {
            await RequestAsync(personId, time.GetUtcNow().UtcDateTime + Coalesce, ct);
        }
    }

    /// <summary>
    /// A click in someone's home went through: publish it now, so the clicker sees the result without waiting for the
    /// card updates' republish (which still follows, coalesced, and is harmless).
    /// </summary>
    public Task ClickedAsync(Guid personId, CancellationToken ct) => RequestAsync(personId, time.GetUtcNow().UtcDateTime, ct);

    /// <summary>Whether a Slack interaction came from a button in the App Home tab.</summary>
    public static bool FromHome(SlackInteraction payload) => payload.View?.Type == "home";

    /// <summary>One pending publish per person: a pending row already there takes this change too.</summary>
    private async Task RequestAsync(Guid personId, DateTime due, CancellationToken ct)
    {
        var target = OutboxMessage.PersonTarget(personId);
        var pending = await db.Outbox.FirstOrDefaultAsync(m => m.Channel == OutboxChannels.Slack && m.Kind == Kind && m.Target == target
            && m.Status == OutboxStatus.Pending && m.LockedBy == null, ct);
        if (pending is not null)
        {
            if (pending.NextAttemptAt > due)
            {
                pending.NextAttemptAt = due;
            }
        }
        else
        {
            db.Outbox.Add(Row(target, due, $"{Kind}:{personId}:{due.Ticks}"));
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            // Another instance queued the same publish at the same moment: theirs goes out.
            db.DiscardChanges();
            logger.LogInformation(ex, "Slack home publish for {Person} already queued", personId);
        }
    }

    private OutboxMessage Row(string target, DateTime due, string dedupeKey, string? payload = null) => new()
    {
        Channel = OutboxChannels.Slack,
        Target = target,
        Kind = Kind,
        Payload = payload,
        DedupeKey = dedupeKey,
        CreatedAt = time.GetUtcNow().UtcDateTime,
        NextAttemptAt = due,
    };
}

/// <summary>Sends <see cref="SlackHome.Kind"/> rows: renders the person's home as it is now and publishes it.</summary>
public sealed class SlackHomePublisher(TheModelDb db, SlackApiClient slack, BatonsViews views)
{
    public async Task<SendResult> PublishAsync(OutboxMessage message, CancellationToken ct)
    {
        string slackUserId;
        Cards.ViewModels.BatonsViewModel model;
        if (OutboxMessage.TryParsePersonTarget(message.Target, out var personId))
        {
            var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
            if (person?.SlackUserId is not { Length: > 0 } user)
            {
                return new SendResult.Skipped("the person has no Slack user id any more");
            }
            slackUserId = user;
            model = await views.ForAsync(person, ct);
        }
        else if (!string.IsNullOrWhiteSpace(message.Target))
        {
            slackUserId = message.Target;
            var locale = string.IsNullOrEmpty(message.Payload) ? null : JsonNode.Parse(message.Payload)?["locale"]?.GetValue<string>();
            model = await views.UnknownAsync(ChatPlatform.Slack, slackUserId, locale, ct);
        }
        else
        {
            return new SendResult.Failed($"{SlackHome.Kind} without a target");
        }
        var response = await slack.PublishViewAsync(slackUserId, BlockKitRenderer.Home(model), ct);
        // views.publish replaces the whole view: repeating it is harmless, so an uncertain answer is simply retried.
        return response.Ok ? new SendResult.Sent(response.String("view", "id"))
            : response.RateLimited || response.Uncertain ? new SendResult.Retry($"views.publish {response.Describe()}", response.RetryAfter)
            : new SendResult.Failed($"views.publish {response.Describe()}");
    }
}
