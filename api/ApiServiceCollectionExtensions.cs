using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Customers;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Recycle;
using TheModel.Api.Routing;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;
using TheModel.Api.Sweeps;

namespace TheModel.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The system of record: store, domain services. Endpoints are mapped by <c>MapTheModelApi</c>.</summary>
    public static IHostApplicationBuilder AddTheModelDomain(this IHostApplicationBuilder builder)
    {
        builder.AddTheModelStore();
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddBotTelemetry();
        services.AddTheModelSettings();
        builder.AddSla();
        builder.AddDigestChannels();
        services.AddRecycle();
        services.AddPeople();
        services.AddScoped<Router>();
        services.AddScoped<OutboxWriter>();
        services.AddScoped<OutboxFailureNotices>();
        services.AddScoped<HandoffService>();
        services.AddScoped<BatonQueue>();
        services.AddScoped<QualificationSettings>();
        services.AddScoped<ThresholdValve>();
        services.AddScoped<LeadIntake>();
        services.AddScoped<LeadStageChanges>();
        services.AddScoped<LeadActivities>();
        services.AddCustomers();
        services.TryAddScoped<IKpiQueries, KpiQueries>();
        services.AddSweep<NeglectSweeper>();
        // Scoped: the business calendar it reads may itself be scoped (run-time calendar settings live in the store).
        services.TryAddScoped<IPeriods, Periods>();
        return builder;
    }
}
