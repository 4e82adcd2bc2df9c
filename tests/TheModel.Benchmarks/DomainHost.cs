using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TheModel.Api;
using TheModel.Api.Store;

namespace TheModel.Benchmarks;

/// <summary>The domain (store, routing, SLA, KPIs) composed as the bot composes it, on a given SQLite file, without HTTP.</summary>
public static class DomainHost
{
    public static async Task<IHost> StartAsync(string databasePath, bool migrate = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:TheModel"] = $"Data Source={databasePath}",
            ["Store:Provider"] = "Sqlite",
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("THEMODEL_BENCH_SQL") == "1")
        {
            // Every command with its duration: how many round trips an operation makes.
            builder.Logging.AddSimpleConsole().AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning);
        }
        builder.AddTheModelDomain();
        var host = builder.Build();
        if (migrate)
        {
            await host.Services.MigrateTheModelStoreAsync();
        }
        return host;
    }
}
