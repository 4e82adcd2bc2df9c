using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Telemetry;
using TheModel.Tests.Support;

namespace TheModel.Tests.Telemetry;

/// <summary>One measurement as a listener received it.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public bool Has(string tag, object value) => Tags.TryGetValue(tag, out var v) && Equals(v, value);
}

/// <summary>
/// Listens to one app's <c>TheModel.Bot</c> meter with a <see cref="MeterListener"/>, as dotnet-counters or an exporter
/// would. Meters come from that app's <see cref="IMeterFactory"/>, so other apps of tests running beside it are not heard.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> measurements = new();

    public MeterRecorder(TheModelApp app)
    {
        var meter = app.Services.GetRequiredService<BotTelemetry>().Meter;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }

    /// <summary>Collects the observable instruments (the gauges) once, as a listener's collection round does.</summary>
    public void Collect() => listener.RecordObservableInstruments();

    public IReadOnlyList<RecordedMeasurement> Of(string instrument) => measurements.Where(m => m.Instrument == instrument).ToList();

    public void Clear() => measurements.Clear();

    public void Dispose() => listener.Dispose();
}

/// <summary>
/// Records the spans of the <c>TheModel.Bot</c> source that stop while it listens (and of <see cref="TestSource"/>, which
/// a test uses to open a parent span of its own). The source is process-wide: tests pick theirs by a tag or a trace id.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private const string TestSourceName = "TheModel.Tests.Telemetry";
    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public ActivityRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is BotTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<Activity> Stopped(string name) => stopped.Where(a => a.OperationName == name).ToList();

    public void Dispose() => listener.Dispose();
}
