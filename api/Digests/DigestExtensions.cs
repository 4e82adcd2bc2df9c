using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace TheModel.Api.Digests;

public static class DigestExtensions
{
    /// <summary>The weekly digest: options, the figures, posting. The host supplies an <see cref="IDigestFormatter"/> to post.</summary>
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => DigestOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.TryAddScoped<WeeklyDigests>();
        services.TryAddScoped<DigestPoster>();
        services.TryAddScoped<DigestRunner>();
        return builder;
    }
}
