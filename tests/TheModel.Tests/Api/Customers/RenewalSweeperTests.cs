using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Customers;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Customers;

/// <summary>The renewal card's chase on a fake clock: notice 60 days before, reminder halfway, escalation at the date, each once.</summary>
public class RenewalSweeperTests
{
    private static async Task<(Guid LeadId, Guid Owner, Guid Manager, DateTime Due)> CustomerAsync(TheModelApp app, HttpClient client)
    {
        var (id, cs, won) = await CustomerLifecycleApiTests.WonCustomerAsync(app, client);
        var manager = await client.AddPersonAsync("CS 部長", "cs-mgr@example.co.jp", "CS", slackUserId: "UCSMGR");
        await app.WithDbAsync(async db =>
        {
            var owner = await db.People.FirstAsync(p => p.Id == cs);
            owner.SlackUserId = "UCS";
            owner.ManagerId = manager;
            await db.LinkAsync(Department.CS, slackChannelId: "C_CS", teamsConversationId: null);
            await db.SaveChangesAsync();
        });
        return (id, cs, manager, won.GetProperty("renewalDueAt").GetDateTime().ToUniversalTime());
    }

    private static Task<RenewalSweepResult> SweepAsync(TheModelApp app) =>
        app.Services.GetRequiredService<RenewalSweeper>().RunAsync(app.Clock.GetUtcNow().UtcDateTime, "test");

    private static void At(TheModelApp app, DateTime utc) => app.Clock.SetUtcNow(new DateTimeOffset(utc));

    private static Task<List<OutboxMessage>> RenewalMessagesAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind.StartsWith("renewal.")).OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task Sweep_CustomerLeftAlone_NoticesRemindsAndEscalatesEachOnce()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, owner, manager, due) = await CustomerAsync(app, client);
        var notice = due.AddDays(-60);

        At(app, notice.AddSeconds(-1));
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        At(app, notice.AddSeconds(1));
        Assert.Equal(1, (await SweepAsync(app)).Notices);
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        At(app, notice.AddDays(30).AddSeconds(2));
        Assert.Equal(1, (await SweepAsync(app)).Reminders);
        Assert.Equal(0, (await SweepAsync(app)).Steps);
        At(app, due.AddSeconds(1));
        Assert.Equal(1, (await SweepAsync(app)).Escalations);
        Assert.Equal(0, (await SweepAsync(app)).Steps);

        var messages = await RenewalMessagesAsync(app);
        Assert.Equal(
            [
                (OutboxKinds.RenewalNotice, OutboxMessage.PersonTarget(owner)),
                (OutboxKinds.RenewalNotice, "C_CS"),
                (OutboxKinds.RenewalReminder, OutboxMessage.PersonTarget(owner)),
                (OutboxKinds.RenewalEscalation, OutboxMessage.PersonTarget(manager)),
                (OutboxKinds.RenewalEscalation, "C_CS"),
            ],
            messages.Select(m => (m.Kind, m.Target)));
        var payload = JsonDocument.Parse(messages[0].Payload!).RootElement;
        Assert.Equal(id, payload.GetProperty("leadId").GetGuid());
        Assert.Equal("renewal:2027-11-16:notice", payload.Str("step"));
        var steps = await app.WithDbAsync(db => db.LeadSteps.AsNoTracking().Where(s => s.LeadId == id).OrderBy(s => s.Id).Select(s => s.Step).ToListAsync());
        Assert.Equal(["renewal:2027-11-16:notice", "renewal:2027-11-16:reminder", "renewal:2027-11-16:escalation"], steps);
    }

    [Fact]
    public async Task Sweep_AfterRenewal_ChasesTheNextTermWithNewKeys_AndAChurnedCustomerNotAtAll()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, _, due) = await CustomerAsync(app, client);
        At(app, due.AddDays(-59));
        Assert.Equal(1, (await SweepAsync(app)).Notices);

        await client.PostAsJsonAsync($"/api/leads/{id}/renewed", new { amount = 100, termMonths = 12 }).OkJsonAsync();
        At(app, due.AddMonths(12).AddDays(-59));
        Assert.Equal(1, (await SweepAsync(app)).Notices);
        Assert.Equal("renewal:2028-11-16:notice", JsonDocument.Parse((await RenewalMessagesAsync(app)).Last().Payload!).RootElement.Str("step"));

        await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { reason = "Budget" }).OkJsonAsync();
        At(app, due.AddMonths(12).AddDays(1));
        Assert.Equal(0, (await SweepAsync(app)).Steps);
    }
}
