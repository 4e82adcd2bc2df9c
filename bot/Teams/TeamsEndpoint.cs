using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TheModel.Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>: behind the <see cref="BotFrameworkAuthentication"/> scheme (docs/protocols/teams.md §1), parses the
/// activity, checks the token belongs to it, and hands it to the handler for its type. Unhandled types get 200 and
/// are ignored, as the Bot Framework expects.
/// </summary>
public static class TeamsEndpoint
{
    public const string InvokeName = "adaptiveCard/action";

    internal const string LoggerName = "TheModel.Bot.Teams";

    public static async Task<IResult> HandleAsync(HttpContext http, TeamsOptions options,
        TeamsConversations conversations, TeamsMessageHandler messages, TeamsCardActionRegistry actions,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(LoggerName);

        // 1. Who is calling: the BotFramework scheme checked the token before the body is read (the route's policy);
        //    this is its cached result. Whether the token belongs to this activity is step 3, once it is parsed.
        var caller = (await http.AuthenticateAsync(BotFrameworkAuthentication.Scheme)).Principal;

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
        if (caller is not null)
        {
            var serviceUrl = caller.FindFirst(BotFrameworkAuthentication.ServiceUrlClaim)?.Value;
            if (!SameServiceUrl(serviceUrl, activity.ServiceUrl))
            {
                return Unauthorized(logger, http, $"serviceurl claim '{serviceUrl}' does not match the activity's '{activity.ServiceUrl}'");
            }
            var endorsements = caller.FindAll(BotFrameworkAuthentication.EndorsementClaim).Select(c => c.Value);
            if (activity.ChannelId is not { Length: > 0 } channel || !endorsements.Contains(channel, StringComparer.OrdinalIgnoreCase))
            {
                // The Bot Framework auth doc asks for 403 when the signing key is not endorsed for the channel.
                logger.LogWarning("Teams request refused: signing key not endorsed for channel {Channel}", activity.ChannelId);
                return TypedResults.Problem("The token's signing key is not endorsed for this channel.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
            }
        }

        // 4. Is it ours: one organisation, Teams, and a service URL we would call back (docs/protocols/teams.md §1, §3).
        //    Checked before anything of the activity is stored, in every mode.
        if (Foreign(activity, options) is { } foreign)
        {
            logger.LogWarning("Teams {Type} refused: {Why}", activity.Type, foreign);
            return TypedResults.Problem($"This bot does not serve this request: {foreign}.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }

        // 5. Handle it.
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
                await http.RequestServices.GetRequiredService<TeamsWelcome>().SendAsync(activity, person, ct);
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

    /// <summary>Why the activity is not from our organisation's Teams, or null.</summary>
    internal static string? Foreign(Activity activity, TeamsOptions options)
    {
        if (!options.AcceptsChannel(activity.ChannelId))
        {
            return $"channel '{activity.ChannelId}' is not msteams";
        }
        // Teams sends the tenant twice (conversation.tenantId, channelData.tenant.id): each one given must be ours.
        var tenants = new[] { activity.Conversation?.TenantId, activity.ChannelData?.Tenant?.Id }.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        if (tenants.Count == 0 && !options.AcceptsTenant(null))
        {
            return "the activity names no tenant and Teams:AllowedTenants is in force";
        }
        if (tenants.FirstOrDefault(t => !options.AcceptsTenant(t)) is { } other)
        {
            return $"tenant '{other}' is not in Teams:AllowedTenants";
        }
        if (activity.ServiceUrl is { Length: > 0 } serviceUrl && !options.IsAllowedServiceUrl(serviceUrl))
        {
            return $"service URL '{serviceUrl}' is not a Microsoft Connector host nor in Teams:TrustedServiceHosts";
        }
        return null;
    }

    private static bool SameServiceUrl(string? claim, string? activity) =>
        claim is { Length: > 0 } && activity is { Length: > 0 }
        && string.Equals(claim.TrimEnd('/'), activity.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The one shape of a refused caller, for the scheme's challenge and for a token that is not this activity's.</summary>
    internal static ProblemHttpResult Unauthorized(ILogger logger, HttpContext http, string why)
    {
        logger.LogWarning("Teams request from {Remote} refused: {Why}", http.Connection.RemoteIpAddress, why);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem("The request is not from the Bot Connector.", statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
    }
}
