using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TheModel.Api.People;

public static class PeopleExtensions
{
    /// <summary>The directory: <see cref="PersonDirectory"/> and the <c>Admin</c> section.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.AddScoped<PersonDirectory>();
        return services;
    }
}
