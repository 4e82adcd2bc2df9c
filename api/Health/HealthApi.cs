using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Health;

/// <summary>
/// <c>/healthz</c>: liveness, the process answers (no store call: a slow database must not get a live process
/// restarted). <c>/readyz</c>: readiness, the store is reachable and migrated and the outbox is moving. Both open (a
/// probe carries no API key); 200 when healthy, 503 otherwise, with a JSON body naming each check.
/// </summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddTheModelHealth(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>());
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>(StoreHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    /// <summary>Open, and never rate limited: a probe refused 429 would get a healthy process restarted.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync }).AllowAnonymous().DisableRateLimiting();
        return app;
    }

    /// <summary><c>{"status":"healthy","checks":[{"name":"store","status":"healthy","description":"…"}]}</c></summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new
        {
            status = Name(report.Status),
            checks = report.Entries.Select(e => new { name = e.Key, status = Name(e.Value.Status), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonSerializerOptions.Web, context.RequestAborted);
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
