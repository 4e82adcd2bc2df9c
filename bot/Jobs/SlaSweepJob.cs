using Quartz;
using TheModel.Api.Sla;

namespace TheModel.Bot.Jobs;

/// <summary>
/// One SLA sweep per trigger. Never two at once in this process ([DisallowConcurrentExecution]); across instances the
/// per-step claims in the database keep every step single.
/// </summary>
[DisallowConcurrentExecution]
public sealed class SlaSweepJob(SlaSweeper sweeper, TimeProvider time, JobsOptions options, ILogger<SlaSweepJob> logger) : IJob
{
    public static readonly JobKey Key = new("sla-sweep", "sla");
    public static readonly TriggerKey Trigger = new("sla-sweep-every-interval", "sla");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var result = await sweeper.RunAsync(time.GetUtcNow().UtcDateTime, options.InstanceId, cancellationToken);
            if (result.Steps > 0)
            {
                logger.LogInformation("SLA sweep: {Reminders} reminders, {Escalations} escalations, {Expiries} reassignments ({Late} late)",
                    result.Reminders, result.Escalations, result.Expiries, result.Late);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next trigger tries again; nothing was half-done (each step commits whole or not at all).
            logger.LogError(ex, "SLA sweep failed");
        }
    }
}
