using Coravel;
using Coravel.Scheduling.Schedule;
using Coravel.Scheduling.Schedule.Interfaces;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TheModel.Api.Sla;
using TheModel.Bot.Backup;
using TheModel.Bot.Digest;

namespace TheModel.Bot.Jobs;

/// <summary>Schedules: the SLA sweep, the weekly baton meeting digest and the daily backup.</summary>
public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.AddSla();
        builder.AddBackup();

        var services = builder.Services;
        services.AddOptions<JobsOptions>().BindConfiguration(string.Empty).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobsOptions>, JobsOptionsValidator>());
        services.AddTransient<SlaSweepJob>();

        // Whether this process runs the schedules decides what is registered, so it is bound now, as the options bind.
        if (!(builder.Configuration.Get<JobsOptions>() ?? new JobsOptions()).RunsSchedules)
        {
            return builder;
        }
        services.AddScheduler();
        // Coravel's own host ticks from a timer it does not stop before the container is disposed: a tick during shutdown
        // throws on a thread-pool thread and ends the process (seen in CI). Ours hands the scheduler the time instead.
        foreach (var coravelHost in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Assembly == typeof(IScheduler).Assembly).ToList())
        {
            services.Remove(coravelHost);
        }
        services.AddHostedService<SchedulerClock>();
        return builder;
    }

    /// <summary>
    /// The sweep every <paramref name="sweepInterval"/> and the digest at start and every minute, each never overlapping
    /// itself. Coravel decides when; the jobs take the time from <see cref="TimeProvider"/>.
    /// </summary>
    public static void ScheduleJobs(this IScheduler scheduler, TimeSpan sweepInterval, TimeProvider time)
    {
        var sweepDue = new IntervalGate(sweepInterval, time);
        scheduler.Schedule<SlaSweepJob>()
            .EverySecond()
            .When(sweepDue.PassAsync)
            .PreventOverlapping(SlaSweepJob.Name);
        // Every minute rather than .Cron(..).Zoned(..): Coravel's cron dialect is narrower than Cronos' and the job must
        // work out the owed week anyway (catch-up), so Cronos alone reads the cron; the DigestRun claim keeps it once.
        scheduler.Schedule<DigestJob>()
            .EveryMinute()
            .RunOnceAtStart()
            .PreventOverlapping(DigestJob.Name);
        scheduler.Schedule<BackupJob>().EveryMinute().RunOnceAtStart().PreventOverlapping(BackupJob.Name);
    }

    /// <summary>
    /// The thin timer host: hands Coravel the schedules once the container is built, then the time — at start (the
    /// digest's catch-up) and every second of the <see cref="TimeProvider"/>. Stopping waits for a tick in progress, so no
    /// job outlives the host.
    /// </summary>
    private sealed class SchedulerClock(IServiceProvider services, SlaConfiguration sla, TimeProvider time, IHostApplicationLifetime lifetime,
        ILogger<SchedulerClock> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Once the app is serving (the store is migrated before that), as the jobs expect.
            var started = new TaskCompletionSource();
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }
            var scheduler = (Scheduler)services.GetRequiredService<IScheduler>();
            services.UseScheduler(s => s.ScheduleJobs(sla.SweepInterval, time))
                // The jobs log their own failures; this catches what fails before them (e.g. resolving one).
                .OnError(ex => logger.LogError(ex, "A scheduled job failed"));
            using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            do
            {
                try
                {
                    await scheduler.RunAtAsync(time.GetUtcNow().UtcDateTime);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "A scheduler tick failed");
                }
            }
            while (await ticks.WaitForNextTickAsync(stoppingToken));
        }

    }
}

/// <summary>
/// Lets a run through once the interval has passed on the <see cref="TimeProvider"/> since the last one it let through
/// (the first at once). Coravel's EverySeconds(n) fires when the second of the minute divides by n, which is every n
/// seconds only for divisors of 60 under a minute; <c>Sla:SweepInterval</c> may be any duration.
/// </summary>
internal sealed class IntervalGate(TimeSpan interval, TimeProvider time)
{
    private readonly Lock gate = new();
    private DateTimeOffset next = DateTimeOffset.MinValue;

    public Task<bool> PassAsync()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now < next)
            {
                return Task.FromResult(false);
            }
            next = now + interval;
            return Task.FromResult(true);
        }
    }
}
