using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TheModel.Cards;
using TheModel.Bot.Customers;

namespace TheModel.Bot.Teams;

/// <summary>
/// Renewed / Churned / Upsold on the renewal card (<see cref="RenewalCards.Actions"/>): Teams merges the form's inputs
/// into the data. Recorded through <see cref="RenewalDecisions"/> (CustomerLifecycle's rights and checks); the clicker gets
/// the card with its outcome, the other copies are updated through the outbox. A refusal is a private message.
/// </summary>
public sealed class RenewalCardAction(RenewalDecisions decisions, RenewalCardFactory cards) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        if (!Guid.TryParse(Value(context.Data, CardFields.LeadId), out var leadId))
        {
            return TeamsCards.ErrorResponse(400, "BadRequest", $"action.data.{CardFields.LeadId} is required");
        }
        var amount = Value(context.Data, context.Verb == CardActions.Upsold ? CardFields.UpsoldAmount : CardFields.RenewedAmount);
        var outcome = await decisions.DecideAsync(leadId, person, context.Verb, amount, Value(context.Data, CardFields.RenewedTerm),
            Value(context.Data, CardFields.ChurnReason), Value(context.Data, CardFields.ChurnNote), ct);
        if (outcome.Refusal is { } refusal)
        {
            return TeamsCards.MessageResponse(refusal);
        }
        var model = await cards.BuildAsync(leadId, person, outcome.Change?.Decision, ct);
        return model is null
            ? TeamsCards.MessageResponse(context.Japanese ? "その顧客は見つかりません。" : "No such customer.")
            : TeamsCards.CardResponse(RenewalCards.Adaptive(model));
    }

    /// <summary>An input's value: Teams sends text inputs as strings and may send numbers as numbers.</summary>
    private static string? Value(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetDecimal().ToString(CultureInfo.InvariantCulture),
                _ => null,
            }
            : null;
}
