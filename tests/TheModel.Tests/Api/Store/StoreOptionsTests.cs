using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TheModel.Api.Store;

namespace TheModel.Tests.Api.Store;

public class StoreOptionsTests
{
    private static HostApplicationBuilder Builder(string? provider)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:TheModel"] = "Data Source=:memory:" };
        if (provider is not null)
        {
            settings["Store:Provider"] = provider;
        }
        if (provider?.Equals("Postgres", StringComparison.OrdinalIgnoreCase) == true)
        {
            settings["ConnectionStrings:TheModel"] = "Host=localhost;Database=none";
        }
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }

    [Theory]
    [InlineData("Oracle")]
    [InlineData("PostgreSQL")]
    [InlineData("1")]
    public void AddTheModelStore_UnknownProvider_StopsWithTheKeysName(string provider)
    {
        var builder = Builder(provider);

        builder.AddTheModelStore();
        using var services = builder.Services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal("Store:Provider must be Sqlite or Postgres.", error.Message);
    }

    [Theory]
    [InlineData(null, typeof(SqliteTheModelDb))]
    [InlineData("", typeof(SqliteTheModelDb))]
    [InlineData("Sqlite", typeof(SqliteTheModelDb))]
    [InlineData("postgres", typeof(PostgresTheModelDb))]
    [InlineData("Postgres", typeof(PostgresTheModelDb))]
    public void AddTheModelStore_KnownProvider_PoolsThatProvidersContextAsTheModelDb(string? provider, Type expected)
    {
        var builder = Builder(provider);
        builder.AddTheModelStore();
        using var services = builder.Services.BuildServiceProvider();
        using var scope = services.CreateScope();

        Assert.IsType(expected, scope.ServiceProvider.GetRequiredService<TheModelDb>());
        Assert.NotNull(services.GetRequiredService<IOptions<StoreOptions>>().Value.Kind);
    }

    [Theory]
    [InlineData("5", "Store:SqliteSynchronous must be Full or Normal.")]
    [InlineData("Off", "Store:SqliteSynchronous")]
    public void AddTheModelStore_UnknownSqliteSynchronous_StopsWithTheKeysName(string value, string expected)
    {
        var builder = Builder(null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Store:SqliteSynchronous"] = value });

        builder.AddTheModelStore();
        using var services = builder.Services.BuildServiceProvider();

        // A number is refused by the check, a word that is no level by the binder; both name the key.
        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message);
    }
}
