using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using TheModel.Bot.Jobs;
using TheModel.Tests.Api.Sla;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Jobs;

public class SlaSweepJobTests
{
    /// <summary>Reports every finished run of the sweep job, so the test waits for the run instead of for time.</summary>
    private sealed class RunListener : IJobListener
    {
        public Channel<JobExecutionException?> Runs { get; } = Channel.CreateUnbounded<JobExecutionException?>();
        public string Name => "test-run-listener";
        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        // Only the sweep's runs: the digest job's catch-up run at start shares the scheduler and must not count as one.
        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) =>
            context.JobDetail.Key.Equals(SlaSweepJob.Key) ? Runs.Writer.WriteAsync(jobException, cancellationToken) : ValueTask.CompletedTask;
    }

    private static TheModelApp ScheduledApp(string interval)
    {
        var app = SlaWorld.NewApp();
        app.Settings["Sla:AutoSweep"] = "true";
        app.Settings["Sla:SweepInterval"] = interval;
        return app;
    }

    [Fact]
    public async Task AddJobs_AutoSweep_SchedulesTheSweepEveryIntervalWithoutOverlap()
    {
        await using var app = ScheduledApp("00:00:45");
        app.CreateClient();
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await scheduler.GetTrigger(SlaSweepJob.Trigger));
        Assert.Equal(TimeSpan.FromSeconds(45), trigger.RepeatInterval);
        Assert.Equal(SlaSweepJob.Key, trigger.JobKey);
        var job = await scheduler.GetJobDetail(SlaSweepJob.Key);
        Assert.True(job!.ConcurrentExecutionDisallowed);
    }

    [Fact]
    public async Task AddJobs_OutboxDrivenByHand_RunsNoSchedule()
    {
        await using var app = SlaWorld.NewApp();
        app.CreateClient();
        Assert.Null(app.Services.GetService<ISchedulerFactory>());
    }

    [Fact]
    public async Task Execute_TriggeredByQuartz_SweepsAtTheTimeProvidersNow()
    {
        await using var app = ScheduledApp("01:00:00");
        var world = await SlaWorld.SeedAsync(app);
        await SlaWorld.OfferAsync(app);
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var listener = new RunListener();
        scheduler.ListenerManager.AddJobListener(listener);

        SlaWorld.At(app, SlaWorld.Reminder1.AddSeconds(3));
        await scheduler.TriggerJob(SlaSweepJob.Key);
        for (var i = 0; i < 3 && (await SlaWorld.StepsAsync(app)).Count == 0; i++)
        {
            Assert.Null(await listener.Runs.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        }

        var step = Assert.Single(await SlaWorld.StepsAsync(app));
        Assert.Equal("reminder:1", step.Step);
        Assert.Equal(SlaWorld.Reminder1.AddSeconds(3), step.DoneAt);
        Assert.Single(await SlaWorld.SlaMessagesAsync(app));
        Assert.NotEmpty(world.Reps);
    }
}
