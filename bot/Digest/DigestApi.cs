using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;
using TheModel.Api.Digests;
using TheModel.Api.Kpis;

namespace TheModel.Bot.Digest;

public static partial class DigestApi
{
    /// <summary><c>GET /api/digests/weekly</c> (read), <c>POST /api/digests/weekly/run</c> (admin: post it now).</summary>
    public static IEndpointRouteBuilder MapDigestApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/digests").WithTags("Figures");
        group.MapGet("/weekly", GetAsync).RequireAuthorization(ApiScopes.Read);
        group.MapPost("/weekly/run", RunAsync).RequireAuthorization(ApiScopes.Admin);
        return app;
    }

    /// <summary>The digest of <c>?week=YYYY-Www</c> or <c>?period=</c> (a week: <c>last-week</c>, <c>this-week</c>, <c>YYYY-Www</c>); default the last complete week.</summary>
    private static async Task<Results<Ok<DigestFigures>, ValidationProblem>> GetAsync(
        DigestFigureQueries digests, [FromServices] IPeriods periods, TimeProvider time, ILoggerFactory loggers,
        string? week, string? period, CancellationToken ct)
    {
        if (!TryWeek(digests, periods, time, week, period, out var p, out var errors))
        {
            loggers.CreateLogger(typeof(DigestApi)).LogWarning("Refused digest request: {Errors}", string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
            return TypedResults.ValidationProblem(errors, title: "The week is not valid.");
        }
        return TypedResults.Ok(await digests.BuildAsync(p, ct));
    }

    /// <summary>Posts the digest to every linked digest channel now, as a manual run (never instead of the scheduled one).</summary>
    private static async Task<Results<Accepted<DigestPostResult>, ValidationProblem, ProblemHttpResult>> RunAsync(
        DigestFigureQueries digests, DigestRunner runner, DigestChannels channels, [FromServices] IPeriods periods, TimeProvider time,
        ILoggerFactory loggers, ClaimsPrincipal user, string? week, string? period, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(DigestApi));
        if (!TryWeek(digests, periods, time, week, period, out var p, out var errors))
        {
            logger.LogWarning("Refused digest run: {Errors}", string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}")));
            return TypedResults.ValidationProblem(errors, title: "The week is not valid; nothing was posted.");
        }
        if ((await channels.ChannelsAsync(ct)).Count == 0)
        {
            logger.LogWarning("Refused digest run: no digest channel is linked");
            return TypedResults.Problem(
                "No digest channel is linked, so there is nowhere to post. Say `link digest` (or `リンク ダイジェスト`) to the bot in the Teams or Slack channel that should receive it.",
                title: "No digest channel", statusCode: StatusCodes.Status409Conflict);
        }
        var requestedBy = $"api:{user.Identity?.Name ?? "unknown"}";
        var result = await runner.RunManualAsync(p, requestedBy, ct);
        logger.LogInformation("Manual digest {RunKey} for {Week} requested by {RequestedBy}", result.RunKey, p.Label, requestedBy);
        return TypedResults.Accepted((string?)null, result);
    }

    private static bool TryWeek(DigestFigureQueries digests, IPeriods periods, TimeProvider time, string? week, string? period,
        out Period result, out Dictionary<string, string[]> errors)
    {
        errors = [];
        result = default!;
        var hasWeek = !string.IsNullOrWhiteSpace(week);
        var hasPeriod = !string.IsNullOrWhiteSpace(period);
        if (hasWeek && hasPeriod)
        {
            errors["week"] = ["Give either week or period, not both."];
            return false;
        }
        if (!hasWeek && !hasPeriod)
        {
            result = digests.LastCompleteWeek(time.GetUtcNow().UtcDateTime);
            return true;
        }
        var field = hasWeek ? "week" : "period";
        var text = (hasWeek ? week : period)!.Trim();
        if (hasWeek && !WeekPattern().IsMatch(text))
        {
            errors[field] = [$"'{text}' is not an ISO week; use YYYY-Www, e.g. 2026-W46."];
            return false;
        }
        if (!periods.TryParse(text, null, null, out var parsed, out var error))
        {
            errors[field] = [error ?? $"'{text}' is not a period."];
            return false;
        }
        // The digest compares whole weeks: a month or a 30-day range is refused rather than cut silently.
        var whole = periods.WeekOf(parsed.FromUtc);
        if (whole.FromUtc != parsed.FromUtc || whole.ToUtc != parsed.ToUtc)
        {
            errors[field] = [$"The digest covers one Monday-to-Monday week; '{text}' is not one. Use last-week, this-week or YYYY-Www."];
            return false;
        }
        result = whole;
        return true;
    }

    [GeneratedRegex(@"^\d{4}-[Ww]\d{2}$")]
    private static partial Regex WeekPattern();
}
