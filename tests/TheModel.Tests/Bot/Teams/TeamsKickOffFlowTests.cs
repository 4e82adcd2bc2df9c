using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Kick-off (導入完了) from the Teams Won → CS card over /api/messages: the accepted card offers it, the CS holder's
/// click records <c>onboarded</c> and every copy then says "Kicked off on …"; anyone else is refused privately.
/// </summary>
public class TeamsKickOffFlowTests
{
    private static async Task<(TheModelApp App, RecordingServer Connector, Guid Handoff, Guid Lead, string MessageId)> AcceptedAsync()
    {
        var connector = await StartConnectorAsync();
        var app = new TheModelApp();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep = new Person { Name = Users.Rep.Name, Email = "riko@example.jp", Department = Department.CS, TeamsAadObjectId = Users.Rep.AadObjectId, TeamsUserId = Users.Rep.UserId, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var other = new Person { Name = Users.Other.Name, Email = "ken@example.jp", Department = Department.IS, TeamsAadObjectId = Users.Other.AadObjectId, Locale = "en-US", Available = false, CreatedAt = now, UpdatedAt = now };
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(rep, other);
            await db.SaveChangesAsync();
        });
        Assert.Equal(200, (await PostAsync(app, Installation(connector.BaseUrl, Channel(connector.BaseUrl)))).Status);
        await LinkDepartmentAsync(app, Department.CS, ChannelId);
        Guid handoffId, leadId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            var lead = new Lead
            {
                Name = "Taro Yamada", Email = "taro@acme.co.jp", Domain = "acme.co.jp", Company = "Acme KK", Score = 85, Stage = LeadStage.Won,
                Amount = 1_200_000m, WonAt = now, RenewalDueAt = now.AddYears(1), CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
            };
            db.Leads.Add(lead);
            var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.WonToCs, Actor.System);
            await db.SaveChangesAsync();
            (handoffId, leadId) = (handoff.Id, lead.Id);
        }
        await app.DispatchAsync();
        var copy = await app.WithDbAsync(db => db.PostedCards.SingleAsync(p => p.HandoffId == handoffId && p.ConversationId == ChannelId));
        var accepted = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.Accept,
            new JsonObject { ["handoffId"] = handoffId.ToString() }, copy.MessageId));
        Assert.Equal(200, accepted.Status);
        await app.DispatchAsync();
        return (app, connector, handoffId, leadId, copy.MessageId);
    }

    private static List<string> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)).ToList(),
        JsonArray a => a.SelectMany(n => n is null ? [] : Strings(n)).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static JsonObject Content(RecordedRequest put) => (JsonObject)JsonNode.Parse(put.Body)!["attachments"]![0]!["content"]!;

    [Fact]
    public async Task KickOff_ByTheCsHolder_RecordsOnboarded_AndEveryCopySaysKickedOff()
    {
        var (app, connector, handoffId, leadId, messageId) = await AcceptedAsync();
        await using var _a = app;
        await using var _c = connector;
        var accepted = Content(connector.Requests.Last(r => r.Method == "PUT" && r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}"));
        Assert.Equal([CardActions.KickOff], accepted["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList());
        Assert.Contains("✅ 導入完了", Strings(accepted));
        var putsBefore = connector.Requests.Count(r => r.Method == "PUT");

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.KickOff,
            new JsonObject { ["handoffId"] = handoffId.ToString() }, messageId));

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        var today = app.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd");
        Assert.Contains($"Kicked off on {today}", string.Join("\n", Strings(response.Json!["value"]!)));
        Assert.Null(response.Json!["value"]!["actions"]);
        var lead = await app.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, lead.OnboardedAt);
        Assert.True(await app.WithDbAsync(db => db.Events.AnyAsync(e => e.LeadId == leadId && e.Type == LeadEventType.Onboarded)));
        await app.DispatchAsync();
        var channelCopy = Assert.Single(connector.Requests.Where(r => r.Method == "PUT").Skip(putsBefore),
            r => r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");
        Assert.Contains($"導入完了: {today}", string.Join("\n", Strings(Content(channelCopy))));
    }

    [Fact]
    public async Task KickOff_BySomeoneOutsideCs_IsRefusedPrivately_AndChangesNothing()
    {
        var (app, connector, handoffId, leadId, messageId) = await AcceptedAsync();
        await using var _a = app;
        await using var _c = connector;
        var outbox = await app.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Other, CardActions.KickOff,
            new JsonObject { ["handoffId"] = handoffId.ToString() }, messageId));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("Only the CS owner", (string?)response.Json!["value"]);
        Assert.Null(await app.WithDbAsync(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OnboardedAt).SingleAsync()));
        Assert.Equal(outbox, await app.WithDbAsync(db => db.Outbox.CountAsync()));
    }
}
