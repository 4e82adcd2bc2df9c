using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TheModel.Api.Outbox;
using TheModel.Api.Store;

namespace TheModel.Api.Telemetry;

/// <summary>What waits in the outbox for one platform (channel).</summary>
public sealed record PlatformBacklog(string Platform, long Pending, TimeSpan OldestAge);

/// <summary>
/// The outbox gauges' reading: one grouped query (pending rows per channel and the oldest one's age), reused for
/// <see cref="MaxAge"/>. Gauges are read on every collection of every listener (an exporter, dotnet-counters, both),
/// and each would otherwise ask the store again.
/// </summary>
public sealed class OutboxBacklog(IServiceScopeFactory scopes, TimeProvider time, ILogger<OutboxBacklog> logger)
{
    /// <summary>How long one reading is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Always reported (as 0 when nothing waits), so a drained backlog reads 0 rather than its last value.</summary>
    private static readonly IReadOnlyList<string> KnownPlatforms = [OutboxChannels.Teams, OutboxChannels.Slack, OutboxChannels.Webhook];

    private static readonly Func<TheModelDb, IEnumerable<Group>> PendingByChannel =
        EF.CompileQuery((TheModelDb db) => db.Outbox.AsNoTracking()
            .Where(m => m.Status == OutboxStatus.Pending)
            .GroupBy(m => m.Channel)
            .Select(g => new Group(g.Key, g.Count(), g.Min(m => m.CreatedAt))));

    private sealed record Group(string Channel, int Pending, DateTime OldestCreatedAt);

    private readonly Lock gate = new();
    private IReadOnlyList<PlatformBacklog> last = [];
    private DateTimeOffset? readAt;

    /// <summary>
    /// The backlog per platform, at most <see cref="MaxAge"/> old. Synchronous: gauge callbacks are (they run on the
    /// listener's own collection thread, never on a request's).
    /// </summary>
    public IReadOnlyList<PlatformBacklog> Read()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (readAt is { } at && now - at < MaxAge)
            {
                return last;
            }
            // Set before the query: a store that is down is asked again only after MaxAge, not on every callback.
            readAt = now;
            try
            {
                using var scope = scopes.CreateScope();
                var groups = PendingByChannel(scope.ServiceProvider.GetRequiredService<TheModelDb>()).ToList();
                last = KnownPlatforms.Where(p => groups.All(g => g.Channel != p))
                    .Select(p => new PlatformBacklog(p, 0, TimeSpan.Zero))
                    .Concat(groups.Select(g => new PlatformBacklog(g.Channel, g.Pending,
                        Max(TimeSpan.Zero, now.UtcDateTime - DateTime.SpecifyKind(g.OldestCreatedAt, DateTimeKind.Utc)))))
                    .OrderBy(b => b.Platform, StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not read the outbox backlog for its gauges; they report nothing until the next reading");
                last = [];
            }
            return last;
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
