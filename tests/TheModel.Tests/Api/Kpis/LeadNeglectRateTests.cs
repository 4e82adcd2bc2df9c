using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>
/// The lead neglect rate describes its period (docs/kpis.md "Lead neglect rate"): it is taken at T = min(period end, now)
/// from the history of acceptances, activities and stage events. "Now" is Wednesday 11 November 2026 00:00 UTC; the past
/// week ends on 9 November (14 days before: 26 October), this week is measured now (14 days before: 28 October).
/// </summary>
public class LeadNeglectRateTests : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 11, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Period PastWeek = new(new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc), new(2026, 11, 9, 0, 0, 0, DateTimeKind.Utc), "past");
    private static readonly Period ThisWeek = new(new(2026, 11, 9, 0, 0, 0, DateTimeKind.Utc), new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc), "this");

    private readonly TheModelApp app = new TheModelApp(new FakeClock(Now)).WithKeys();

    private static DateTime Day(int month, int day) => new(2026, month, day, 3, 0, 0, DateTimeKind.Utc);

    public Task InitializeAsync()
    {
        _ = app.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task LeadNeglectRate_ActivityAfterThePeriodEnd_DoesNotRescueThePastWeek()
    {
        var a = await HeldSinceAsync(Day(10, 1));
        var e = await HeldSinceAsync(Day(10, 1));
        await LeadHistory.LogCallAsync(app, a, Day(10, 5));
        await LeadHistory.LogCallAsync(app, a, Day(11, 10));
        await LeadHistory.LogCallAsync(app, e, Day(11, 1));

        // Past week: A's last call before its end was on 5 October → neglected; E's on 1 November → not. This week both were called.
        Assert.Equal((0.5, 0.0), (await RateAsync(PastWeek), await RateAsync(ThisWeek)));
    }

    [Fact]
    public async Task LeadNeglectRate_LeadWonBeforeT_IsNotHeld()
    {
        var b = await HeldSinceAsync(Day(10, 1));
        var e = await HeldSinceAsync(Day(10, 1));
        await LeadHistory.LogCallAsync(app, e, Day(11, 1));
        await RecordAsync((b, LeadEventType.Won, Day(11, 10)));

        // B, silent since October, was still held at the past week's end (neglected) and won before now (not held).
        Assert.Equal((0.5, 0.0), (await RateAsync(PastWeek), await RateAsync(ThisWeek)));
    }

    [Fact]
    public async Task LeadNeglectRate_LeadAcceptedAfterT_IsNotCounted()
    {
        await HeldSinceAsync(Day(11, 10));
        await HeldSinceAsync(Day(10, 20));

        // C, accepted on 10 November, does not count in the past week; this week it is held and fresh, D neglected in both.
        Assert.Equal((1.0, 0.5), (await RateAsync(PastWeek), await RateAsync(ThisWeek)));
    }

    [Fact]
    public async Task LeadNeglectRate_LostLeadAcceptedAgain_IsHeldOnlyFromItsNewAcceptance()
    {
        var f = await HeldSinceAsync(Day(9, 1));
        await RecordAsync((f, LeadEventType.Lost, Day(10, 1)), (f, LeadEventType.Nurtured, Day(10, 1)),
            (f, LeadEventType.RecycledBack, Day(10, 20)), (f, LeadEventType.BecameSql, Day(11, 9)));
        await AcceptSqlAsync(f, Day(11, 10));
        var d = await HeldSinceAsync(Day(10, 20));
        await LeadHistory.LogCallAsync(app, d, Day(11, 5));

        // F, silent since September, left FS on 1 October: at the past week's end only D (called on 5 November) is held.
        Assert.Equal((0.0, 0.0), (await RateAsync(PastWeek), await RateAsync(ThisWeek)));
    }

    [Fact]
    public async Task LeadNeglectRate_NothingHeldAtThePeriodEnd_IsNull()
    {
        await HeldSinceAsync(Day(10, 20));
        var september = new Period(Day(9, 1), Day(9, 8), "september");

        Assert.Null(await RateAsync(september));
        Assert.Equal(1.0, await RateAsync(ThisWeek));
    }

    [Fact]
    public async Task LeadNeglectRate_PlainNoteLoggedNow_RescuesOnlyThisWeek()
    {
        var d = await HeldSinceAsync(Day(10, 20));
        Assert.Equal(1.0, await RateAsync(ThisWeek));

        // The plain note of before #16 (no outcome) is an activity too, at the moment it is logged.
        await app.Client().PostAsJsonAsync($"/api/leads/{d}/activities", new { note = "電話: 不在" }).OkJsonAsync();

        Assert.Equal((1.0, 0.0), (await RateAsync(PastWeek), await RateAsync(ThisWeek)));
    }

    /// <summary>An SQL whose SqlToFs handoff FS accepted at <paramref name="acceptedAt"/>.</summary>
    private async Task<Guid> HeldSinceAsync(DateTime acceptedAt)
    {
        var created = acceptedAt.AddDays(-10);
        var id = await app.WithDbAsync(async db =>
        {
            var lead = new Lead
            {
                Name = "x", Company = "c", Stage = LeadStage.Sql, CreatedAt = created, UpdatedAt = acceptedAt, StageChangedAt = acceptedAt,
                LastActivityAt = acceptedAt,
            };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            return lead.Id;
        });
        await AcceptSqlAsync(id, acceptedAt);
        return id;
    }

    private Task AcceptSqlAsync(Guid leadId, DateTime acceptedAt) => app.WithDbAsync(async db =>
    {
        var offered = acceptedAt.AddHours(-1);
        db.Handoffs.Add(new Handoff
        {
            LeadId = leadId, Kind = HandoffKind.SqlToFs, State = HandoffState.Accepted, OfferedAt = offered, DeadlineAt = offered.AddHours(18),
            DecidedAt = acceptedAt, ResponseBusinessHours = 1, ResponseWallHours = 1,
        });
        db.Events.Add(new LeadEvent { LeadId = leadId, Type = LeadEventType.HandoffAccepted, At = acceptedAt, HandoffKind = HandoffKind.SqlToFs });
        await db.SaveChangesAsync();
    });

    private Task RecordAsync(params (Guid Lead, LeadEventType Type, DateTime At)[] events) => app.WithDbAsync(async db =>
    {
        db.Events.AddRange(events.Select(e => new LeadEvent { LeadId = e.Lead, Type = e.Type, At = e.At }));
        await db.SaveChangesAsync();
    });

    private async Task<double?> RateAsync(Period period)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<IKpiQueries>().KpisAsync(period, null)).LeadNeglectRate;
    }
}
