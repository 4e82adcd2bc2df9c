using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Digests;

public static class DigestExtensions
{
    /// <summary>The weekly digest: options, the figures, posting. The host supplies an <see cref="IDigestFormatter"/> to post.</summary>
    public static IHostApplicationBuilder AddDigests(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestOptions>, DigestOptionsValidator>());
        // The digest's classes take the options themselves: they are read once, at start.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DigestOptions>>().Value);
        services.TryAddScoped<WeeklyDigests>();
        services.TryAddScoped<DigestPoster>();
        services.TryAddScoped<DigestRunner>();
        return builder;
    }
}
