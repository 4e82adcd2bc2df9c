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

public static class QualificationSettingsApi
{
    /// <summary><c>GET/PUT /api/settings/qualification</c> (admin): the MQL threshold, effective immediately.</summary>
    public static IEndpointRouteBuilder MapQualificationSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/settings/qualification").WithTags("Settings").RequireAuthorization(ApiScopes.Admin);
        group.MapGet("/", async (QualificationSettings settings, CancellationToken ct) =>
            TypedResults.Ok(await settings.GetAsync(ct)));
        group.MapPut("/", PutAsync);
        return app;
    }

    private static async Task<Results<Ok<QualificationRules>, ValidationProblem, ProblemHttpResult>> PutAsync(
        QualificationSettingsInput input, QualificationSettings settings, HttpContext http, ILoggerFactory logs, CancellationToken ct)
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
        QualificationRules rules;
        try
        {
            rules = await settings.SetAsync(new QualificationRules(input.MqlThreshold!.Value), ct);
        }
        catch (DbUpdateException ex) when (ex is DbUpdateConcurrencyException || ex.IsUniqueViolation())
        {
            return TypedResults.Problem("Another admin changed the qualification settings at the same moment; read them again and retry.",
                statusCode: StatusCodes.Status409Conflict, title: "Concurrent change");
        }
        logs.CreateLogger(typeof(QualificationSettingsApi)).LogInformation("MQL threshold set to {Threshold} by {Actor}",
            rules.MqlThreshold, http.User.Identity?.Name);
        return TypedResults.Ok(rules);
    }
}
