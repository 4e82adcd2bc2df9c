using Coravel.Scheduling.Schedule;
using Coravel.Scheduling.Schedule.Interfaces;
using Coravel.Scheduling.Schedule.Mutex;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Customers;
using TheModel.Api.Kpis;
using TheModel.Api.Recycle;
using TheModel.Api.Sla;
using TheModel.Api.Sweeps;
using TheModel.Bot.Jobs;
using TheModel.Tests.Api.Sla;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Jobs;

public class SlaSweepJobTests
{
    /// <summary>
    /// Coravel's scheduler with the bot's schedules, ticked by the test: the app's own scheduler is off (the outbox is
    /// driven by hand), so no tick of the wall clock runs beside the test's.
    /// </summary>
    internal static (Scheduler Scheduler, IMutex Mutex) ScheduledJobs(TheModelApp app, TimeSpan sweepInterval)
    {
        var mutex = new InMemoryMutex();
        var scheduler = new Scheduler(mutex, app.Services.GetRequiredService<IServiceScopeFactory>(), null);
        scheduler.ScheduleJobs(sweepInterval, app.Clock);
        return (scheduler, mutex);
    }

    /// <summary>One tick of Coravel's clock, at the fake clock's now (the gate and the jobs read the TimeProvider).</summary>
    internal static Task TickAsync(TheModelApp app, Scheduler scheduler) => scheduler.RunAtAsync(app.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task AddJobs_AutoSweep_RunsTheSchedulesWithCoravel()
    {
        await using var app = SlaWorld.NewApp();
        app.Settings["Sla:AutoSweep"] = "true";
        app.CreateClient();

        Assert.IsType<Scheduler>(app.Services.GetService<IScheduler>());
        Assert.Contains(app.Services.GetServices<IHostedService>(), s => s.GetType().Name == "SchedulerClock");
    }

    [Fact]
    public async Task AddJobs_OutboxDrivenByHand_RunsNoSchedule()
    {
        await using var app = SlaWorld.NewApp();
        app.CreateClient();
        Assert.Null(app.Services.GetService<IScheduler>());
        Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), s => s.GetType().Name == "SchedulerClock");
    }

    [Fact]
    public async Task Sweeps_AsTheJobRunsThem_AreInTodaysOrder()
    {
        await using var app = SlaWorld.NewApp();
        app.CreateClient();

        Assert.Equal([typeof(SlaSweeper), typeof(ContactClockSweeper), typeof(RecycleSweeper), typeof(RenewalSweeper), typeof(NeglectSweeper)],
            app.Services.GetServices<IScheduledSweep>().Select(s => s.GetType()));
    }

    [Fact]
    public async Task Tick_WhenTheSweepIsDue_SweepsAtTheTimeProvidersNow()
    {
        await using var app = SlaWorld.NewApp();
        var world = await SlaWorld.SeedAsync(app);
        await SlaWorld.OfferAsync(app);
        var (scheduler, _) = ScheduledJobs(app, TimeSpan.FromHours(1));

        SlaWorld.At(app, SlaWorld.Reminder1.AddSeconds(3));
        await TickAsync(app, scheduler);

        var step = Assert.Single(await SlaWorld.StepsAsync(app));
        Assert.Equal("reminder:1", step.Step);
        Assert.Equal(SlaWorld.Reminder1.AddSeconds(3), step.DoneAt);
        Assert.Single(await SlaWorld.SlaMessagesAsync(app));
        Assert.NotEmpty(world.Reps);
    }

    [Fact]
    public async Task Tick_WithinTheIntervalOfTheLastSweep_WaitsForTheInterval()
    {
        await using var app = SlaWorld.NewApp();
        await SlaWorld.SeedAsync(app);
        await SlaWorld.OfferAsync(app);
        var (scheduler, _) = ScheduledJobs(app, TimeSpan.FromSeconds(45));
        SlaWorld.At(app, SlaWorld.Reminder1);
        await TickAsync(app, scheduler);

        // A sweep 10 s before the second reminder finds nothing; the next may come 45 s later, not before.
        SlaWorld.At(app, SlaWorld.Reminder2.AddSeconds(-10));
        await TickAsync(app, scheduler);
        SlaWorld.At(app, SlaWorld.Reminder2.AddSeconds(5));
        await TickAsync(app, scheduler);
        var early = await SlaWorld.StepsAsync(app);
        SlaWorld.At(app, SlaWorld.Reminder2.AddSeconds(35));
        await TickAsync(app, scheduler);

        Assert.Equal(["reminder:1"], early.Select(s => s.Step));
        var second = Assert.Single(await SlaWorld.StepsAsync(app), s => s.Step == "reminder:2");
        Assert.Equal(SlaWorld.Reminder2.AddSeconds(35), second.DoneAt);
    }

    [Fact]
    public async Task Tick_WhileASweepIsRunning_DoesNotStartAnother()
    {
        await using var app = SlaWorld.NewApp();
        await SlaWorld.SeedAsync(app);
        await SlaWorld.OfferAsync(app);
        var (scheduler, mutex) = ScheduledJobs(app, TimeSpan.Zero);
        SlaWorld.At(app, SlaWorld.Reminder1);

        // The running sweep holds the overlap lock named by the job.
        Assert.True(mutex.TryGetLock(SlaSweepJob.Name, 1));
        await TickAsync(app, scheduler);
        var whileRunning = await SlaWorld.StepsAsync(app);
        mutex.Release(SlaSweepJob.Name);
        await TickAsync(app, scheduler);

        Assert.Empty(whileRunning);
        Assert.Single(await SlaWorld.StepsAsync(app));
    }
}
