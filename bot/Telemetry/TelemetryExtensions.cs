using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TheModel.Api.Telemetry;

namespace TheModel.Bot.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The standard OpenTelemetry variable (or configuration key) that turns OTLP export on.</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// OpenTelemetry traces (ASP.NET Core, HttpClient, <see cref="BotTelemetry.Source"/>) and metrics (the same plus the
    /// <c>TheModel.Bot</c> meter), exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The other standard
    /// <c>OTEL_*</c> variables (protocol, headers, service name, resource attributes) apply as the SDK reads them.
    /// Without an endpoint no provider is registered at all: with nothing to export to, the SDK would still sample a
    /// span for every request. The meter works without it (dotnet-counters listens to it directly).
    /// </summary>
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBotTelemetry();
        if (string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]))
        {
            return builder;
        }
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, names the service instead.
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(BotTelemetry.Name);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(BotTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter())
            .WithMetrics(metrics => metrics
                .AddMeter(BotTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return builder;
    }
}
