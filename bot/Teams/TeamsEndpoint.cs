using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TheModel.Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>: authenticates the caller (docs/protocols/teams.md §1), parses the activity and hands it to the
/// handler for its type. Unhandled types get 200 and are ignored, as the Bot Framework expects.
/// </summary>
public static class TeamsEndpoint
{
    public const string InvokeName = "adaptiveCard/action";

    public static async Task<IResult> HandleAsync(HttpContext http, TeamsOptions options, BotTokenValidator validator,
        TeamsConversations conversations, TeamsMessageHandler messages, TeamsCardActionRegistry actions,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger("TheModel.Bot.Teams");

        // 1. Who is calling. The token is checked before the body is even parsed; its serviceurl and endorsements after.
        BotToken? token = null;
        var header = http.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return Unauthorized(logger, http, "Authorization is not a Bearer token");
            }
            var check = await validator.ValidateAsync(header["Bearer ".Length..].Trim(), ct);
            if (!check.Valid)
            {
                return Unauthorized(logger, http, check.Error ?? "invalid token");
            }
            token = check.Token;
        }
        else if (!(options.AnonymousOnLoopback && IsLoopback(http.Connection.RemoteIpAddress)))
        {
            return Unauthorized(logger, http, options.AuthEnabled ? "no bearer token" : "no bearer token and not from loopback");
        }

        // 2. What was sent.
        if (http.Request.ContentLength > options.MaxActivityBytes)
        {
            return TypedResults.Problem("The activity is larger than this bot accepts.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxActivityBytes;
        }
        Activity? activity;
        try
        {
            activity = await JsonSerializer.DeserializeAsync<Activity>(http.Request.Body, Activity.Json, ct);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem("The activity is larger than this bot accepts.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (JsonException ex)
        {
            logger.LogWarning("Malformed Teams activity: {Error}", ex.Message);
            return TypedResults.Problem($"The body is not a valid activity: {ex.Message}", statusCode: StatusCodes.Status400BadRequest, title: "Malformed activity");
        }
        if (activity?.Type is not { Length: > 0 })
        {
            logger.LogWarning("Teams activity without a type");
            return TypedResults.Problem("The activity has no type.", statusCode: StatusCodes.Status400BadRequest, title: "Malformed activity");
        }

        // 3. Does the token belong to this activity.
        if (token is not null)
        {
            if (!SameServiceUrl(token.ServiceUrl, activity.ServiceUrl))
            {
                return Unauthorized(logger, http, $"serviceurl claim '{token.ServiceUrl}' does not match the activity's '{activity.ServiceUrl}'");
            }
            if (activity.ChannelId is not { Length: > 0 } channel || !token.Endorsements.Contains(channel, StringComparer.OrdinalIgnoreCase))
            {
                // The Bot Framework auth doc asks for 403 when the signing key is not endorsed for the channel.
                logger.LogWarning("Teams request refused: signing key not endorsed for channel {Channel}", activity.ChannelId);
                return TypedResults.Problem("The token's signing key is not endorsed for this channel.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            }
        }

        // 4. Handle it.
        await http.RequestServices.GetRequiredService<Api.Store.TheModelDb>().HoldConnectionAsync(ct);
        switch (activity.Type)
        {
            case "message":
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
            case "invoke" when activity.Name == InvokeName:
            {
                var person = await conversations.FindPersonAsync(activity, ct);
                await conversations.RememberAsync(activity, person, ct, needRow: false);
                return TypedResults.Json(await CardActionAsync(activity, person, actions, http.RequestServices, logger, ct), Activity.Json);
            }
            case "invoke":
                logger.LogInformation("Teams invoke {Name} is not handled", activity.Name);
                return TypedResults.Json(TeamsCards.ErrorResponse(501, "NotImplemented", $"invoke '{activity.Name}' is not handled"), Activity.Json);
            case "installationUpdate" when activity.Action?.StartsWith("add", StringComparison.OrdinalIgnoreCase) == true:
            case "conversationUpdate" when activity.MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true:
            {
                var person = await conversations.FindPersonAsync(activity, ct);
                await conversations.RememberAsync(activity, person, ct);
                return TypedResults.Ok();
            }
            default:
                logger.LogDebug("Teams activity {Type} ignored", activity.Type);
                return TypedResults.Ok();
        }
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
        if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("handoffId", out var idElement)
            || idElement.ValueKind != JsonValueKind.String || !Guid.TryParse(idElement.GetString(), out var handoffId))
        {
            logger.LogWarning("Teams card action {Verb} without a handoffId", verb);
            return TeamsCards.ErrorResponse(400, "BadRequest", "action.data.handoffId is required");
        }
        return await handler.HandleAsync(new CardActionContext(activity, verb, handoffId, data, person), ct);
    }

    private static bool SameServiceUrl(string? claim, string? activity) =>
        claim is { Length: > 0 } && activity is { Length: > 0 }
        && string.Equals(claim.TrimEnd('/'), activity.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static ProblemHttpResult Unauthorized(ILogger logger, HttpContext http, string why)
    {
        logger.LogWarning("Teams request from {Remote} refused: {Why}", http.Connection.RemoteIpAddress, why);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem("The request is not from the Bot Connector.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
    }
}
