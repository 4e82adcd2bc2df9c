using TheModel.Api.Conversations;
using TheModel.Cards;
using TheModel.Bot.Customers;
using TheModel.Bot.HandoffCards;

namespace TheModel.Bot.Slack;

/// <summary>
/// A contact button on an accepted card (<see cref="CardActions.ContactLogs"/>): one click logs it, with the note typed
/// in the message's input (the payload's <c>state</c>). It runs from the queue; the card copies are updated through the
/// outbox, and a refusal is told privately. A click in the App Home (no note input there) republishes the home at once.
/// </summary>
public sealed class SlackContactHandler(SlackPeople people, CardContacts contacts, SlackReplies replies, SlackHome home, ILogger<SlackContactHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!Guid.TryParse(action?.Value, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack contact click without a handoff id or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var handoffId = Guid.Parse(action!.Value!);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var note = payload.State?.Get(CardFields.ContactNote, CardFields.ContactNote)?.Value;
        var refusal = who.Person is null
            ? SlackTexts.UnknownPerson(SlackTexts.Japanese(null))
            : await contacts.LogAsync(handoffId, who.Person, action.ActionId!, note, ct);
        logger.LogInformation("Slack contact {Action} on {Handoff} by {User}: {Outcome}", action.ActionId, handoffId, who.SlackUserId,
            refusal is null ? "logged" : "refused");
        if (refusal is not null && payload.ChannelId is { } channel)
        {
            await replies.EphemeralAsync(channel, who.SlackUserId, refusal, $"chat.reply:slack:work:{work.Id}", ct);
        }
        if (refusal is null && who.Person is { } person && SlackHome.FromHome(payload))
        {
            await home.ClickedAsync(person.Id, ct);
        }
    }
}

/// <summary>
/// "Kick-off done" on an accepted Won → CS card (<see cref="CardActions.KickOff"/>): runs from the queue; the card
/// copies are updated through the outbox, and a refusal is told privately.
/// </summary>
public sealed class SlackKickOffHandler(SlackPeople people, CardContacts contacts, SlackReplies replies, ILogger<SlackKickOffHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!Guid.TryParse(action?.Value, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack kick-off click without a handoff id or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var handoffId = Guid.Parse(action!.Value!);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var refusal = who.Person is null
            ? SlackTexts.UnknownPerson(SlackTexts.Japanese(null))
            : await contacts.KickOffAsync(handoffId, who.Person, ct);
        logger.LogInformation("Slack kick-off on {Handoff} by {User}: {Outcome}", handoffId, who.SlackUserId, refusal is null ? "recorded" : "refused");
        if (refusal is not null && payload.ChannelId is { } channel)
        {
            await replies.EphemeralAsync(channel, who.SlackUserId, refusal, $"chat.reply:slack:work:{work.Id}", ct);
        }
    }
}

/// <summary>
/// Renewed / Churned / Upsold on the renewal card (<see cref="RenewalCards.Actions"/>): the inputs come in the click's
/// <c>state</c>. Runs from the queue through <see cref="RenewalDecisions"/>; the card's copies are updated through the
/// outbox, and a refusal is told privately (ephemeral).
/// </summary>
public sealed class SlackRenewalHandler(SlackPeople people, RenewalDecisions decisions, SlackReplies replies, ILogger<SlackRenewalHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!Guid.TryParse(action?.Value, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack renewal click without a lead id or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var leadId = Guid.Parse(action!.Value!);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        string? Input(string field) => payload.State?.Get(field, field) is { } v ? v.SelectedOption?.Value ?? v.Value : null;
        var refusal = who.Person is null
            ? SlackTexts.UnknownPerson(SlackTexts.Japanese(null))
            : (await decisions.DecideAsync(leadId, who.Person, action.ActionId!, Input(CardFields.RenewedAmount), Input(CardFields.RenewedTerm),
                Input(CardFields.ChurnReason), Input(CardFields.ChurnNote), ct)).Refusal;
        logger.LogInformation("Slack renewal {Action} on {Lead} by {User}: {Outcome}", action.ActionId, leadId, who.SlackUserId, refusal is null ? "recorded" : "refused");
        if (refusal is not null && payload.ChannelId is { } channel)
        {
            await replies.EphemeralAsync(channel, who.SlackUserId, refusal, $"chat.reply:slack:work:{work.Id}", ct);
        }
    }
}
