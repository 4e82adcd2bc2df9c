using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>The digest's advice button clicked in Teams: the valve's rule, answered to the clicker only.</summary>
public class TeamsDigestValveTests
{
    private static async Task<(TheModelApp App, TeamsPeople People)> StartAsync(string baseUrl)
    {
        var app = new TheModelApp().WithKeys();
        _ = app.CreateClient();
        var people = await SeedDirectoryAsync(app);
        await app.WithDbAsync(async db =>
        {
            (await db.People.SingleAsync(p => p.Id == people.Manager.Id)).Role = PersonRole.Manager;
            db.Settings.Add(new Setting { Key = "digest-channel:slack", Json = "{\"conversationId\":\"C_DIGEST\"}" });
            return await db.SaveChangesAsync();
        });
        return (app, people);
    }

    private static JsonObject Click(int threshold) => new() { ["threshold"] = threshold };

    [Fact]
    public async Task AdviceButton_IsManagerClicks_ThresholdChangedAnnouncedAndNextIntakeUsesIt()
    {
        await using var connector = await StartConnectorAsync();
        var (app, people) = await StartAsync(connector.BaseUrl);
        await using var _ = app;

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Manager, CardActions.DigestSetThreshold, Click(60)));

        Assert.Equal(200, response.Status);
        Assert.Contains("application/vnd.microsoft.activity.message", response.Body);
        Assert.Contains("80 → 60", response.Body);
        var turned = await app.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Type == LeadEventType.ThresholdChanged));
        Assert.Equal((people.Manager.Id, "digest advice"), (turned.ActorId!.Value, turned.Reason));
        Assert.Equal(1, await app.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == OutboxKinds.ThresholdChanged)));
        var lead = await app.Client().PostLeadAsync(new { name = "B", company = "B社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Mql", lead.Str("stage"));
    }

    [Fact]
    public async Task AdviceButton_MemberClicks_PrivateRefusalAndNothingChanged()
    {
        await using var connector = await StartConnectorAsync();
        var (app, _) = await StartAsync(connector.BaseUrl);
        await using var _ = app;

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.DigestSetThreshold, Click(60)));

        Assert.Contains("application/vnd.microsoft.activity.message", response.Body);
        Assert.Contains("Not yours", response.Body);
        Assert.Equal(0, await app.WithDbAsync(db => db.Events.CountAsync(e => e.Type == LeadEventType.ThresholdChanged)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Outbox.CountAsync(m => m.Kind == OutboxKinds.ThresholdChanged)));
        var lead = await app.Client().PostLeadAsync(new { name = "B", company = "B社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Inquiry", lead.Str("stage"));
    }
}
