using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace TheModel.Bot.Slack;

/// <summary>
/// <c>POST /slack/events</c>, <c>/slack/interactivity</c>, <c>/slack/commands</c>. Each reads the raw body once (size
/// limited), verifies Slack's signature over those bytes, and answers within Slack's 3 seconds: the work itself is
/// queued (InboundWork) and run by <see cref="SlackInboundWorker"/>.
/// </summary>
public static class SlackEndpoints
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";

    public static IEndpointRouteBuilder MapSlackEndpoints(this IEndpointRouteBuilder app)
    {
        // Open to the fallback policy: each endpoint checks Slack's signature itself (over the raw body).
        var group = app.MapGroup("/slack").AllowAnonymous().DisableAntiforgery();
        group.MapPost("/events", EventsAsync);
        group.MapPost("/interactivity", InteractivityAsync);
        group.MapPost("/commands", CommandsAsync);
        return app;
    }

    private static async Task<IResult> EventsAsync(HttpContext http, SlackOptions options, SlackInbox inbox, SlackBotIdentity identity,
        SlackRateLimit limit, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger("TheModel.Bot.Slack.Events");
        var (body, refusal) = await ReadAsync(http, options, Json, logger, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (Refuse(http, options, body, time, logger) is { } unsigned)
        {
            return unsigned;
        }
        SlackEnvelope? envelope;
        var raw = Encoding.UTF8.GetString(body);
        try
        {
            envelope = SlackJson.Parse<SlackEnvelope>(raw);
        }
        catch (JsonException ex)
        {
            return Bad(logger, $"the event body is not valid JSON: {ex.Message}");
        }
        switch (envelope?.Type)
        {
            case "url_verification" when !string.IsNullOrEmpty(envelope.Challenge):
                return TypedResults.Text(envelope.Challenge, "text/plain");
            case "event_callback" when envelope.Event is { } ev && !string.IsNullOrEmpty(envelope.EventId):
                if (OtherWorkspace(options, envelope.TeamId, ev.Team) is { } other)
                {
                    // Acknowledged, or Slack would retry it for an hour; nothing of it is stored.
                    logger.LogWarning("Slack event {EventId} from workspace {Team} refused (Slack:TeamId); acknowledged, not stored", envelope.EventId, other);
                    return TypedResults.Ok();
                }
                if (IsOwn(envelope, ev, identity))
                {
                    logger.LogDebug("Slack event {EventId}: our own message, ignored", envelope.EventId);
                    return TypedResults.Ok();
                }
                if (!IsForUs(ev))
                {
                    logger.LogInformation("Slack event {EventId} of type {Type}/{ChannelType} is not handled; acknowledged", envelope.EventId, ev.Type, ev.ChannelType);
                    return TypedResults.Ok();
                }
                if (limit.Check(ev.User!) is { Allowed: false } tooMany)
                {
                    return await limit.RefuseAsync(tooMany, ev.User!, ev.Channel, ct);
                }
                if (!await inbox.AcceptEventAsync(envelope.EventId, raw, ct))
                {
                    logger.LogInformation("Slack event {EventId} already received (retry {Retry}); acknowledged, not processed again",
                        envelope.EventId, http.Request.Headers["X-Slack-Retry-Num"].ToString());
                }
                return TypedResults.Ok();
            case "event_callback" or "url_verification":
                return Bad(logger, $"the {envelope.Type} body misses its event, event_id or challenge");
            case "app_rate_limited":
                logger.LogWarning("Slack is rate-limiting our event subscriptions: {Body}", raw);
                return TypedResults.Ok();
            default:
                logger.LogInformation("Slack envelope type {Type} is not handled; acknowledged", envelope?.Type);
                return TypedResults.Ok();
        }
    }

    private static async Task<IResult> CommandsAsync(HttpContext http, SlackOptions options, SlackInbox inbox,
        SlackRateLimit limit, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger("TheModel.Bot.Slack.Commands");
        var (body, refusal) = await ReadAsync(http, options, Form, logger, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var form = ParseForm(body);
        if (form.GetValueOrDefault("ssl_check") == "1")
        {
            // Slack's certificate probe: answered, never dispatched, whatever else the body says (docs/protocols/slack.md §1).
            return TypedResults.Ok();
        }
        if (Refuse(http, options, body, time, logger) is { } unsigned)
        {
            return unsigned;
        }
        var command = SlackCommand.FromForm(form);
        if (string.IsNullOrEmpty(command.Command) || string.IsNullOrEmpty(command.UserId) || string.IsNullOrEmpty(command.ChannelId))
        {
            return Bad(logger, "the slash command misses command, user_id or channel_id");
        }
        if (OtherWorkspace(options, command.TeamId) is { } other)
        {
            // A 200 with a message is what the user sees; anything else shows them a bare error.
            logger.LogWarning("Slack command {Command} from workspace {Team} (user {User}) refused (Slack:TeamId)", command.Command, other, command.UserId);
            return TypedResults.Json(new { response_type = "ephemeral", text = OtherWorkspaceText });
        }
        if (limit.Check(command.UserId) is { Allowed: false } tooMany)
        {
            return SlackRateLimit.Command(tooMany);
        }
        await inbox.EnqueueAsync(SlackWorkKinds.Command, SlackJson.Write(command), ct);
        return TypedResults.Ok();
    }

    private static async Task<IResult> InteractivityAsync(HttpContext http, SlackOptions options, SlackInbox inbox,
        SlackInteractionRegistry registry, SlackRateLimit limit, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger("TheModel.Bot.Slack.Interactivity");
        var (body, refusal) = await ReadAsync(http, options, Form, logger, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        if (Refuse(http, options, body, time, logger) is { } unsigned)
        {
            return unsigned;
        }
        if (ParseForm(body).GetValueOrDefault("payload") is not { Length: > 0 } json)
        {
            return Bad(logger, "the interactivity body has no payload field");
        }
        SlackInteraction? payload;
        try
        {
            payload = SlackJson.Parse<SlackInteraction>(json);
        }
        catch (JsonException ex)
        {
            return Bad(logger, $"the payload field is not valid JSON: {ex.Message}");
        }
        if (payload?.Type is not { Length: > 0 } type)
        {
            return Bad(logger, "the payload has no type");
        }
        if (OtherWorkspace(options, payload.Team?.Id, payload.User?.TeamId) is { } other)
        {
            logger.LogWarning("Slack {Type} from workspace {Team} (user {User}) refused (Slack:TeamId)", type, other, payload.User?.Id);
            return TypedResults.Problem(OtherWorkspaceText, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        var (route, action) = registry.Match(payload);
        if (route is null)
        {
            // Slack does not retry interactions; a 200 keeps an unknown click from showing the user an error icon.
            logger.LogWarning("Slack {Type} with no handler (actions {Actions}, callback {Callback}); ignored", type,
                string.Join(",", payload.Actions?.Select(a => a.ActionId) ?? []), payload.View?.CallbackId);
            return TypedResults.Ok();
        }
        if (payload.User?.Id is { Length: > 0 } user && limit.Check(user) is { Allowed: false } tooMany)
        {
            return await limit.RefuseAsync(tooMany, payload, ct);
        }
        var handler = (ISlackInteractionHandler)http.RequestServices.GetRequiredService(route.Handler);
        var ack = await handler.AcknowledgeAsync(payload, action, ct);
        if (ack.Queue)
        {
            await inbox.EnqueueAsync(SlackWorkKinds.Interaction, json, ct);
        }
        return ack.Response;
    }

    /// <summary>The raw body, read once, refused past <see cref="SlackOptions.MaxBodyBytes"/> or with the wrong media type.</summary>
    private static async Task<(byte[] Body, IResult? Refusal)> ReadAsync(HttpContext http, SlackOptions options, string mediaType, ILogger logger, CancellationToken ct)
    {
        if (!options.Enabled)
        {
            return ([], TypedResults.Problem("Slack is not configured on this server (Slack:SigningSecret).", statusCode: StatusCodes.Status404NotFound));
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, mediaType, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogWarning("Slack request with content type {ContentType} refused", http.Request.ContentType);
            return ([], TypedResults.Problem($"Expected {mediaType}.", statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        var limit = options.MaxBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            return ([], TooLarge(logger, limit));
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return ([], TooLarge(logger, limit));
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static IResult TooLarge(ILogger logger, int limit)
    {
        logger.LogWarning("Slack request over {Limit} bytes refused", limit);
        return TypedResults.Problem($"The body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
    }

    private static IResult? Refuse(HttpContext http, SlackOptions options, byte[] body, TimeProvider time, ILogger logger)
    {
        var headers = http.Request.Headers;
        if (SlackSignature.Verify(options.AllSigningSecrets, headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"], body, time.GetUtcNow()))
        {
            return null;
        }
        logger.LogWarning("Slack request to {Path} refused: missing, wrong or stale signature (timestamp {Timestamp}) from {Remote}",
            http.Request.Path, headers["X-Slack-Request-Timestamp"].ToString(), http.Connection.RemoteIpAddress);
        return TypedResults.Problem("The Slack signature is missing, wrong, or outside the 5-minute window.", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static IResult Bad(ILogger logger, string detail)
    {
        logger.LogWarning("Slack request refused: {Detail}", detail);
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>Form fields from the raw bytes (both <c>+</c> and <c>%20</c> decode to a space).</summary>
    private static Dictionary<string, string> ParseForm(byte[] body) =>
        QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    private const string OtherWorkspaceText =
        "This app serves its own workspace only. / このアプリは自社のワークスペース専用です。";

    /// <summary>
    /// The workspace that is not ours among <paramref name="first"/> (the payload's, required) and the others given
    /// (the user's, when Slack names it), or null when all are ours or <c>Slack:TeamId</c> is not set.
    /// </summary>
    private static string? OtherWorkspace(SlackOptions options, string? first, params string?[] others)
    {
        if (!options.AcceptsTeam(first))
        {
            return string.IsNullOrEmpty(first) ? "(none named)" : first;
        }
        return others.FirstOrDefault(team => !string.IsNullOrEmpty(team) && !options.AcceptsTeam(team));
    }

    /// <summary>Events we answer: mentions, DMs to the bot, and the App Home tab being opened (not its Messages tab).</summary>
    private static bool IsForUs(SlackEvent ev) =>
        ev.Type == "app_mention" || (ev.Type == "message" && ev.ChannelType == "im") || (ev.Type == "app_home_opened" && ev.Tab is null or "home");

    /// <summary>The bot's own posts come back as events: never answer them (bolt-js ignoreSelf).</summary>
    private static bool IsOwn(SlackEnvelope envelope, SlackEvent ev, SlackBotIdentity identity) =>
        ev.BotId is not null
        || ev.Subtype is not null
        || ev.User is null
        || ev.User == identity.Known
        || (envelope.Authorizations ?? []).Any(a => a.IsBot && a.UserId == ev.User);
}
