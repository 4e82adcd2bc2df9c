using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace TheModel.Api.Sla;

public static class SlaExtensions
{
    /// <summary>The business calendar, SLA policies (configuration + run-time settings) and the sweeper.</summary>
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(sp => new SlaConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton(sp => new RuntimeBusinessCalendar(CalendarSettings.FromConfiguration(sp.GetRequiredService<IConfiguration>())));
        services.TryAddSingleton<IBusinessCalendar>(sp => sp.GetRequiredService<RuntimeBusinessCalendar>());
        services.TryAddScoped<SlaSettingsStore>();
        services.TryAddScoped<ISlaPolicies, ConfiguredSlaPolicies>();
        services.TryAddSingleton<SlaSweeper>();
        return builder;
    }
}
