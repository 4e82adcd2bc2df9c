using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Recycle;
using TheModel.Api.Sla;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Recycle;

/// <summary>An IS rep (佐藤 花子) who turns down an MQL with a reason and a note, over the real HTTP pipeline.</summary>
internal static class RecycleWorld
{
    public static TheModelApp NewApp(FakeClock? clock = null, string? databasePath = null) => new TheModelApp(clock, databasePath).WithKeys();

    public static async Task<Guid> AddRepAsync(TheModelApp app) => await app.Client().AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");

    /// <summary>A new lead with score 85 (an MQL at once), its offer rejected by the rep; returns the lead's id.</summary>
    public static async Task<Guid> RejectedMqlAsync(TheModelApp app, Guid rep, string reason, string? note, string externalId = "ma-1")
    {
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { externalId, name = "田中 太郎", email = $"{externalId}@acme.co.jp", company = "株式会社アクメ", score = 85 })
            .OkJsonAsync(HttpStatusCode.Created);
        var offered = lead.GetProperty("offered").Id();
        await client.PostAsJsonAsync($"/api/handoffs/{offered}/reject", new { personId = rep, reason, note }).OkJsonAsync();
        return lead.Id();
    }

    public static Task<int> SweepAsync(TheModelApp app, string instance = "test") =>
        app.Services.GetRequiredService<RecycleSweeper>().RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance);

    public static Task<Lead> LeadAsync(TheModelApp app, Guid id) => app.WithDbAsync(db => db.Leads.AsNoTracking().FirstAsync(l => l.Id == id));

    public static Task<List<Handoff>> OffersAsync(TheModelApp app, Guid leadId) =>
        app.WithDbAsync(db => db.Handoffs.AsNoTracking().Where(h => h.LeadId == leadId).OrderBy(h => h.OfferedAt).ThenBy(h => h.Id).ToListAsync());

    public static Task<List<LeadEvent>> EventsAsync(TheModelApp app, Guid leadId, LeadEventType type) =>
        app.WithDbAsync(db => db.Events.AsNoTracking().Where(e => e.LeadId == leadId && e.Type == type).OrderBy(e => e.Id).ToListAsync());

    public static Task<List<LeadStep>> StepsAsync(TheModelApp app) => app.WithDbAsync(db => db.LeadSteps.AsNoTracking().OrderBy(s => s.Id).ToListAsync());
}
