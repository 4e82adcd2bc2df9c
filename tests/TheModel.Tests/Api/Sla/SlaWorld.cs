using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Sla;

/// <summary>
/// An inside-sales team (a manager and reps with Slack identities, a baton channel in Slack and Teams) and MQL offers
/// on a 2-business-hour SLA: offered Monday 09:00 JST (the FakeClock's start), reminders at 10:00 and 10:48, escalation
/// at 11:00, expiry and reassignment at 12:00.
/// </summary>
internal sealed class SlaWorld
{
    public static readonly DateTime Start = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc); // Mon 09:00 JST
    public static readonly DateTime Reminder1 = Start.AddHours(1);
    public static readonly DateTime Reminder2 = Start.AddMinutes(108);
    public static readonly DateTime Escalation = Start.AddHours(2);
    public static readonly DateTime Expiry = Start.AddHours(3);

    public Guid ManagerId { get; private init; }
    public IReadOnlyList<Guid> Reps { get; private init; } = [];

    public static TheModelApp NewApp(FakeClock? clock = null, string? databasePath = null, int maxReassignments = 2)
    {
        var app = new TheModelApp(clock, databasePath);
        app.Settings["Sla:MqlToIs:AcceptWithinHours"] = "2";
        app.Settings["Sla:MqlToIs:ReassignAfterHours"] = "1";
        app.Settings["Sla:MqlToIs:MaxReassignments"] = maxReassignments.ToString();
        return app;
    }

    public static async Task<SlaWorld> SeedAsync(TheModelApp app, int reps = 3)
    {
        // The manager takes no leads; rep A was assigned longest ago, so round robin goes A, B, C.
        var manager = new Person { Name = "IS Manager", Email = "mgr@example.jp", Department = Department.IS, Available = false, SlackUserId = "UMGR", TeamsAadObjectId = "aad-mgr" };
        var people = Enumerable.Range(0, reps)
            .Select(i => new Person
            {
                Name = $"Rep {(char)('A' + i)}", Email = $"rep{i}@example.jp", Department = Department.IS, ManagerId = manager.Id,
                SlackUserId = $"UREP{i}", LastAssignedAt = Start.AddDays(-10 + i),
            })
            .ToList();
        await app.WithDbAsync(async db =>
        {
            db.People.Add(manager);
            db.People.AddRange(people);
            await db.LinkAsync(Department.IS, slackChannelId: "C_IS", teamsConversationId: "19:is@thread.tacv2");
            await db.SaveChangesAsync();
        });
        return new SlaWorld { ManagerId = manager.Id, Reps = people.Select(p => p.Id).ToList() };
    }

    /// <summary>A new MQL offered to inside sales now (routing picks the rep).</summary>
    public static async Task<Guid> OfferAsync(TheModelApp app, string company = "Acme")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var lead = new Lead
        {
            Name = "Taro Yamada", Email = $"taro@{company.ToLowerInvariant()}.example", Company = company, Domain = $"{company.ToLowerInvariant()}.example",
            Stage = LeadStage.Mql, Department = Department.MK, Score = 85, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        db.Leads.Add(lead);
        var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
        await db.SaveChangesAsync();
        return handoff.Id;
    }

    public static Task<SlaSweepResult> SweepAsync(TheModelApp app, string instance = "test") =>
        app.Services.GetRequiredService<SlaSweeper>().RunAsync(app.Clock.GetUtcNow().UtcDateTime, instance);

    public static void At(TheModelApp app, DateTime utc) => app.Clock.SetUtcNow(new DateTimeOffset(utc));

    public static Task<List<OutboxMessage>> SlaMessagesAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking()
            .Where(m => m.Kind == OutboxKinds.SlaReminder || m.Kind == OutboxKinds.SlaEscalation)
            .OrderBy(m => m.Id).ToListAsync());

    public static Task<List<SlaStep>> StepsAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.SlaSteps.AsNoTracking().OrderBy(s => s.Id).ToListAsync());

    public static Task<List<Handoff>> HandoffsAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Handoffs.AsNoTracking().OrderBy(h => h.Attempt).ThenBy(h => h.OfferedAt).ToListAsync());
}
