using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TheModel.Api.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The bot's activity source and meter (<see cref="BotTelemetry"/>). Whether anything is exported is the host's
    /// business; the meter is there for dotnet-counters either way.
    /// </summary>
    public static IServiceCollection AddBotTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxBacklog>();
        services.TryAddSingleton<BotTelemetry>();
        return services;
    }
}
