using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>
/// The first-contact figures (docs/kpis.md) on clocks written by hand: November 2026 in Asia/Tokyo, "now" 5 December.
/// </summary>
public class ContactKpisTests : KpiWorld
{
    protected override async Task SeedAsync()
    {
        await app.WithDbAsync(async db =>
        {
            Guid NewLead()
            {
                var lead = new Lead { Name = "x", Company = "c", Stage = LeadStage.Mql, CreatedAt = Nov(1), UpdatedAt = Nov(1), StageChangedAt = Nov(1), LastActivityAt = Nov(1) };
                db.Leads.Add(lead);
                return lead.Id;
            }
            void Clock(LeadStage stage, DateTime started, DateTime due, DateTime? touched = null, double? hours = null, bool contact = false) =>
                db.ContactClocks.Add(new ContactClock
                {
                    LeadId = NewLead(), Stage = stage, StartedAt = started, DueAt = due, FirstTouchAt = touched, FirstTouchBusinessHours = hours,
                    FirstContactAt = contact ? touched : null, NextCheckAt = DateTime.MaxValue,
                });
            // MQL clocks started in November: A (touched in 1h, reached), B (touched late after 10h, reached), C (never
            // touched, past due), D (touched in 3h, no answer; due in December), F (below). Contact rate: A and B of
            // A, B, C, D, F = 2/5 = 0.4. First touch over A, B, D: 1, 3, 10 → median 3, p90 (rank 3) 10.
            Clock(LeadStage.Mql, Nov(2), Nov(3), Nov(2, 4), 1, contact: true);
            Clock(LeadStage.Mql, Nov(4), Nov(5), Nov(6), 10, contact: true);
            Clock(LeadStage.Mql, Nov(10), Nov(11));
            Clock(LeadStage.Mql, Nov(29), new DateTime(2026, 12, 1, 3, 0, 0, DateTimeKind.Utc), Nov(29, 6), 3);
            // E started in October, due 1 November, touched in time: only in the compliance figure.
            // F, started the 28th, due the 29th, untouched: past due. Compliance over the deadlines in November: A (in
            // time), B (late), C (past due), E (in time), F (past due) → 2/5 = 0.4.
            Clock(LeadStage.Mql, new DateTime(2026, 10, 31, 10, 0, 0, DateTimeKind.Utc), Nov(1), Nov(1, 1), 2);
            Clock(LeadStage.Mql, Nov(28), Nov(29));
            // SQL clocks: first meeting after 5h and 8h → median 6.5; one not yet met.
            Clock(LeadStage.Sql, Nov(15), Nov(17), Nov(15, 8), 5, contact: true);
            Clock(LeadStage.Sql, Nov(16), Nov(18), Nov(16, 11), 8, contact: true);
            Clock(LeadStage.Sql, Nov(20), Nov(22));
            // Opportunities: SQLs accepted by FS in November (2); a rejection and an October acceptance do not count.
            void H(HandoffState state, DateTime decided) => db.Handoffs.Add(new Handoff
            {
                LeadId = NewLead(), Kind = HandoffKind.SqlToFs, State = state, OfferedAt = decided.AddHours(-1), DeadlineAt = decided, DecidedAt = decided,
            });
            H(HandoffState.Accepted, Nov(15));
            H(HandoffState.Accepted, Nov(16));
            H(HandoffState.Rejected, Nov(17));
            H(HandoffState.Accepted, new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc));
            await db.SaveChangesAsync();
        });
    }

    private async Task<Dictionary<string, double?>> ValuesAsync(Period period, Department department)
    {
        var report = await KpisAsync(k => k.KpisAsync(period, department));
        return report.Departments.Single().Values.ToDictionary(v => v.Key, v => v.Value);
    }

    [Fact]
    public async Task Kpis_InsideSales_ContactRateFirstTouchAndCompliance()
    {
        var values = await ValuesAsync(November, Department.IS);
        Assert.Equal(0.4, values["contactRate"]);
        Assert.Equal(3, values["firstTouchMedianHours"]);
        Assert.Equal(10, values["firstTouchP90Hours"]);
        Assert.Equal(0.4, values["contactSlaCompliance"]);
    }

    [Fact]
    public async Task Kpis_FieldSales_OpportunitiesAndFirstMeeting()
    {
        var values = await ValuesAsync(November, Department.FS);
        Assert.Equal(2, values["opportunities"]);
        Assert.Equal(6.5, values["firstMeetingMedianHours"]);
    }

    [Fact]
    public async Task Kpis_EmptyPeriod_ContactFiguresAreNull()
    {
        var inside = await ValuesAsync(EmptyJanuary, Department.IS);
        Assert.Null(inside["contactRate"]);
        Assert.Null(inside["firstTouchMedianHours"]);
        Assert.Null(inside["firstTouchP90Hours"]);
        Assert.Null(inside["contactSlaCompliance"]);
        var field = await ValuesAsync(EmptyJanuary, Department.FS);
        Assert.Equal(0, field["opportunities"]);
        Assert.Null(field["firstMeetingMedianHours"]);
    }
}
