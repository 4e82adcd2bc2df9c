using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;
using TheModel.Api.Digests;
using TheModel.Api.Sla;
using TheModel.Bot.Conversation;
using TheModel.Bot.Delivery;

namespace TheModel.Bot.Jobs;

public sealed class JobsOptions
{
    /// <summary>Run the schedules in this process (<c>Sla:AutoSweep</c>; defaults to <c>Outbox:AutoDispatch</c>, so a test host that drives the outbox by hand drives the sweep too).</summary>
    public bool AutoSweep { get; set; } = true;
    public string InstanceId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";
}

/// <summary>Schedules: the SLA sweep and the weekly baton meeting digest, plus the outbound webhook sender.</summary>
public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.AddSla();
        builder.AddWebhooks();

        var configuration = builder.Configuration;
        var options = new JobsOptions
        {
            AutoSweep = bool.TryParse(configuration["Sla:AutoSweep"] ?? configuration["Outbox:AutoDispatch"], out var auto) ? auto : true,
        };
        if (configuration["Outbox:InstanceId"] is { Length: > 0 } instance)
        {
            options.InstanceId = instance;
        }
        builder.Services.AddSingleton(options);
        // The digest's schedule is read (and a bad cron refused) at start, whether or not this process runs it.
        var digestSchedule = new DigestSchedule(DigestOptions.FromConfiguration(configuration));
        builder.Services.AddSingleton(digestSchedule);
        builder.Services.TryAddSingleton<IDigestFormatter, DigestFormatter>();
        builder.Services.AddTransient<DigestJob>();
        if (!options.AutoSweep)
        {
            return builder;
        }
        var interval = new SlaConfiguration(configuration).SweepInterval;
        builder.Services.AddQuartz(quartz =>
        {
            quartz.AddJob<SlaSweepJob>(job => job.WithIdentity(SlaSweepJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(SlaSweepJob.Key)
                .WithIdentity(SlaSweepJob.Trigger)
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()));
            quartz.AddJob<DigestJob>(job => job.WithIdentity(DigestJob.Key).StoreDurably());
            quartz.AddTrigger(trigger => trigger
                .ForJob(DigestJob.Key)
                .WithIdentity(DigestJob.Trigger)
                .WithCronSchedule(digestSchedule.Cron, cron => cron.InTimeZone(digestSchedule.TimeZone)));
            // Catch-up at start: a digest that came due while the bot was down goes out once, marked late.
            quartz.AddTrigger(trigger => trigger
                .ForJob(DigestJob.Key)
                .WithIdentity(DigestJob.CatchUpTrigger)
                .StartNow());
        });
        builder.Services.AddQuartzHostedService(o =>
        {
            o.WaitForJobsToComplete = true;
            // Sweep only once the store is migrated and the app is serving.
            o.AwaitApplicationStarted = true;
        });
        return builder;
    }
}
