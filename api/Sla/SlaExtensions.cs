using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Sla;

public static class SlaExtensions
{
    /// <summary>The business calendar, SLA policies (configuration + run-time settings) and the sweeper.</summary>
    public static IHostApplicationBuilder AddSla(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlaOptions>().BindConfiguration(SlaOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlaOptions>, SlaOptionsValidator>());
        services.AddOptions<CalendarOptions>().BindConfiguration(CalendarOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CalendarOptions>, CalendarOptionsValidator>());
        services.TryAddSingleton(sp => new SlaConfiguration(sp.GetRequiredService<IOptions<SlaOptions>>()));
        services.TryAddSingleton(sp => new RuntimeBusinessCalendar(CalendarOptions.Create(sp.GetRequiredService<IOptions<CalendarOptions>>().Value)));
        services.TryAddSingleton<IBusinessCalendar>(sp => sp.GetRequiredService<RuntimeBusinessCalendar>());
        services.TryAddScoped<SlaSettingsStore>();
        services.TryAddScoped<ISlaPolicies, ConfiguredSlaPolicies>();
        services.AddSweep<SlaSweeper>();
        services.AddSweep<ContactClockSweeper>();
        return builder;
    }
}
