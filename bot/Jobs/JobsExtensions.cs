namespace TheModel.Bot.Jobs;

/// <summary>Schedules: the SLA sweep and the weekly baton meeting digest.</summary>
public static class JobsExtensions
{
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder) => builder;
}
