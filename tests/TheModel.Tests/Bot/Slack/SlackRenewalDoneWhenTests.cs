using TheModel.Api.Conversations;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Customers;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Api.Customers;
using TheModel.Tests.Support;
using TheModel.Bot.Chat;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Issue #17 "Done when", tried as a new user would with a short window: a won deal reaches CS, the kick-off is recorded
/// from the Won → CS card, the renewal card arrives before the renewal date, and Renewed on it moves
/// <c>renewalRate</c> in <c>/api/kpis</c> and in <c>kpi CS</c>.
/// </summary>
public class SlackRenewalDoneWhenTests
{
    [Fact]
    public async Task WonDeal_KickedOffAndRenewedFromTheCards_MovesTheRenewalRate()
    {
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero), configure: app => app.WithKeys());
        await kit.Db(async db =>
        {
            await db.LinkAsync(Department.CS, slackChannelId: "CCS");
            return await db.SaveChangesAsync();
        });
        var client = kit.App.Client();

        // A one-month contract: due 2 Dec, so its 60-day notice is due at the first sweep.
        var (leadId, csRep, won) = await CustomerLifecycleApiTests.WonCustomerAsync(kit.App, client, new { amount = 1200000, termMonths = 1 });
        await kit.Db(async db =>
        {
            var person = await db.People.SingleAsync(p => p.Id == csRep);
            person.SlackUserId = "UCSREP";
            person.Locale = "en-US";
            return await db.SaveChangesAsync();
        });
        await kit.DrainAsync();
        var handoffId = won.GetProperty("offered").Id();
        var wonCard = await kit.Db(db => db.PostedCards.Where(p => p.HandoffId == handoffId && p.ConversationId == "CCS").Select(p => p.MessageId).SingleAsync());

        Assert.Equal(HttpStatusCode.OK, (await kit.PostInteractionAsync(
            SlackTestKit.BlockAction(CardActions.KickOff, handoffId.ToString(), user: "UCSREP", channel: "CCS", messageTs: wonCard))).StatusCode);
        await kit.DrainAsync();
        Assert.NotNull(await kit.Db(db => db.Leads.Where(l => l.Id == leadId).Select(l => l.OnboardedAt).SingleAsync()));

        var swept = await kit.App.Services.GetRequiredService<RenewalSweeper>().RunAsync(kit.App.Clock.GetUtcNow().UtcDateTime, "test");
        await kit.DrainAsync();
        Assert.Equal(1, swept.Notices);
        var renewalCard = await kit.Db(db => db.PostedCards.Where(p => p.HandoffId == leadId && p.ConversationId == "CCS").Select(p => p.MessageId).SingleAsync());
        Assert.Contains(CardActions.Renewed, SlackTestKit.Body(kit.Calls("chat.postMessage").Last(r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CCS"))["blocks"]!.ToJsonString());

        var click = JsonNode.Parse(SlackTestKit.BlockAction(CardActions.Renewed, leadId.ToString(), user: "UCSREP", channel: "CCS", messageTs: renewalCard))!.AsObject();
        click["state"] = new JsonObject
        {
            ["values"] = new JsonObject
            {
                [CardFields.RenewedAmount] = new JsonObject { [CardFields.RenewedAmount] = new JsonObject { ["type"] = "number_input", ["value"] = "1250000" } },
                [CardFields.RenewedTerm] = new JsonObject { [CardFields.RenewedTerm] = new JsonObject { ["type"] = "number_input", ["value"] = "12" } },
            },
        };
        Assert.Equal(HttpStatusCode.OK, (await kit.PostInteractionAsync(click.ToJsonString())).StatusCode);
        await kit.DrainAsync();

        var kpis = await client.GetAsync("/api/kpis?department=CS&period=2026-12").OkJsonAsync();
        var renewalRate = kpis.GetProperty("departments")[0].GetProperty("values").EnumerateArray()
            .Single(v => v.GetProperty("key").GetString() == "renewalRate").GetProperty("value").GetDouble();
        Assert.Equal(1.0, renewalRate);
        await using var scope = kit.App.Services.CreateAsyncScope();
        var person = await scope.ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>().People.SingleAsync(p => p.Id == csRep);
        var reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack, Text = "kpi CS 2026-12", Person = person, UserId = "UCSREP", ConversationId = "D1", IsPersonal = true,
        });
        Assert.Contains($"{ChatTexts.English.KpiLabel("renewalRate")}: 100", reply.Text);
        Assert.Contains(kit.Calls("chat.update").Select(SlackTestKit.Body), u => u["ts"]!.GetValue<string>() == renewalCard
            && SlackTestKit.Texts(u["blocks"]).Contains("1,250,000"));
    }
}
