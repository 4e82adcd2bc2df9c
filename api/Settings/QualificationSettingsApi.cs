using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Qualification;

namespace TheModel.Api.Settings;

public sealed record QualificationSettingsInput(int? MqlThreshold);

/// <summary><c>GET /api/settings/qualification</c>: the threshold in force and the turns of the valve, latest first.</summary>
public sealed record QualificationSettingsView(int MqlThreshold, IReadOnlyList<ThresholdChange> History);

public static class QualificationSettingsApi
{
    /// <summary><c>GET/PUT /api/settings/qualification</c> (admin): the MQL threshold, effective immediately.</summary>
    public static IEndpointRouteBuilder MapQualificationSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapScopedGroup("/api/settings/qualification", "Settings", ApiScopes.Admin);
        group.MapGet("/", async (QualificationSettings settings, ThresholdValve valve, CancellationToken ct) =>
            TypedResults.Ok(new QualificationSettingsView((await settings.GetAsync(ct)).MqlThreshold, await valve.HistoryAsync(ct))));
        group.MapPut("/", PutAsync);
        return app;
    }

    private static async Task<Results<Ok<QualificationRules>, ValidationProblem, ProblemHttpResult>> PutAsync(
        QualificationSettingsInput input, ThresholdValve valve, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.MqlThreshold is null)
        {
            errors.Add("mqlThreshold", "mqlThreshold is required.");
        }
        errors.Range("mqlThreshold", input.MqlThreshold, 0, 100);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        // The valve: the change is an event and is announced in the digest channel(s), like a turn from chat or the digest.
        var changed = await valve.ChangeAsync(input.MqlThreshold!.Value, Actor.Client(http.User.Identity?.Name ?? "api"), ThresholdReasons.Api, ct);
        var rules = new QualificationRules(changed.To);
        if (changed.Status == ThresholdChangeStatus.Conflict)
        {
            return TypedResults.Problem("Another admin changed the qualification settings at the same moment; read them again and retry.",
                statusCode: StatusCodes.Status409Conflict, title: "Concurrent change");
        }
        logs.CreateLogger(typeof(QualificationSettingsApi)).LogInformation("MQL threshold set to {Threshold} by {Actor}",
            rules.MqlThreshold, http.User.Identity?.Name);
        return TypedResults.Ok(rules);
    }
}
