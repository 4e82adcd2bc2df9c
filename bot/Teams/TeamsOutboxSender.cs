using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Customers;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Bot.Notices;
using TheModel.Cards;
using TheModel.Cards.ViewModels;
using TheModel.Bot.Customers;

namespace TheModel.Bot.Teams;

/// <summary>
/// Delivers the outbox's Teams rows through the Bot Connector: handoff cards to a department channel (mentioning the
/// assignee) or a person's 1:1 chat (created on first use), in-place updates of every posted copy after a decision,
/// reject notices, SLA reminders/escalations and chat replies. Cards are rendered at send time from the handoff's
/// current state. Platform answers map to the outbox's Sent / Retry (with Retry-After) / Failed.
/// </summary>
public sealed class TeamsOutboxSender(
    TheModelDb db, ConnectorClient connector, HandoffCardFactory cards, TeamsOptions options, TimeProvider time,
    ILogger<TeamsOutboxSender> logger, RenewalCardFactory renewals) : IOutboxSender
{
    public string Channel => OutboxChannels.Teams;

    public Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct) => message.Kind switch
    {
        OutboxKinds.HandoffOffered or OutboxKinds.SlaReminder or OutboxKinds.SlaEscalation => PostHandoffAsync(message, ct),
        OutboxKinds.ContactReminder or OutboxKinds.ContactEscalation => PostContactAsync(message, ct),
        OutboxKinds.HandoffDecided => UpdatePostedCardsAsync(message, ct),
        OutboxKinds.HandoffRejectedNotice => RejectedNoticeAsync(message, ct),
        OutboxKinds.ChatReply => ChatReplyAsync(message, ct),
        OutboxKinds.DigestWeekly => DigestAsync(message, ct),
        OutboxKinds.ThresholdChanged => ThresholdNoticeAsync(message, ct),
        OutboxKinds.FeedbackWeekly => FeedbackAsync(message, ct),
        OutboxKinds.RenewalNotice => PostRenewalCardAsync(message, ct),
        OutboxKinds.RenewalDecided => UpdateRenewalCardsAsync(message, ct),
        OutboxKinds.RenewalReminder or OutboxKinds.RenewalEscalation or OutboxKinds.NeglectNudge => LeadNoticeAsync(message, ct),
        OutboxKinds.OutboxFailed => FailureNoticeAsync(message, ct),
        _ => Task.FromResult<SendResult>(new SendResult.Failed($"Teams cannot send '{message.Kind}'")),
    };

    /// <summary>A renewal step or a neglect nudge: one line of text, when it still applies (<see cref="LeadTextNotice"/>).</summary>
    private async Task<SendResult> LeadNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        var notice = await LeadTextNotice.ReadAsync(db, message, ct);
        if (notice.Words is not { } words)
        {
            return notice.NotSent ?? new SendResult.Failed("a lead notice without words");
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        var text = AdaptiveMarkdown.EscapeText(words(destination.Reader?.PrefersJapanese ?? true));
        return await SendAsync(destination.Conversation!, null, TeamsCards.Message(text, []), ct);
    }

    /// <summary>
    /// The renewal card to the CS owner's chat or the CS channel, when the renewal is still open; the copy is recorded
    /// (<see cref="PostedCard"/> under the lead's id) so that a decision updates it.
    /// </summary>
    private async Task<SendResult> PostRenewalCardAsync(OutboxMessage message, CancellationToken ct)
    {
        var notice = await LeadTextNotice.ReadAsync(db, message, ct);
        if (notice.NotSent is { } notSent)
        {
            return notSent;
        }
        if (RenewalStepPayload.Read(message) is not { } step)
        {
            return new SendResult.Skipped("no renewal payload");
        }
        if (await PostedCardQueries.PostedBy(db, message.Id, ct) is { } posted)
        {
            return new SendResult.Sent(posted.MessageId);
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        if (await renewals.BuildAsync(step.LeadId, destination.Reader, null, ct) is not { } model)
        {
            return new SendResult.Failed("renewal payload names no lead");
        }
        var conversation = destination.Conversation!;
        var activity = TeamsCards.Message($"{RenewalCards.Title(model)} — {model.RenewalDate}", [RenewalCards.Adaptive(model)]);
        return await PostCardAsync(message, conversation, step.LeadId, activity, ct);
    }

    /// <summary>A renewal was decided: PUT the card with its outcome (no actions) over every copy of that term's card.</summary>
    private async Task<SendResult> UpdateRenewalCardsAsync(OutboxMessage message, CancellationToken ct)
    {
        if (RenewalDecision.Read(message.Payload) is not { } decision)
        {
            return new SendResult.Failed("renewal.decided without a readable payload");
        }
        var copies = await PostedCardQueries.RenewalCopies(db, decision, ChatPlatform.Teams, ct);
        if (copies.Count == 0)
        {
            return new SendResult.Skipped("no Teams copy of the renewal card was posted");
        }
        return await UpdateCopiesAsync(copies.Select(c => c.Copy).ToList(), async (owner, ct) =>
            await renewals.BuildAsync(decision.LeadId, owner, decision, ct) is { } model
                ? TeamsCards.Message($"{RenewalCards.Title(model)} — {model.Outcome}", [RenewalCards.Adaptive(model)])
                : null, ct);
    }

    /// <summary>A first-contact reminder or escalation: the handoff card (open or accepted) under the contact banner.</summary>
    private Task<SendResult> PostContactAsync(OutboxMessage message, CancellationToken ct) =>
        ContactStepPayload.Read(message) is not null
            ? PostHandoffAsync(message, ct, contactStep: true)
            : Task.FromResult<SendResult>(new SendResult.Failed($"{message.Kind} without a valid payload"));

    /// <remarks><paramref name="contactStep"/>: a first-contact step goes out for an accepted handoff too, until the first touch.</remarks>
    private async Task<SendResult> PostHandoffAsync(OutboxMessage message, CancellationToken ct, bool contactStep = false)
    {
        if (message.HandoffId is not { } handoffId || await cards.ReadAsync(handoffId, ct) is not { } source)
        {
            return new SendResult.Failed("handoff not found");
        }
        if (!contactStep && !source.Handoff.IsOpen)
        {
            return new SendResult.Skipped($"handoff already {source.Handoff.State}");
        }
        if (contactStep && source.Clock is { FirstTouchAt: not null })
        {
            return new SendResult.Skipped("the lead was touched before the contact reminder went out");
        }
        // Posted before and the outcome not yet recorded (crash between post and commit): never post a second copy.
        if (await PostedCardQueries.PostedBy(db, message.Id, ct) is { } posted)
        {
            return new SendResult.Sent(posted.MessageId);
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        var (conversation, reader) = (destination.Conversation!, destination.Reader);
        var notice = await HandoffNotices.ForAsync(db, cards, message, source, reader, ct);
        var model = cards.Build(source, reader, notice.Banner);
        var activity = TeamsCards.HandoffMessage(model, notice.Mentions.Select(m => m.Person));
        return await PostCardAsync(message, conversation, handoffId, activity, ct);
    }

    /// <summary>
    /// Posts a card and records the copy (a handoff's, or a renewal card's under the lead's id) in the same step, so a
    /// decision can update every copy later.
    /// </summary>
    private async Task<SendResult> PostCardAsync(OutboxMessage message, ChatConversation conversation, Guid cardId, JsonObject activity,
        CancellationToken ct)
    {
        var result = await connector.SendToConversationAsync(conversation.ServiceUrl!, conversation.ConversationId, activity, ct);
        if (!result.Ok)
        {
            return Map(result);
        }
        db.PostedCards.Add(new PostedCard
        {
            HandoffId = cardId,
            Channel = ChatPlatform.Teams,
            ConversationId = conversation.ConversationId,
            MessageId = result.Id ?? "",
            OutboxMessageId = message.Id,
            PostedAt = time.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(ct);
        return new SendResult.Sent(result.Id);
    }

    /// <summary>After a decision: PUT the current card over every copy posted on Teams (per reader for 1:1 copies).</summary>
    private async Task<SendResult> UpdatePostedCardsAsync(OutboxMessage message, CancellationToken ct)
    {
        if (message.HandoffId is not { } handoffId)
        {
            return new SendResult.Failed("no handoff");
        }
        var copies = await PostedCardQueries.PostedCopies(db, handoffId, ChatPlatform.Teams).ToListAsync(ct);
        if (copies.Count == 0)
        {
            return new SendResult.Skipped("no Teams copy was posted");
        }
        // Read once, rendered per copy: each 1:1 copy in its reader's language and time zone.
        if (await cards.ReadAsync(handoffId, ct) is not { } source)
        {
            return new SendResult.Failed("handoff not found");
        }
        return await UpdateCopiesAsync(copies, (owner, _) => Task.FromResult<JsonObject?>(TeamsCards.HandoffMessage(cards.Build(source, owner))), ct);
    }

    /// <summary>
    /// PUTs a freshly rendered card over every posted copy, each rendered for its conversation's owner (a 1:1 copy in its
    /// reader's language and zone; a channel copy for no one). PUT is idempotent: a retry updates every copy again. A copy
    /// in an unknown conversation, or with nothing to render any more, is logged and skipped.
    /// </summary>
    private async Task<SendResult> UpdateCopiesAsync(IReadOnlyList<PostedCard> copies, Func<Person?, CancellationToken, Task<JsonObject?>> render,
        CancellationToken ct)
    {
        SendResult? retry = null;
        var updated = 0;
        foreach (var copy in copies)
        {
            var known = await PostedCardQueries.Conversation(db, ChatPlatform.Teams, copy.ConversationId, ct);
            if (known?.Conversation.ServiceUrl is not { } serviceUrl || await render(known.Owner, ct) is not { } activity)
            {
                logger.LogWarning("Posted card {Id} cannot be updated (unknown conversation {Conversation} or nothing to render)", copy.Id, copy.ConversationId);
                continue;
            }
            activity["id"] = copy.MessageId;
            var result = await connector.UpdateActivityAsync(serviceUrl, copy.ConversationId, copy.MessageId, activity, ct);
            if (result.Ok)
            {
                updated++;
            }
            else if (result.Retryable)
            {
                retry = Map(result);
            }
            else
            {
                logger.LogWarning("Could not update posted card {Id} ({Conversation}): {Error}", copy.Id, copy.ConversationId, result.Error);
            }
        }
        return retry ?? new SendResult.Sent($"updated {updated}/{copies.Count}");
    }

    private async Task<SendResult> RejectedNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        if (message.HandoffId is not { } handoffId || await cards.ReadAsync(handoffId, ct) is not { } source)
        {
            return new SendResult.Failed("handoff not found");
        }
        // No card here: the line says who rejected it and the note.
        var activity = TeamsCards.Message(HandoffNotices.Rejected(cards.Build(source, destination.Reader), source).Line, []);
        return await SendAsync(destination.Conversation!, null, activity, ct);
    }

    private async Task<SendResult> ChatReplyAsync(OutboxMessage message, CancellationToken ct)
    {
        JsonObject? payload;
        try
        {
            payload = message.Payload is null ? null : JsonNode.Parse(message.Payload) as JsonObject;
        }
        catch (JsonException)
        {
            payload = null;
        }
        if (payload?["activity"] is not JsonObject activity)
        {
            return new SendResult.Failed("chat.reply payload has no activity");
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        var replyTo = payload["replyToId"]?.GetValue<string>();
        // Reply into the exact thread the question came from (the target keeps its ;messageid= part).
        var conversationId = OutboxMessage.TryParsePersonTarget(message.Target, out _) ? destination.Conversation!.ConversationId : message.Target;
        return await SendAsync(destination.Conversation!, replyTo, activity.DeepClone().AsObject(), ct, conversationId);
    }

    /// <summary>The weekly digest to a linked channel: the figures card (chart with a fact-set fallback), the headline as notification text.</summary>
    private async Task<SendResult> DigestAsync(OutboxMessage message, CancellationToken ct)
    {
        if (DigestPayload.Read(message.Payload, out var error) is not { } digest)
        {
            return new SendResult.Failed(error!);
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        var figures = digest.Figures;
        var headline = string.IsNullOrWhiteSpace(figures.Callout) ? figures.Title : $"{figures.Title} — {figures.Callout}";
        var activity = TeamsCards.Message(headline, [TheModel.Cards.AdaptiveCardRenderer.Figures(figures)]);
        return await SendAsync(destination.Conversation!, null, activity, ct);
    }

    /// <summary>The valve was turned: one line in the digest channel.</summary>
    private Task<SendResult> ThresholdNoticeAsync(OutboxMessage message, CancellationToken ct) =>
        TextNoticeAsync(message, ThresholdNotices.Read(message.Payload)?.Text, "threshold.changed payload is not valid", ct);

    /// <summary>The week's rejection reasons and notes, as one card in the sending department's channel.</summary>
    private async Task<SendResult> FeedbackAsync(OutboxMessage message, CancellationToken ct)
    {
        if (WeeklyFeedback.Read(message.Payload) is not { } model)
        {
            return new SendResult.Failed("feedback.weekly payload is not valid");
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        return await SendAsync(destination.Conversation!, null, TeamsCards.Message(model.Title, [TheModel.Cards.FeedbackCards.Adaptive(model)]), ct);
    }

    /// <summary>Tells the admins (digest channel or their 1:1 chat) that a row failed for good and how to re-queue it.</summary>
    private Task<SendResult> FailureNoticeAsync(OutboxMessage message, CancellationToken ct) =>
        TextNoticeAsync(message, OutboxFailureNotice.Read(message.Payload)?.Text(), "outbox.failed without a readable payload", ct);

    /// <summary>A notice that is one line of text to its target conversation.</summary>
    private async Task<SendResult> TextNoticeAsync(OutboxMessage message, string? text, string invalid, CancellationToken ct)
    {
        if (text is null)
        {
            return new SendResult.Failed(invalid);
        }
        var destination = await DestinationAsync(message.Target, ct);
        if (destination.Error is not null)
        {
            return destination.Error;
        }
        return await SendAsync(destination.Conversation!, null, TeamsCards.Message(text, []), ct);
    }

    private async Task<SendResult> SendAsync(ChatConversation conversation, string? replyTo, JsonObject activity, CancellationToken ct, string? conversationId = null)
    {
        conversationId ??= conversation.ConversationId;
        var result = replyTo is { Length: > 0 }
            ? await connector.ReplyToActivityAsync(conversation.ServiceUrl!, conversationId, replyTo, activity.With("replyToId", replyTo), ct)
            : await connector.SendToConversationAsync(conversation.ServiceUrl!, conversationId, activity, ct);
        return result.Ok ? new SendResult.Sent(result.Id) : Map(result);
    }

    /// <summary>A person's latest 1:1 chat with the bot that can be posted into (compiled once: every card to a person reads it).</summary>
    private static readonly Func<TheModelDb, Guid, string?, CancellationToken, Task<ChatConversation?>> PersonalChat =
        EF.CompileAsyncQuery((TheModelDb db, Guid personId, string? teamsUserId, CancellationToken _) => db.Conversations.AsNoTracking()
            .Where(c => c.Channel == ChatPlatform.Teams && c.ConversationType == "personal" && c.ServiceUrl != null
                && (c.PersonId == personId || (teamsUserId != null && c.UserId == teamsUserId)))
            .OrderByDescending(c => c.UpdatedAt).FirstOrDefault());

    private sealed record Destination(ChatConversation? Conversation, Person? Reader, SendResult? Error);

    /// <summary>A channel/chat conversation id, or <c>person:{guid}</c> = that person's 1:1 chat (created when missing).</summary>
    private async Task<Destination> DestinationAsync(string target, CancellationToken ct)
    {
        if (!OutboxMessage.TryParsePersonTarget(target, out var personId))
        {
            var id = TeamsIds.BaseConversationId(target);
            var known = await PostedCardQueries.Conversation(db, ChatPlatform.Teams, id, ct);
            if (known?.Conversation.ServiceUrl is null)
            {
                return new(null, null, new SendResult.Failed($"the bot has no conversation reference for {id} (is it installed there?)"));
            }
            return new(known.Conversation, known.Owner, null);
        }
        var person = await PostedCardQueries.Person(db, personId, ct);
        if (person is null)
        {
            return new(null, null, new SendResult.Failed("person not found"));
        }
        // A chat the person opened before they were in the directory is theirs too (matched by Teams user id).
        var teamsUserId = person.TeamsUserId;
        var personal = await PersonalChat(db, personId, teamsUserId, ct);
        if (personal is not null)
        {
            return new(personal, person, null);
        }
        var (created, error) = await CreatePersonalConversationAsync(person, ct);
        return new(created, person, error);
    }

    /// <summary>
    /// Proactive 1:1 chat (docs/protocols/teams.md §3): the user id (or Entra object id) and the tenant are required, and it only
    /// works once the app is installed for that user. The service URL is the tenant's last known one.
    /// </summary>
    private async Task<(ChatConversation? Conversation, SendResult? Error)> CreatePersonalConversationAsync(Person person, CancellationToken ct)
    {
        var userId = person.TeamsUserId is { Length: > 0 } u ? u : person.TeamsAadObjectId;
        if (string.IsNullOrEmpty(userId))
        {
            return (null, new SendResult.Failed($"{person.Name} has no Teams identity"));
        }
        // Only a tenant we serve (rows stored before Teams:AllowedTenants was set may name others).
        var tenants = string.IsNullOrEmpty(options.TenantId) ? options.TenantsInForce.Select(t => t.Trim()).ToList() : [options.TenantId];
        var known = await db.Conversations.AsNoTracking()
            .Where(c => c.Channel == ChatPlatform.Teams && c.ServiceUrl != null && c.TenantId != null
                && (tenants.Count == 0 || tenants.Contains(c.TenantId)))
            .OrderByDescending(c => c.UpdatedAt).FirstOrDefaultAsync(ct);
        var tenantId = string.IsNullOrEmpty(options.TenantId) ? known?.TenantId : options.TenantId;
        if (tenantId is null)
        {
            return (null, new SendResult.Failed("no Teams tenant known yet: install the app in a team or chat first"));
        }
        var serviceUrl = known?.ServiceUrl ?? options.FallbackServiceUrl;
        var botId = known?.BotId ?? $"28:{options.AppId}";
        var result = await connector.CreatePersonalConversationAsync(serviceUrl, botId, userId, tenantId, ct);
        if (!result.Ok || result.Id is null)
        {
            return (null, result.Ok ? new SendResult.Failed("create conversation returned no id") : Map(result));
        }
        var now = time.GetUtcNow().UtcDateTime;
        var conversation = await db.Conversations.FirstOrDefaultAsync(c => c.Channel == ChatPlatform.Teams && c.ConversationId == result.Id, ct);
        if (conversation is null)
        {
            conversation = new ChatConversation { Channel = ChatPlatform.Teams, ConversationId = result.Id, CreatedAt = now };
            db.Conversations.Add(conversation);
        }
        conversation.ConversationType = "personal";
        conversation.ServiceUrl = serviceUrl;
        conversation.TenantId = tenantId;
        conversation.BotId = botId;
        conversation.PersonId = person.Id;
        conversation.UserId = userId;
        conversation.Name = person.Name;
        conversation.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return (conversation, null);
    }

    private static SendResult Map(ConnectorResult result) =>
        result.Retryable
            ? new SendResult.Retry(result.Error ?? $"Connector answered {(int?)result.Status}", result.RetryAfter)
            : new SendResult.Failed(result.Error ?? $"Connector answered {(int?)result.Status}");
}

internal static class JsonObjectExtensions
{
    public static JsonObject With(this JsonObject node, string name, string value)
    {
        node[name] = value;
        return node;
    }
}
