using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Recycle;

public static class RecycleExtensions
{
    /// <summary>The recycle clock: its delays (<c>Recycle:After:{Reason}</c>, checked at start) and its sweeper.</summary>
    public static IServiceCollection AddRecycle(this IServiceCollection services)
    {
        services.AddOptions<RecycleOptions>().BindConfiguration(RecycleOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RecycleOptions>, RecycleOptionsValidator>());
        services.TryAddSingleton<RecycleDelays>();
        services.AddSweep<RecycleSweeper>();
        return services;
    }
}
