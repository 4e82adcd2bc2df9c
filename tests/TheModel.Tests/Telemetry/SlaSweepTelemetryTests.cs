using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Sla;
using static TheModel.Tests.Api.Sla.SlaWorld;

namespace TheModel.Tests.Telemetry;

/// <summary>The SLA sweep's duration histogram, its steps by kind and its span.</summary>
public class SlaSweepTelemetryTests
{
    [Fact]
    public async Task Sweep_RecordsEachRunsDuration_AndCountsStepsByKind()
    {
        await using var app = NewApp();
        await SeedAsync(app);
        await OfferAsync(app);
        using var meters = new MeterRecorder(app);
        using var spans = new ActivityRecorder();
        var instance = $"test-{Guid.NewGuid():N}";
        var sweeper = app.Services.GetRequiredService<SlaSweeper>();

        foreach (var at in new[] { Reminder1, Reminder2, Escalation, Expiry })
        {
            At(app, at.AddSeconds(10));
            await sweeper.RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance);
        }
        await sweeper.RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance); // nothing left to do: timed all the same

        var durations = meters.Of("themodel.sla.sweep.duration");
        Assert.Equal(5, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value >= 0));
        var steps = meters.Of("themodel.sla.steps").GroupBy(m => (string)m.Tags["kind"]!).ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(new Dictionary<string, double> { ["reminder"] = 2, ["escalation"] = 1, ["expiry"] = 1 }, steps);
        var sweeps = spans.Stopped("sla.sweep").Where(a => Equals(a.GetTagItem("instance"), instance)).ToList();
        Assert.Equal(5, sweeps.Count);
        Assert.Equal([1, 1, 0, 0, 0], sweeps.Select(s => (int)s.GetTagItem("reminders")!));
        Assert.Equal([0, 0, 0, 1, 0], sweeps.Select(s => (int)s.GetTagItem("expiries")!));
    }
}
