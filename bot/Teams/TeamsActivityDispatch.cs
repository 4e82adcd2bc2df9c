using System.Text.Json;
using System.Text.Json.Nodes;

namespace TheModel.Bot.Teams;

/// <summary>
/// One handler per activity type the bot answers: a message, a card's <c>adaptiveCard/action</c> invoke, the bot being
/// added (installation or to a conversation). Other types get 200 and are ignored, as the Bot Framework expects.
/// </summary>
internal sealed class TeamsActivityDispatch(HttpContext http, TeamsConversations conversations, TeamsMessageHandler messages,
    TeamsCardActionRegistry actions, ILogger logger, CancellationToken ct)
{
    public Task<IResult> DispatchAsync(Activity activity) => activity.Type switch
    {
        "message" => MessageAsync(activity),
        "invoke" when activity.Name == TeamsEndpoint.InvokeName => CardActionInvokeAsync(activity),
        "invoke" => Task.FromResult(UnhandledInvoke(activity)),
        "installationUpdate" when activity.Action?.StartsWith("add", StringComparison.OrdinalIgnoreCase) == true => BotAddedAsync(activity),
        "conversationUpdate" when activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true => BotAddedAsync(activity),
        _ => Task.FromResult(Ignored(activity)),
    };

    private async Task<IResult> MessageAsync(Activity activity)
    {
        if (string.IsNullOrWhiteSpace(activity.ServiceUrl) || activity.Conversation?.Id is not { Length: > 0 })
        {
            return TypedResults.Problem("A message needs serviceUrl and conversation.id.", statusCode: StatusCodes.Status400BadRequest, title: "Malformed activity");
        }
        var person = await conversations.FindPersonAsync(activity, ct);
        var conversation = await conversations.RememberAsync(activity, person, ct);
        await messages.HandleAsync(activity, person, conversation, ct);
        return TypedResults.Ok();
    }

    private async Task<IResult> CardActionInvokeAsync(Activity activity)
    {
        var person = await conversations.FindPersonAsync(activity, ct);
        await conversations.RememberAsync(activity, person, ct, needRow: false);
        return TypedResults.Json(await CardActionAsync(activity, person, actions, http.RequestServices, logger, ct), Activity.Json);
    }

    private IResult UnhandledInvoke(Activity activity)
    {
        logger.LogInformation("Teams invoke {Name} is not handled", activity.Name);
        return TypedResults.Json(TeamsCards.ErrorResponse(501, "NotImplemented", $"invoke '{activity.Name}' is not handled"), Activity.Json);
    }

    private async Task<IResult> BotAddedAsync(Activity activity)
    {
        var person = await conversations.FindPersonAsync(activity, ct);
        await conversations.RememberAsync(activity, person, ct);
        await http.RequestServices.GetRequiredService<TeamsWelcome>().SendAsync(activity, person, ct);
        return TypedResults.Ok();
    }

    private IResult Ignored(Activity activity)
    {
        logger.LogDebug("Teams activity {Type} ignored", activity.Type);
        return TypedResults.Ok();
    }

    /// <summary><c>adaptiveCard/action</c>: verb → registered handler; bad or unknown input gets an invoke error, never a 500.</summary>
    internal static async Task<JsonObject> CardActionAsync(Activity activity, Api.People.Person? person, TeamsCardActionRegistry actions,
        IServiceProvider services, ILogger logger, CancellationToken ct)
    {
        if (activity.Value is not { ValueKind: JsonValueKind.Object } value
            || !value.TryGetProperty("action", out var action) || action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("verb", out var verbElement) || verbElement.ValueKind != JsonValueKind.String)
        {
            logger.LogWarning("Teams card action without action.verb");
            return TeamsCards.ErrorResponse(400, "BadRequest", "value.action.verb is required");
        }
        var verb = verbElement.GetString()!;
        if (actions.Resolve(verb, services) is not { } handler)
        {
            logger.LogWarning("Teams card action with unknown verb {Verb}", verb);
            return TeamsCards.ErrorResponse(400, "BadRequest", $"unknown verb '{verb}'");
        }
        var data = action.TryGetProperty("data", out var d) ? d : default;
        if (!actions.NamesHandoff(verb))
        {
            return await handler.HandleAsync(new CardActionContext(activity, verb, Guid.Empty, data, person), ct);
        }
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty(Cards.CardFields.HandoffId, out var idElement)
            || idElement.ValueKind != JsonValueKind.String || !Guid.TryParse(idElement.GetString(), out var handoffId))
        {
            logger.LogWarning("Teams card action {Verb} without a handoffId", verb);
            return TeamsCards.ErrorResponse(400, "BadRequest", "action.data.handoffId is required");
        }
        return await handler.HandleAsync(new CardActionContext(activity, verb, handoffId, data, person), ct);
    }
}
