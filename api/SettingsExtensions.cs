using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TheModel.Api.Kpis;
using TheModel.Api.Outbox;
using TheModel.Api.Qualification;

namespace TheModel.Api;

public static class SettingsExtensions
{
    /// <summary>The domain's own settings sections, each bound, and checked when the host starts.</summary>
    public static IServiceCollection AddTheModelSettings(this IServiceCollection services)
    {
        services.AddOptions<KpisOptions>().BindConfiguration(KpisOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KpisOptions>, KpisOptionsValidator>());
        services.AddOptions<QualificationOptions>().BindConfiguration(QualificationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QualificationOptions>, QualificationOptionsValidator>());
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidator>());
        return services;
    }
}
