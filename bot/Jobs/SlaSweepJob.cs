using Coravel.Invocable;
using Microsoft.Extensions.Options;
using TheModel.Api.Recycle;
using TheModel.Api.Sla;

namespace TheModel.Bot.Jobs;

/// <summary>
/// One SLA sweep, at the TimeProvider's now. Coravel runs it every <c>Sla:SweepInterval</c>, never two at once in this
/// process (<see cref="Name"/> is its overlap lock); across instances the per-step claims in the database keep every
/// step single.
/// </summary>
public sealed class SlaSweepJob(
    SlaSweeper sweeper, ContactClockSweeper contacts, RecycleSweeper recycle, Api.Customers.RenewalSweeper renewals, Api.Kpis.NeglectSweeper neglect, TimeProvider time, IOptions<JobsOptions> options, IHostApplicationLifetime lifetime, ILogger<SlaSweepJob> logger)
    : IInvocable
{
    public const string Name = "sla-sweep";

    public async Task Invoke()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            var result = await sweeper.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            if (result.Steps > 0)
            {
                logger.LogInformation("SLA sweep: {Reminders} reminders, {Escalations} escalations, {Expiries} reassignments ({Late} late)",
                    result.Reminders, result.Escalations, result.Expiries, result.Late);
            }
            var contact = await contacts.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            if (contact.Steps > 0)
            {
                logger.LogInformation("Contact sweep: {Reminders} reminders, {Escalations} escalations ({Late} late)",
                    contact.Reminders, contact.Escalations, contact.Late);
            }
            // The recycle clock rides on the same interval: its comebacks are claimed like SLA steps.
            await recycle.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            // Renewals are chased like an SLA (issue #17), in the same job.
            var renewed = await renewals.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            if (renewed.Steps > 0)
            {
                logger.LogInformation("Renewal sweep: {Notices} notices, {Reminders} reminders, {Escalations} escalations",
                    renewed.Notices, renewed.Reminders, renewed.Escalations);
            }
            // Neglected SQLs (issue #16): the owner is nudged every Kpis:NeglectDays without activity.
            var nudged = await neglect.RunAsync(time.GetUtcNow().UtcDateTime, options.Value.InstanceId, stopping);
            if (nudged > 0)
            {
                logger.LogInformation("Neglect sweep: {Nudges} nudges", nudged);
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
