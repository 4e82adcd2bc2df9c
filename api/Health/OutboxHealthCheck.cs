using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TheModel.Api.Outbox;
using TheModel.Api.Store;

namespace TheModel.Api.Health;

/// <summary>
/// The outbox is moving: its oldest pending message is younger than <see cref="HealthOptions.OutboxMaxAge"/>. An older
/// one means nothing is sending (no dispatcher running, a sender wedged), and every card and reminder waits behind it.
/// </summary>
public sealed class OutboxHealthCheck(TheModelDb db, TimeProvider time, IOptions<HealthOptions> options) : IHealthCheck
{
    public const string Name = "outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var oldest = await db.Outbox.AsNoTracking().Where(m => m.Status == OutboxStatus.Pending)
                .OrderBy(m => m.CreatedAt).Select(m => (DateTime?)m.CreatedAt).FirstOrDefaultAsync(ct);
            if (oldest is not { } created)
            {
                return HealthCheckResult.Healthy("nothing pending");
            }
            var age = time.GetUtcNow().UtcDateTime - created;
            var max = options.Value.OutboxMaxAge;
            return age < max
                ? HealthCheckResult.Healthy($"oldest pending message is {Minutes(age)} old")
                : HealthCheckResult.Unhealthy($"oldest pending message is {Minutes(age)} old (Health:OutboxMaxAge is {Minutes(max)})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"outbox unreadable: {ex.Message}");
        }
    }

    private static string Minutes(TimeSpan span) => span < TimeSpan.Zero ? "0 min" : $"{Math.Floor(span.TotalMinutes):0} min";
}
