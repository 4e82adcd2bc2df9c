using Microsoft.EntityFrameworkCore;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Bot.Slack;

/// <summary>A Slack user as far as we know them: the directory person (if any) and what Slack told us.</summary>
public sealed record SlackPerson(string SlackUserId, Person? Person, string? Name, string? Email, string? Locale);

/// <summary>
/// Matches Slack users to the directory: by stored Slack user id, else by the email Slack gives
/// (<c>users.info</c> → <c>profile.email</c>, needs <c>users:read.email</c>), storing the id once matched.
/// </summary>
public sealed class SlackPeople(TheModelDb db, SlackApiClient slack, TimeProvider time, ILogger<SlackPeople> logger)
{
    /// <summary>Directory only (no Slack call): for the click path that must answer within 3 s.</summary>
    public Task<Person?> KnownAsync(string slackUserId, CancellationToken ct) => PersonBySlackId(db, slackUserId, ct);

    /// <summary>Compiled once: every Slack click runs it.</summary>
    private static readonly Func<TheModelDb, string, CancellationToken, Task<Person?>> PersonBySlackId =
        EF.CompileAsyncQuery((TheModelDb db, string slackUserId, CancellationToken _) => db.People.FirstOrDefault(p => p.SlackUserId == slackUserId));

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
        Person? person = null;
        if (!string.IsNullOrWhiteSpace(email))
        {
            var lower = email.Trim().ToLowerInvariant();
            person = await db.People.FirstOrDefaultAsync(p => p.Email != null && p.Email.ToLower() == lower, ct);
            if (person is not null && string.IsNullOrEmpty(person.SlackUserId))
            {
                person.SlackUserId = slackUserId;
                person.UpdatedAt = time.GetUtcNow().UtcDateTime;
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Linked Slack user {SlackUserId} to {PersonId} by email", slackUserId, person.Id);
            }
            else if (person is not null && person.SlackUserId != slackUserId)
            {
                // The directory already ties this email to another Slack account: do not guess.
                logger.LogWarning("Slack user {SlackUserId} has the email of {PersonId}, who is linked to {Other}", slackUserId, person.Id, person.SlackUserId);
                person = null;
            }
        }
        return new SlackPerson(slackUserId, person, name, email, locale);
    }
}

/// <summary>Queued work that should be tried again later (Slack rate-limited us or did not answer).</summary>
public sealed class SlackRetryException(string message, TimeSpan? after = null) : Exception(message)
{
    public TimeSpan? After { get; } = after;
}
