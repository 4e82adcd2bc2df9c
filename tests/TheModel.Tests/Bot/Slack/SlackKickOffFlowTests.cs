using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Kick-off (導入完了) from the Slack Won → CS message through /slack/interactions: the accepted message carries the
/// button, the CS holder's click records <c>onboarded</c> and every copy says "Kicked off on …"; others are told privately.
/// </summary>
public class SlackKickOffFlowTests
{
    private static async Task<(SlackTestKit Kit, Guid Handoff, Guid Lead, string ChannelTs)> AcceptedAsync()
    {
        var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        Guid handoffId, leadId;
        await using (var scope = kit.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            var now = kit.App.Clock.GetUtcNow().UtcDateTime;
            db.People.AddRange(
                new Person { Name = "Csm", Email = "csm@acme.test", Department = Department.CS, SlackUserId = "UASSIGNEE", Locale = "en-US" },
                new Person { Name = "Other", Email = "other@acme.test", Department = Department.FS, SlackUserId = "UOTHER", Locale = "en-US", Available = false });
            await db.LinkAsync(Department.CS, slackChannelId: "CCS");
            var lead = new Lead { Name = "Hana Sato", Company = "Acme & Co", Email = "hana@customer.test", Score = 90, Stage = LeadStage.Won, Amount = 900_000m, WonAt = now, RenewalDueAt = now.AddYears(1) };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.WonToCs, Actor.System);
            await db.SaveChangesAsync();
            (handoffId, leadId) = (handoff.Id, lead.Id);
        }
        return (kit, handoffId, leadId, await kit.AcceptFromChannelAsync(handoffId, "CCS"));
    }

    [Fact]
    public async Task KickOff_ByTheCsHolder_RecordsOnboarded_AndEveryCopySaysKickedOff()
    {
        var (kit, handoffId, leadId, ts) = await AcceptedAsync();
        await using var _k = kit;
        Assert.Contains(CardActions.KickOff, SlackTestKit.Body(kit.Calls("chat.update").Last())["blocks"]!.ToJsonString());
        var updatesBefore = kit.Calls("chat.update").Count;

        var response = await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.KickOff, handoffId.ToString(), channel: "CCS", messageTs: ts));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();

        Assert.NotNull(await kit.Db(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OnboardedAt).SingleAsync()));
        var updates = kit.Calls("chat.update").Skip(updatesBefore).Select(SlackTestKit.Body).ToList();
        Assert.Contains(updates, u => u["channel"]!.GetValue<string>() == "CCS" && u["ts"]!.GetValue<string>() == ts);
        Assert.All(updates, u =>
        {
            var text = SlackTestKit.Texts(u["blocks"]);
            Assert.True(text.Contains("Kicked off on 2026-11-16") || text.Contains("導入完了: 2026-11-16"), text);
            Assert.DoesNotContain(CardActions.KickOff, u["blocks"]!.ToJsonString());
        });
        Assert.Empty(kit.Calls("chat.postEphemeral"));
    }

    [Fact]
    public async Task KickOff_BySomeoneOutsideCs_IsToldPrivately_AndNothingChanges()
    {
        var (kit, handoffId, leadId, ts) = await AcceptedAsync();
        await using var _k = kit;
        var updatesBefore = kit.Calls("chat.update").Count;

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.KickOff, handoffId.ToString(), user: "UOTHER", channel: "CCS", messageTs: ts));
        await kit.DrainAsync();

        Assert.Null(await kit.Db(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OnboardedAt).SingleAsync()));
        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal("UOTHER", ephemeral["user"]!.GetValue<string>());
        Assert.Contains("Only the CS owner", ephemeral["text"]!.GetValue<string>());
        Assert.Equal(updatesBefore, kit.Calls("chat.update").Count);
    }
}
