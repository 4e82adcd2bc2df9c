using TheModel.Api.Conversations;
using TheModel.Api.People;

namespace TheModel.Bot.Slack;

/// <summary>A Slack user as far as we know them: the directory person (if any) and what Slack told us.</summary>
public sealed record SlackPerson(string SlackUserId, Person? Person, string? Name, string? Email, string? Locale)
{
    public ChatUser User => new(ChatPlatform.Slack, SlackUserId, Name: Name, Email: Email, Locale: Locale);
}

/// <summary>
/// Translates a Slack user for the <see cref="PersonDirectory"/>: asks Slack for the profile (<c>users.info</c> →
/// <c>profile.email</c>, needs <c>users:read.email</c>) when the directory does not know the id; the directory decides
/// whether that email links them.
/// </summary>
public sealed class SlackPeople(PersonDirectory directory, SlackApiClient slack)
{
    /// <summary>Directory only (no Slack call): for the click path that must answer within 3 s.</summary>
    public Task<Person?> KnownAsync(string slackUserId, CancellationToken ct) => directory.FindAsync(ChatPlatform.Slack, slackUserId, null, ct);

    public async Task<SlackPerson> ResolveAsync(string slackUserId, CancellationToken ct)
    {
        var known = await KnownAsync(slackUserId, ct);
        if (known is not null)
        {
            return new SlackPerson(slackUserId, known, known.Name, known.Email, known.Locale);
        }
        var info = await slack.UserInfoAsync(slackUserId, ct);
        if (!info.Ok)
        {
            if (info.RateLimited || info.Uncertain)
            {
                throw new SlackRetryException($"users.info {info.Describe()}", info.RetryAfter);
            }
            return new SlackPerson(slackUserId, null, null, null, null);
        }
        var email = info.String("user", "profile", "email");
        var name = info.String("user", "real_name") ?? info.String("user", "profile", "real_name") ?? info.String("user", "name");
        var locale = info.String("user", "locale");
        var user = new ChatUser(ChatPlatform.Slack, slackUserId, Name: name, Email: email, Locale: locale);
        return new SlackPerson(slackUserId, await directory.RecognizeAsync(user, ct), name, email, locale);
    }
}

/// <summary>Queued work that should be tried again later (Slack rate-limited us or did not answer).</summary>
public sealed class SlackRetryException(string message, TimeSpan? after = null) : Exception(message)
{
    public TimeSpan? After { get; } = after;
}
