using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Leads;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>History the neglect rate reads, written through the code the app uses.</summary>
internal static class LeadHistory
{
    /// <summary>Logs a call that reached the lead at <paramref name="at"/> (back-dated, as a CRM does), through <see cref="LeadActivities"/>.</summary>
    public static async Task LogCallAsync(TheModelApp app, Guid leadId, DateTime at)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<LeadActivities>().RecordAsync(
            new ActivityRequest(leadId, null, ActivityKind.Call, ActivityOutcome.Reached, Actor.System, new DateTimeOffset(at, TimeSpan.Zero)));
        Assert.Equal(ActivityStatus.Created, result.Status);
    }
}
