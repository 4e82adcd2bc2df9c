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
using TheModel.Tests.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Kick-off (導入完了) from the Teams Won → CS card over /api/messages: the accepted card offers it, the CS holder's
/// click records <c>onboarded</c> and every copy then says "Kicked off on …"; anyone else is refused privately.
/// </summary>
public class TeamsKickOffFlowTests
{
    private static async Task<(TeamsWorld World, Guid Handoff, Guid Lead, string MessageId)> AcceptedAsync()
    {
        var world = await TeamsWorld.EmptyAsync();
        var app = world.App;
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep = new Person { Name = Users.Rep.Name, Email = "riko@example.jp", Department = Department.CS, TeamsAadObjectId = Users.Rep.AadObjectId, TeamsUserId = Users.Rep.UserId, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var other = new Person { Name = Users.Other.Name, Email = "ken@example.jp", Department = Department.IS, TeamsAadObjectId = Users.Other.AadObjectId, Locale = "en-US", Available = false, CreatedAt = now, UpdatedAt = now };
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(rep, other);
            await db.SaveChangesAsync();
        });
        await world.InstallAsync(Department.CS);
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
        return (world, handoffId, leadId, await world.AcceptAsync(handoffId));
    }

    [Fact]
    public async Task KickOff_ByTheCsHolder_RecordsOnboarded_AndEveryCopySaysKickedOff()
    {
        var (world, handoffId, leadId, messageId) = await AcceptedAsync();
        await using var _w = world;
        var accepted = TeamsWorld.CardOf(world.UpdatesOf(messageId).Last());
        Assert.Equal([CardActions.KickOff], accepted["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList());
        Assert.Contains("✅ 導入完了", JsonWalk.Strings(accepted));
        var putsBefore = world.Connector.Requests.Count(r => r.Method == "PUT");

        var response = await world.InvokeAsync(Users.Rep, CardActions.KickOff, handoffId, messageId);

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        var today = world.App.Clock.GetUtcNow().ToOffset(TimeSpan.FromHours(9)).ToString("yyyy-MM-dd");
        Assert.Contains($"Kicked off on {today}", string.Join("\n", JsonWalk.Strings(response.Json!["value"]!)));
        Assert.Null(response.Json!["value"]!["actions"]);
        var lead = await world.App.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == leadId));
        Assert.Equal(world.App.Clock.GetUtcNow().UtcDateTime, lead.OnboardedAt);
        Assert.True(await world.App.WithDbAsync(db => db.Events.AnyAsync(e => e.LeadId == leadId && e.Type == LeadEventType.Onboarded)));
        await world.App.DispatchAsync();
        var channelCopy = Assert.Single(world.Connector.Requests.Where(r => r.Method == "PUT").Skip(putsBefore),
            r => r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");
        Assert.Contains($"導入完了: {today}", string.Join("\n", JsonWalk.Strings(TeamsWorld.CardOf(channelCopy))));
    }

    [Fact]
    public async Task KickOff_BySomeoneOutsideCs_IsRefusedPrivately_AndChangesNothing()
    {
        var (world, handoffId, leadId, messageId) = await AcceptedAsync();
        await using var _w = world;
        var outbox = await world.App.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await world.InvokeAsync(Users.Other, CardActions.KickOff, handoffId, messageId);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("Only the CS owner", (string?)response.Json!["value"]);
        Assert.Null(await world.App.WithDbAsync(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OnboardedAt).SingleAsync()));
        Assert.Equal(outbox, await world.App.WithDbAsync(db => db.Outbox.CountAsync()));
    }
}
