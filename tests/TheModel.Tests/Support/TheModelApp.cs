using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TheModel.Api.Store;
using TheModel.Bot.Delivery;

namespace TheModel.Tests.Support;

/// <summary>
/// The whole bot over the real HTTP pipeline, on its own real SQLite file, with a fake clock and the outbox
/// dispatcher driven by the test (<see cref="DispatchAsync"/>). One per test (or per class), disposed after.
/// Extra configuration goes in <see cref="Settings"/> before the first request.
/// </summary>
public sealed class TheModelApp : WebApplicationFactory<Program>
{
    public string DatabasePath { get; }
    public FakeClock Clock { get; }
    public Dictionary<string, string?> Settings { get; } = new();

    public TheModelApp(FakeClock? clock = null, string? databasePath = null)
    {
        Clock = clock ?? new FakeClock();
        DatabasePath = databasePath ?? Path.Combine(Path.GetTempPath(), $"themodel-test-{Guid.NewGuid():N}.db");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:TheModel", $"Data Source={DatabasePath}");
        builder.UseSetting("Outbox:AutoDispatch", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
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
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try { File.Delete(DatabasePath + suffix); } catch (IOException) { }
            }
        }
    }
}
