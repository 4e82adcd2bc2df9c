using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;

namespace TheModel.Api.Sla;

public sealed record SlaSettingsResponse(
    IReadOnlyDictionary<string, SlaPolicySettings> Policies, string SweepInterval, string LateAfter, DateTime? UpdatedAt, int Version);

/// <summary>Kinds to change; within a kind, fields left out keep their current value.</summary>
public sealed record SlaSettingsRequest(Dictionary<string, SlaPolicySettings?>? Policies);

public sealed record CalendarSettingsResponse(
    string TimeZone, string WorkingHours, IReadOnlyList<DateOnly> Holidays, bool JapaneseHolidays, string? YearEndClosure,
    DateTime? UpdatedAt, int Version);

/// <summary>Fields left out keep their current value; <c>yearEndClosure: ""</c> turns the closure off.</summary>
public sealed record CalendarSettingsRequest(
    string? TimeZone, string? WorkingHours, IReadOnlyList<string>? Holidays, bool? JapaneseHolidays, string? YearEndClosure);

public static class SlaApi
{
    /// <summary><c>GET/PUT /api/settings/sla</c> and <c>/api/settings/calendar</c> (admin scope).</summary>
    public static IEndpointRouteBuilder MapSlaApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapScopedGroup("/api/settings", "Settings", ApiScopes.Admin);
        settings.MapGet("/sla", GetSlaAsync);
        settings.MapPut("/sla", PutSlaAsync);
        settings.MapGet("/calendar", GetCalendarAsync);
        settings.MapPut("/calendar", PutCalendarAsync);
        return app;
    }

    private static async Task<Ok<SlaSettingsResponse>> GetSlaAsync(SlaSettingsStore store, SlaConfiguration configuration, CancellationToken ct) =>
        TypedResults.Ok(await SlaResponseAsync(store, configuration, await store.PoliciesAsync(ct), ct));

    private static async Task<Results<Ok<SlaSettingsResponse>, ValidationProblem, ProblemHttpResult>> PutSlaAsync(
        SlaSettingsRequest? request, SlaSettingsStore store, SlaConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var result = await store.SavePoliciesAsync(request?.Policies, ct);
        switch (result.Status)
        {
            case SettingsSaveStatus.Invalid:
                loggers.CreateLogger(typeof(SlaApi)).LogWarning("Refused SLA settings: {Errors}", string.Join("; ", result.Errors.Keys));
                return TypedResults.ValidationProblem(result.Errors, title: "The SLA settings are not valid; nothing was changed.");
            case SettingsSaveStatus.Conflict:
                return TypedResults.Problem("The SLA settings were changed by someone else at the same time; read them and try again.",
                    statusCode: StatusCodes.Status409Conflict);
            default:
                loggers.CreateLogger(typeof(SlaApi)).LogInformation("SLA settings changed");
                return TypedResults.Ok(await SlaResponseAsync(store, configuration, result.Value!, ct));
        }
    }

    private static async Task<Ok<CalendarSettingsResponse>> GetCalendarAsync(SlaSettingsStore store, CancellationToken ct) =>
        TypedResults.Ok(await CalendarResponseAsync(store, await store.CalendarAsync(ct), ct));

    private static async Task<Results<Ok<CalendarSettingsResponse>, ValidationProblem, ProblemHttpResult>> PutCalendarAsync(
        CalendarSettingsRequest? request, SlaSettingsStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SlaApi));
        var errors = new Dictionary<string, string[]>();
        if (request is null)
        {
            errors["body"] = ["send the calendar settings as JSON"];
            return Invalid(errors, logger);
        }
        var current = await store.CalendarAsync(ct);
        var holidays = current.Holidays;
        if (request.Holidays is { } texts)
        {
            var parsed = new List<DateOnly>();
            for (var i = 0; i < texts.Count; i++)
            {
                if (DateOnly.TryParseExact(texts[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    parsed.Add(day);
                }
                else
                {
                    errors[$"holidays[{i}]"] = [$"\"{texts[i]}\" is not a date (yyyy-MM-dd)"];
                }
            }
            holidays = parsed;
        }
        var wanted = current with
        {
            TimeZone = request.TimeZone ?? current.TimeZone,
            WorkingHours = request.WorkingHours ?? current.WorkingHours,
            Holidays = holidays,
            JapaneseHolidays = request.JapaneseHolidays ?? current.JapaneseHolidays,
            YearEndClosure = request.YearEndClosure is null ? current.YearEndClosure
                : request.YearEndClosure.Trim() is "" or "off" ? null : request.YearEndClosure.Trim(),
        };
        foreach (var (field, problems) in wanted.Validate(time.GetUtcNow()))
        {
            errors[char.ToLowerInvariant(field[0]) + field[1..]] = problems;
        }
        if (errors.Count > 0)
        {
            return Invalid(errors, logger);
        }
        var result = await store.SaveCalendarAsync(wanted, ct);
        if (result.Status == SettingsSaveStatus.Conflict)
        {
            return TypedResults.Problem("The calendar was changed by someone else at the same time; read it and try again.",
                statusCode: StatusCodes.Status409Conflict);
        }
        logger.LogInformation("Business calendar changed: {TimeZone}, {WorkingHours}", wanted.TimeZone, wanted.WorkingHours);
        return TypedResults.Ok(await CalendarResponseAsync(store, result.Value!, ct));
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors, ILogger logger)
    {
        logger.LogWarning("Refused calendar settings: {Errors}", string.Join("; ", errors.Keys));
        return TypedResults.ValidationProblem(errors, title: "The calendar settings are not valid; nothing was changed.");
    }

    private static async Task<SlaSettingsResponse> SlaResponseAsync(SlaSettingsStore store, SlaConfiguration configuration,
        IReadOnlyDictionary<Handoffs.HandoffKind, SlaPolicy> policies, CancellationToken ct)
    {
        var (updatedAt, version) = await store.StampAsync(SlaSettingsStore.SlaKey, ct);
        return new(policies.ToDictionary(p => p.Key.ToString(), p => SlaPolicySettings.From(p.Value)),
            configuration.SweepInterval.ToString("c"), configuration.LateAfter.ToString("c"), updatedAt, version);
    }

    private static async Task<CalendarSettingsResponse> CalendarResponseAsync(SlaSettingsStore store, CalendarSettings settings, CancellationToken ct)
    {
        var (updatedAt, version) = await store.StampAsync(SlaSettingsStore.CalendarKey, ct);
        return new(settings.TimeZone, settings.WorkingHours, settings.Holidays, settings.JapaneseHolidays, settings.YearEndClosure, updatedAt, version);
    }
}
