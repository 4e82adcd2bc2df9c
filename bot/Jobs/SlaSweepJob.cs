using Coravel.Invocable;
using Microsoft.Extensions.Options;
using TheModel.Api.Sweeps;

namespace TheModel.Bot.Jobs;

/// <summary>
/// One round of every sweep (SLA, contact clocks, recycle, renewals, neglect — in the order they are registered), each
/// at the TimeProvider's now. Coravel runs it every <c>Sla:SweepInterval</c>, never two at once in this process
/// (<see cref="Name"/> is its overlap lock); across instances the per-step claims in the database keep every step single.
/// </summary>
public sealed class SlaSweepJob(
    IEnumerable<IScheduledSweep> sweeps, TimeProvider time, IOptions<JobsOptions> options, IHostApplicationLifetime lifetime, ILogger<SlaSweepJob> logger)
    : IInvocable
{
    public const string Name = "sla-sweep";

    public async Task Invoke()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            foreach (var sweep in sweeps)
            {
                await sweep.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // The next interval tries again; nothing was half-done (each step commits whole or not at all).
            logger.LogError(ex, "SLA sweep failed");
        }
    }
}
