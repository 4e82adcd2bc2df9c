using System.Text.Json;
using System.Text.Json.Nodes;
using TheModel.Api.Qualification;
using TheModel.Bot.Chat;

namespace TheModel.Bot.Teams;

/// <summary>
/// The digest's advice button (<see cref="Cards.CardActions.DigestSetThreshold"/>): the same rule as <c>threshold N</c>
/// in chat, reason "digest advice". The answer goes to the clicker only (an invoke message response); the card stays
/// as it is, and the valve announces the change in the digest channel(s).
/// </summary>
public sealed class DigestThresholdCardAction(ThresholdValve valve) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is null)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        if (context.Data.ValueKind != JsonValueKind.Object || !context.Data.TryGetProperty(Cards.CardFields.Threshold, out var value)
            || value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var threshold))
        {
            return TeamsCards.ErrorResponse(400, "BadRequest", "action.data.threshold is required");
        }
        var reply = await ThresholdAnswers.AnswerAsync(valve, threshold, context.Person, context.Japanese ? "ja" : "en", ThresholdReasons.DigestAdvice, ct);
        return TeamsCards.MessageResponse(reply.Text);
    }
}
