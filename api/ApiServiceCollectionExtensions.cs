using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.Routing;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The system of record: store, domain services. Endpoints are mapped by <c>MapTheModelApi</c>.</summary>
    public static IHostApplicationBuilder AddTheModelDomain(this IHostApplicationBuilder builder)
    {
        builder.AddTheModelStore();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        builder.AddSla();
        builder.AddDigests();
        services.AddScoped<Router>();
        services.AddScoped<Deliveries>();
        services.AddScoped<HandoffService>();
        return builder;
    }
}
