using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.People;

namespace TheModel.Api.Kpis;

public static class KpisApi
{
    /// <summary><c>GET /api/funnel</c>, <c>GET /api/kpis</c>, <c>GET /api/plan</c>: the figures of docs/design.md §4.</summary>
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapScopedGroup("/api", "Figures", ApiScopes.Read);
        group.MapGet("/funnel", FunnelAsync);
        group.MapGet("/kpis", KpisAsync);
        group.MapGet("/plan", PlanAsync);
        return app;
    }

    private static async Task<Results<Ok<FunnelReport>, ValidationProblem>> FunnelAsync(
        IKpiQueries kpis, [FromServices] IPeriods periods, string? period, string? from, string? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!TryPeriod(periods, period, from, to, errors, out var p))
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(await kpis.FunnelAsync(p, ct));
    }

    private static async Task<Results<Ok<KpiReport>, ValidationProblem>> KpisAsync(
        IKpiQueries kpis, [FromServices] IPeriods periods, string? department, string? period, string? from, string? to, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var dept = errors.Enum<Department>("department", department);
        if (!TryPeriod(periods, period, from, to, errors, out var p) || errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(await kpis.KpisAsync(p, dept, ct));
    }

    /// <summary>
    /// Reverse plan; the basis is the trailing 90 days unless a period (or from/to) is given. <c>recurring=true</c>: the
    /// target is recurring revenue, planned through the renewal rate.
    /// </summary>
    private static async Task<Results<Ok<PlanReport>, ValidationProblem>> PlanAsync(
        IKpiQueries kpis, [FromServices] IPeriods periods, string? target, string? period, string? from, string? to, string? recurring, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var amount = ParseAmount(target);
        if (amount is null)
        {
            errors.Add("target", "target is required: a revenue amount greater than 0 (e.g. 10000000, 1000万, 1.5億).");
        }
        var isRecurring = false;
        if (!string.IsNullOrWhiteSpace(recurring) && !bool.TryParse(recurring.Trim(), out isRecurring))
        {
            errors.Add("recurring", "recurring must be true or false.");
        }
        Period? basis = null;
        if (!string.IsNullOrWhiteSpace(period) || !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to))
        {
            basis = TryPeriod(periods, period, from, to, errors, out var p) ? p : null;
        }
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        return TypedResults.Ok(await kpis.PlanAsync(amount!.Value, basis, isRecurring, ct));
    }

    private static bool TryPeriod(IPeriods periods, string? period, string? from, string? to, FieldErrors errors, out Period result)
    {
        if (periods.TryParse(period, from, to, out result, out var error))
        {
            return true;
        }
        errors.Add(string.IsNullOrWhiteSpace(period) ? "from" : "period", error ?? "Invalid period.");
        return false;
    }

    /// <summary>Plain numbers, with the Japanese units 万 (10⁴) and 億 (10⁸), or k / m.</summary>
    internal static decimal? ParseAmount(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var s = text.Trim().Replace(",", "").Replace("円", "").Replace("¥", "");
        var multiplier = 1m;
        foreach (var (suffix, factor) in new[] { ("万", 10_000m), ("億", 100_000_000m), ("k", 1_000m), ("K", 1_000m), ("m", 1_000_000m), ("M", 1_000_000m) })
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length];
                multiplier = factor;
                break;
            }
        }
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * multiplier is > 0 and var amount
            && amount < 1_000_000_000_000_000m
            ? amount
            : null;
    }
}
