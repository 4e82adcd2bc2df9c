using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Digests;
using TheModel.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Telemetry;

/// <summary><c>themodel.digest.runs</c>: by kind (scheduled, manual) and outcome (posted, skipped).</summary>
public class DigestTelemetryTests
{
    [Fact]
    public async Task DigestRuns_AreCountedByKindAndOutcome_ASecondClaimOfTheSameWeekAsSkipped()
    {
        await using var app = new TheModelApp();
        using var meters = new MeterRecorder(app);
        var now = app.Clock.GetUtcNow().UtcDateTime;

        async Task RunAsync(Func<DigestRunner, DigestFigureQueries, Task> run)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await run(scope.ServiceProvider.GetRequiredService<DigestRunner>(), scope.ServiceProvider.GetRequiredService<DigestFigureQueries>());
        }
        await RunAsync((runner, _) => runner.RunScheduledAsync(now, now, "a"));
        await RunAsync((runner, _) => runner.RunScheduledAsync(now, now, "b"));
        await RunAsync((runner, digests) => runner.RunManualAsync(digests.LastCompleteWeek(now), "admin"));

        Assert.Equal(
            [("scheduled", "posted"), ("scheduled", "skipped"), ("manual", "posted")],
            meters.Of("themodel.digest.runs").Select(m => ((string)m.Tags["kind"]!, (string)m.Tags["outcome"]!)));
    }
}
