using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Store;
using TheModel.Bot;
using TheModel.Api.Outbox;

namespace TheModel.Tests.Support;

/// <summary>
/// The whole bot over the real HTTP pipeline, on its own real SQLite file, with a fake clock and the outbox
/// dispatcher driven by the test (<see cref="DispatchAsync"/>). One per test (or per class), disposed after.
/// Extra configuration goes in <see cref="Settings"/> before the first request.
/// When <c>THEMODEL_TEST_POSTGRES</c> holds a PostgreSQL server connection string, each app gets its own fresh
/// database on that server instead (created here, dropped on dispose); <see cref="DatabasePath"/> is then the
/// database's name, so a second app given it shares the first one's database just as with a SQLite file.
/// </summary>
public sealed class TheModelApp : WebApplicationFactory<Program>
{
    public const string PostgresVariable = "THEMODEL_TEST_POSTGRES";

    /// <summary>The PostgreSQL server the tests run against, or null for SQLite.</summary>
    public static string? PostgresServer { get; } =
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } server ? server : null;

    public static bool OnPostgres => PostgresServer is not null;

    private readonly bool ownsDatabase;

    /// <summary>The SQLite file, or on PostgreSQL the database name.</summary>
    public string DatabasePath { get; }
    public string ConnectionString { get; }
    public FakeClock Clock { get; }
    public Dictionary<string, string?> Settings { get; } = new();

    public TheModelApp(FakeClock? clock = null, string? databasePath = null)
    {
        Clock = clock ?? new FakeClock();
        if (PostgresServer is { } server)
        {
            DatabasePath = databasePath ?? $"themodel_test_{Guid.NewGuid():N}";
            ownsDatabase = PostgresTestDatabases.Create(server, DatabasePath);
            ConnectionString = PostgresTestDatabases.ConnectionString(server, DatabasePath);
        }
        else
        {
            DatabasePath = databasePath ?? SqliteFiles.NewPath("test");
            ConnectionString = $"Data Source={DatabasePath}";
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (OnPostgres)
        {
            builder.UseSetting("Store:Provider", "Postgres");
        }
        builder.UseSetting("ConnectionStrings:TheModel", ConnectionString);
        builder.UseSetting("Outbox:AutoDispatch", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // Many hosts start in one test process: a compacting collection at each start would compact the whole heap.
            services.Remove(services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(StartUpGarbage)));
        });
    }

    /// <summary>Runs the outbox dispatcher until nothing is due.</summary>
    public async Task<int> DispatchAsync()
    {
        var dispatcher = Services.GetRequiredService<OutboxDispatcher>();
        var total = 0;
        int n;
        while ((n = await dispatcher.RunOnceAsync()) > 0)
        {
            total += n;
        }
        return total;
    }

    public async Task WithDbAsync(Func<TheModelDb, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<TheModelDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<TheModelDb, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TheModelDb>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OnPostgres)
        {
            if (ownsDatabase)
            {
                PostgresTestDatabases.Drop(PostgresServer!, DatabasePath);
            }
        }
        else if (disposing)
        {
            SqliteFiles.Delete(DatabasePath);
        }
    }
}

/// <summary>Throw-away databases on the test PostgreSQL server, one per <see cref="TheModelApp"/>.</summary>
internal static class PostgresTestDatabases
{
    public static string ConnectionString(string server, string database) =>
        new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;

    /// <summary>Creates the database; false when it already exists (another app made it and will drop it).</summary>
    public static bool Create(string server, string database)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{database}\"";
        try
        {
            command.ExecuteNonQuery();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            return false;
        }
    }

    public static void Drop(string server, string database)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString(server, database)));
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = connection.CreateCommand();
        // FORCE: a second app sharing the database may still hold pooled connections.
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }
}
