using System.Net;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TheModel.Api.Telemetry;
using TheModel.Bot.Telemetry;
using TheModel.Tests.Api;
using TheModel.Tests.Support;

namespace TheModel.Tests.Telemetry;

/// <summary>OTLP export turns on with <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and only then.</summary>
public class TelemetryExtensionsTests
{
    [Fact]
    public async Task AddTelemetry_WithoutAnOtlpEndpoint_RegistersNoProvider_ButTheMeterIsThere()
    {
        await using var app = new TheModelApp();
        // Blank wins over the machine's environment, whatever it holds.
        app.Settings[TelemetryExtensions.OtlpEndpointKey] = "";

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.Equal(BotTelemetry.Name, app.Services.GetRequiredService<BotTelemetry>().Meter.Name);
    }

    [Fact]
    public async Task AddTelemetry_WithAnOtlpEndpoint_ExportsTracesAndMetricsThere()
    {
        await using var collector = await RecordingServer.StartAsync();
        await using var app = new TheModelApp().WithKeys();
        app.Settings[TelemetryExtensions.OtlpEndpointKey] = collector.BaseUrl.TrimEnd('/');
        app.Settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";

        Assert.Equal(HttpStatusCode.OK, (await app.Client(ApiKit.ReadKey).GetAsync("/api/handoffs")).StatusCode);
        // The server ends the request's span after the client has its answer, so it may not be finished yet when the
        // flush runs: one span of our own source, ended here, is certain to be in the export.
        Assert.NotNull(app.Services.GetRequiredService<TracerProvider>());
        BotTelemetry.Source.StartActivity("test.span")?.Stop();
        Assert.True(app.Services.GetRequiredService<TracerProvider>().ForceFlush());
        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush());

        // (Tests beside this one may add their spans: the SDK listens process-wide.)
        var traces = collector.Requests.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(traces);
        Assert.All(traces, t => Assert.Equal("POST", t.Method));
        Assert.Contains(traces, t => t.Body.Contains(BotTelemetry.Name)); // the service name, in the resource
        Assert.Contains(collector.Requests, r => r.Path == "/v1/metrics");
    }
}
