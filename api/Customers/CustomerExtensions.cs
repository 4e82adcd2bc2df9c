using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TheModel.Api.Sweeps;

namespace TheModel.Api.Customers;

public static class CustomerExtensions
{
    /// <summary>Customer Success after the win: the <c>Cs</c> options, the lifecycle (contract, kick-off, renewal, churn, upsell) and the renewal sweep.</summary>
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddOptions<CsOptions>().BindConfiguration(CsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CsOptions>, CsOptionsValidator>());
        services.TryAddScoped<CustomerLifecycle>();
        services.AddSweep<RenewalSweeper>();
        return services;
    }
}
