using System.Globalization;
using System.Text.Json;
using TheModel.Api.Conversations;
using TheModel.Api.RateLimits;

namespace TheModel.Bot.Teams;

/// <summary>
/// <c>RateLimits:Chat</c> on <c>/api/messages</c>, per Teams user (<c>from.aadObjectId</c>, else <c>from.id</c>). An endpoint
/// filter: it runs once the BotFramework policy has let the caller in, so only activities the Connector really sent
/// count, and it can read the body asynchronously, which the rate-limiting middleware's partitioner cannot. Over the
/// limit: 429 with Retry-After, the status the Bot Framework understands, and nothing of the activity is handled or stored.
/// </summary>
public sealed class TeamsRateLimit(ChatRateLimiter limiter, TeamsOptions options, ILoggerFactory loggers) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (await UserAsync(http) is { } user && limiter.TryAcquire(ChatPlatform.Teams.Key(), user) is { Allowed: false } refused)
        {
            if (refused.FirstRefusal)
            {
                loggers.CreateLogger(TeamsEndpoint.LoggerName).LogWarning(
                    "Teams user {User} is over the chat rate limit (RateLimits:Chat); refused for {Seconds} s", user, refused.RetryAfterSeconds);
            }
            http.Response.Headers.RetryAfter = refused.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return TypedResults.Problem($"Too many requests from this user; try again in {refused.RetryAfterSeconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests");
        }
        return await next(context);
    }

    /// <summary>Who sent the activity; null when the body is too large or not an activity (the endpoint refuses those itself).</summary>
    private async Task<string?> UserAsync(HttpContext http)
    {
        if (http.Request.ContentLength > options.MaxActivityBytes)
        {
            return null;
        }
        http.Request.EnableBuffering();
        try
        {
            var caller = await JsonSerializer.DeserializeAsync<Caller>(http.Request.Body, Activity.Json, http.RequestAborted);
            return caller?.From is { } from ? NonEmpty(from.AadObjectId) ?? NonEmpty(from.Id) : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            http.Request.Body.Position = 0;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private sealed record Caller(ChannelAccount? From);
}
