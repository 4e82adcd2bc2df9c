using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;

namespace TheModel.Bot.Digest;

/// <summary>
/// The weekly baton meeting digest, end to end, in this folder: the figures (<see cref="DigestFigureQueries"/> →
/// <see cref="DigestFigures"/>), their words and card model (<see cref="DigestAnswers"/>, <see cref="DigestFormatter"/>),
/// the schedule (<see cref="DigestSchedule"/>, <see cref="DigestJob"/>), posting (<see cref="DigestRunner"/>,
/// <see cref="DigestPoster"/>), the senders' weekly feedback that goes with it (<see cref="WeeklyFeedback"/>) and the
/// REST route (<see cref="DigestApi"/>). What stays elsewhere, and why: the pure renderers in <c>cards/</c> beside the
/// other renderers (they need ScottPlot, which only that project takes); the platform adapters in <c>bot/Teams</c> and
/// <c>bot/Slack</c>; <see cref="DigestOptions"/> and <see cref="DigestChannels"/> in <c>api/Digests</c>, because the
/// threshold advice and the outbox failure notices post to the same channels in the same language.
/// </summary>
public static class DigestExtensions
{
    public static IHostApplicationBuilder AddDigest(this IHostApplicationBuilder builder)
    {
        builder.AddDigestChannels();
        var services = builder.Services;
        // The digest's schedule is checked at start (a bad cron refused) whether or not this process runs it.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestOptions>, DigestScheduleValidator>());
        services.TryAddSingleton<DigestSchedule>();
        services.TryAddSingleton<DigestFormatter>();
        services.TryAddScoped<DigestFigureQueries>();
        services.TryAddScoped<DigestPoster>();
        services.TryAddScoped<DigestRunner>();
        services.TryAddScoped<WeeklyFeedback>();
        // One instance: it remembers the due time it settled (see DigestJob). Scheduled by JobsExtensions.ScheduleJobs.
        services.TryAddSingleton<DigestJob>();
        return builder;
    }

    /// <summary><c>GET /api/digests/weekly</c> and <c>POST /api/digests/weekly/run</c>.</summary>
    public static IEndpointRouteBuilder MapDigest(this IEndpointRouteBuilder app) => app.MapDigestApi();
}
