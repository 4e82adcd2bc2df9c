using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TheModel.Bot.Teams;

/// <summary>
/// The endpoint's authentication step (docs/protocols/teams.md §1, §3): who is calling, whether the token belongs to the
/// activity it came with, and whether the activity is from our organisation's Teams. Gives the caller or a refusal.
/// </summary>
internal static class TeamsAuthentication
{
    /// <summary>
    /// The BotFramework scheme checked the token before the body is read (the route's policy); this is its cached result.
    /// Null when the scheme lets unsigned requests in (see <see cref="BotFrameworkAuthentication"/>).
    /// </summary>
    public static async Task<ClaimsPrincipal?> CallerAsync(HttpContext http) =>
        (await http.AuthenticateAsync(BotFrameworkAuthentication.Scheme)).Principal;

    /// <summary>Why this caller may not send this activity, as the reply to give; null when it may.</summary>
    public static IResult? Refusal(ClaimsPrincipal? caller, Activity activity, TeamsOptions options, HttpContext http, ILogger logger)
    {
        // Does the token belong to this activity.
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

        // Is it ours: one organisation, Teams, and a service URL we would call back. Checked before anything of the
        // activity is stored, in every mode.
        if (Foreign(activity, options) is { } foreign)
        {
            logger.LogWarning("Teams {Type} refused: {Why}", activity.Type, foreign);
            return TypedResults.Problem($"This bot does not serve this request: {foreign}.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        return null;
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
