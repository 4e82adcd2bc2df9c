using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Kpis;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>
/// The world of the KPI formula tests: November 2026 in Asia/Tokyo, "now" 5 December, an app each test class seeds
/// with data whose figures are worked out by hand in its comments.
/// </summary>
public abstract class KpiWorld : IAsyncLifetime
{
    protected static readonly DateTime Now = new(2026, 12, 5, 0, 0, 0, DateTimeKind.Utc);
    protected static readonly Period November = new(new(2026, 10, 31, 15, 0, 0, DateTimeKind.Utc), new(2026, 11, 30, 15, 0, 0, DateTimeKind.Utc), "2026-11");
    protected static readonly Period EmptyJanuary = new(new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), new(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc), "2025-01");

    protected readonly TheModelApp app = new TheModelApp(new FakeClock(Now)).WithKeys();

    protected static DateTime Nov(int day, int hour = 3) => new(2026, 11, day, hour, 0, 0, DateTimeKind.Utc);

    public async Task InitializeAsync()
    {
        _ = app.CreateClient();
        await SeedAsync();
    }

    /// <summary>Writes the class's dataset.</summary>
    protected abstract Task SeedAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    protected async Task<T> KpisAsync<T>(Func<IKpiQueries, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<IKpiQueries>());
    }
}
