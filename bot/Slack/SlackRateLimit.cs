using TheModel.Api.Conversations;
using TheModel.Api.RateLimits;

namespace TheModel.Bot.Slack;

/// <summary>
/// <c>RateLimits:Chat</c> for Slack, per user id. Checked in the endpoints once the signature is verified and the body
/// parsed (the user id is inside the signed body, so a forged request cannot spend someone else's allowance), before
/// anything is queued. Slack wants its 200 within 3 seconds whatever happens — an event answered otherwise is retried,
/// and repeated failures get the app's events turned off (docs/protocols/slack.md §2) — so a request over the limit is
/// acknowledged with 200 and not processed, and the user is told privately: a slash command in its own ephemeral
/// response, a modal submission as an error on its input (the typed note stays), a mention, DM or click by one ephemeral
/// message per window; further ones in that window are dropped silently, so a flood does not become as many messages.
/// </summary>
public sealed class SlackRateLimit(ChatRateLimiter limiter, SlackReplies replies, TimeProvider time, ILogger<SlackRateLimit> logger)
{
    public ChatAllowance Check(string user)
    {
        var allowance = limiter.TryAcquire(ChatPlatform.Slack.Key(), user);
        if (allowance.FirstRefusal)
        {
            logger.LogWarning("Slack user {User} is over the chat rate limit (RateLimits:Chat); refused for {Seconds} s", user, allowance.RetryAfterSeconds);
        }
        return allowance;
    }

    public static string Text(ChatAllowance refused) => $"Too many requests; try again in {refused.RetryAfterSeconds} s.";

    /// <summary>A slash command over the limit: the acknowledgement itself is the (ephemeral) answer.</summary>
    public static IResult Command(ChatAllowance refused) => TypedResults.Json(new { response_type = "ephemeral", text = Text(refused) });

    /// <summary>A mention, DM or click over the limit: 200, and on the window's first refusal one ephemeral message.</summary>
    public async Task<IResult> RefuseAsync(ChatAllowance refused, string user, string? channel, CancellationToken ct)
    {
        if (refused.FirstRefusal && !string.IsNullOrEmpty(channel))
        {
            var windowEnd = (time.GetUtcNow() + refused.RetryAfter).ToUnixTimeSeconds();
            await replies.EphemeralAsync(channel, user, Text(refused), $"chat.reply:slack:rate-limit:{user}:{windowEnd}", ct);
        }
        return TypedResults.Ok();
    }

    /// <summary>A click or modal submission over the limit; a modal keeps its input and shows why on it.</summary>
    public Task<IResult> RefuseAsync(ChatAllowance refused, SlackInteraction payload, CancellationToken ct) =>
        payload.Type == "view_submission" && payload.View?.State?.Values.Keys.FirstOrDefault() is { } block
            ? Task.FromResult<IResult>(TypedResults.Json(new { response_action = "errors", errors = new Dictionary<string, string> { [block] = Text(refused) } }))
            : RefuseAsync(refused, payload.User!.Id!, payload.ChannelId, ct);
}
