using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Notices;
using TheModel.Cards;

namespace TheModel.Bot.Teams;

/// <summary>
/// Shared by the handoff verbs: turns a <see cref="DecisionOutcome"/> into what the clicker sees. The winner and a
/// late clicker both get the card as it now stands; someone without rights keeps their card and reads why in a
/// private message. Updating the other posted copies is the outbox's job (HandoffService queues handoff.decided).
/// </summary>
public sealed class HandoffCardResponses(HandoffCardFactory cards, TheModelDb db)
{
    public async Task<JsonObject> CurrentCardAsync(CardActionContext context, CancellationToken ct)
    {
        var model = await cards.BuildAsync(context.HandoffId, context.Person, ct: ct);
        return model is null
            ? TeamsCards.MessageResponse(context.Japanese ? "このバトンは見つかりません。" : "This baton no longer exists.")
            : TeamsCards.CardResponse(AdaptiveCardRenderer.Handoff(model));
    }

    public async Task<JsonObject> OutcomeAsync(CardActionContext context, DecisionOutcome outcome, CancellationToken ct)
    {
        var ja = context.Japanese;
        switch (outcome.Status)
        {
            case DecisionOutcomeStatus.Done or DecisionOutcomeStatus.AlreadyDecided when outcome.Handoff is { } handoff:
                // The card as the decision left it, from what the unit of work already holds.
                return TeamsCards.CardResponse(AdaptiveCardRenderer.Handoff(await cards.BuildAsync(handoff, context.Person, ct)));
            case DecisionOutcomeStatus.NotFound:
                return TeamsCards.MessageResponse(ja ? "このバトンは見つかりません。" : "This baton no longer exists.");
            case DecisionOutcomeStatus.NotYours:
                var assignee = outcome.Handoff?.AssigneeId is { } id
                    ? await db.People.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name).FirstOrDefaultAsync(ct)
                    : null;
                return TeamsCards.MessageResponse(assignee is null
                    ? (ja ? "このバトンは受け手の部署のメンバーだけが判断できます。" : "Only a member of the receiving department can decide this baton.")
                    : (ja ? $"このバトンは {assignee} さん宛てです。判断できるのは本人かそのマネージャーだけです。"
                          : $"This baton is offered to {assignee}; only they or their manager can decide it."));
            case DecisionOutcomeStatus.ReasonRequired:
                return TeamsCards.MessageResponse(NoticeWords.ReasonRequired(ja));
            case DecisionOutcomeStatus.NoteTooLong:
                return TeamsCards.MessageResponse(ja ? $"メモは {InputLimits.Note} 文字以内にしてください。" : $"The note may be at most {InputLimits.Note} characters.");
            default:
                return UnknownPerson(context);
        }
    }

    public static JsonObject UnknownPerson(CardActionContext context) =>
        TeamsCards.MessageResponse(context.Japanese
            ? "あなたの Teams アカウントは名簿に登録されていません。管理者に登録を依頼するか、`join <部署>` で参加してください。"
            : "Your Teams account is not in the directory yet. Ask an admin to add you, or send `join <department>`.");
}

public sealed class AcceptHandoffCardAction(HandoffService handoffs, HandoffCardResponses responses) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        var outcome = await handoffs.AcceptAsync(context.HandoffId, person.Id, ct, DecisionPlatforms.Teams);
        return await responses.OutcomeAsync(context, outcome, ct);
    }
}

/// <summary>
/// The reason form's submit (<see cref="CardActions.RejectSubmit"/>; also <see cref="CardActions.Reject"/> when a card
/// renders Reject as an Execute): Teams merges the inputs <c>reason</c> and <c>note</c> into the action data.
/// </summary>
public sealed class RejectHandoffCardAction(HandoffService handoffs, HandoffCardResponses responses) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        RejectReason? reason = context.DataString(CardFields.Reason) is { Length: > 0 } raw
            && !char.IsDigit(raw[0]) && Enum.TryParse<RejectReason>(raw, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed : null;
        var outcome = await handoffs.RejectAsync(context.HandoffId, person.Id, reason, context.DataString(CardFields.Note), ct, DecisionPlatforms.Teams);
        return await responses.OutcomeAsync(context, outcome, ct);
    }
}

/// <summary><c>refresh</c>: every viewer sees the card as it stands now, in their language and time zone.</summary>
public sealed class RefreshHandoffCardAction(HandoffCardResponses responses) : ITeamsCardAction
{
    public Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct) => responses.CurrentCardAsync(context, ct);
}

/// <summary>
/// A contact button on an accepted card (<see cref="CardActions.ContactLogs"/>): logs it with the note typed on the card
/// (Teams merges the input into the data) and answers the card as it now stands; a refusal is a private message.
/// From the my-batons card (<see cref="CardFields.View"/>) it answers the refreshed my-batons card.
/// </summary>
public sealed class ContactHandoffCardAction(CardContacts contacts, HandoffCardResponses responses, TeamsMyBatons batons) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        var refusal = await contacts.LogAsync(context.HandoffId, person, context.Verb, context.DataString(CardFields.ContactNote), ct);
        if (refusal is not null)
        {
            return TeamsCards.MessageResponse(refusal);
        }
        return context.DataString(CardFields.View) == CardFields.MyBatonsView
            ? TeamsCards.CardResponse(await batons.CardAsync(person, ct))
            : await responses.CurrentCardAsync(context, ct);
    }
}

/// <summary>
/// "Kick-off done" on an accepted Won → CS card (<see cref="CardActions.KickOff"/>): records the kick-off and answers the
/// card as it now stands ("Kicked off on …"); a refusal is a private message and nothing changes.
/// </summary>
public sealed class KickOffHandoffCardAction(CardContacts contacts, HandoffCardResponses responses) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        var refusal = await contacts.KickOffAsync(context.HandoffId, person, ct);
        return refusal is null ? await responses.CurrentCardAsync(context, ct) : TeamsCards.MessageResponse(refusal);
    }
}
