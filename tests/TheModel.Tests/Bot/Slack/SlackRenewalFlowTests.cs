using TheModel.Api.Conversations;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Customers;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Support;
using TheModel.Bot.Chat;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// The renewal card on Slack through /slack/interactions: the sweep posts it to the CS owner's DM and the CS channel;
/// Churned by the owner (reason chosen on the message) churns the customer and moves <c>churnRate</c>, and every copy
/// then shows the outcome without inputs or buttons; refusals are ephemeral and change nothing.
/// </summary>
public class SlackRenewalFlowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Due = new(2026, 11, 20, 3, 0, 0, DateTimeKind.Utc);

    private static async Task<(SlackTestKit Kit, Guid Lead, Person Owner)> SweptAsync()
    {
        var kit = await SlackTestKit.StartAsync(Now, configure: app => app.WithKeys());
        var now = Now.UtcDateTime;
        var won = new DateTime(2025, 11, 20, 3, 0, 0, DateTimeKind.Utc);
        var owner = new Person { Name = "Csm", Email = "csm@acme.test", Department = Department.CS, SlackUserId = "UASSIGNEE", Locale = "en-US" };
        var lead = new Lead
        {
            Name = "Hana Sato", Company = "Acme & <Co> *bold*", Email = "hana@customer.test", Stage = LeadStage.Won, Department = Department.CS, OwnerId = owner.Id,
            Amount = 900_000m, WonAt = won, RenewalDueAt = Due, CreatedAt = won, UpdatedAt = won, StageChangedAt = won, LastActivityAt = won,
        };
        await kit.Db(async db =>
        {
            db.People.AddRange(owner, new Person { Name = "Other", Email = "other@acme.test", Department = Department.FS, SlackUserId = "UOTHER", Locale = "en-US" });
            db.Leads.Add(lead);
            await db.LinkAsync(Department.CS, slackChannelId: "CCS");
            return await db.SaveChangesAsync();
        });
        var swept = await kit.App.Services.GetRequiredService<RenewalSweeper>().RunAsync(now, "test");
        await kit.DrainAsync();
        Assert.Equal(1, swept.Notices);
        return (kit, lead.Id, owner);
    }

    private static string StateAction(string actionId, string leadId, string user, string channel, string ts, JsonObject values)
    {
        var payload = JsonNode.Parse(SlackTestKit.BlockAction(actionId, leadId, user: user, channel: channel, messageTs: ts))!.AsObject();
        payload["state"] = new JsonObject { ["values"] = values };
        return payload.ToJsonString();
    }

    private static JsonObject Input(string field, string? value) =>
        new() { [field] = new JsonObject { [field] = new JsonObject { ["type"] = "number_input", ["value"] = value } } };

    private static JsonObject Reason(string? reason, string? note)
    {
        var values = new JsonObject
        {
            [CardFields.ChurnNote] = new JsonObject { [CardFields.ChurnNote] = new JsonObject { ["type"] = "plain_text_input", ["value"] = note } },
        };
        if (reason is not null)
        {
            values[CardFields.ChurnReason] = new JsonObject
            {
                [CardFields.ChurnReason] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = reason } },
            };
        }
        return values;
    }

    private static Task<string> ChannelTsAsync(SlackTestKit kit, Guid lead) =>
        kit.Db(db => db.PostedCards.Where(p => p.HandoffId == lead && p.ConversationId == "CCS").Select(p => p.MessageId).SingleAsync());

    [Fact]
    public async Task Sweep_DueRenewal_PostsTheRenewalCardToTheOwnersDmAndTheCsChannel()
    {
        var (kit, lead, _) = await SweptAsync();
        await using var _k = kit;

        var posts = kit.Calls("chat.postMessage").Select(SlackTestKit.Body).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Contains(posts, p => p["channel"]!.GetValue<string>() == "CCS");
        Assert.All(posts, p =>
        {
            var blocks = p["blocks"]!.ToJsonString();
            foreach (var id in RenewalCards.Actions.Append(CardFields.ChurnReason).Append(CardFields.RenewedTerm))
            {
                Assert.Contains(id, blocks);
            }
            var text = p["text"]!.GetValue<string>();
            Assert.Contains("2026-11-20", text);
            Assert.Contains("Acme &amp; &lt;Co&gt;", text);
            Assert.DoesNotContain("<Co>", text);
        });
        Assert.Equal(2, await kit.Db(db => db.PostedCards.CountAsync(p => p.HandoffId == lead)));
    }

    [Fact]
    public async Task Churned_ByTheOwner_ChurnsTheCustomer_MovesChurnRate_AndEveryCopyShowsTheOutcome()
    {
        var (kit, lead, owner) = await SweptAsync();
        await using var _k = kit;
        var ts = await ChannelTsAsync(kit, lead);
        var updatesBefore = kit.Calls("chat.update").Count;

        var response = await kit.PostInteractionAsync(StateAction(CardActions.Churned, lead.ToString(), "UASSIGNEE", "CCS", ts, Reason("Budget", "cut <everything>")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();

        Assert.NotNull(await kit.Db(db => db.Leads.Where(l => l.Id == lead).Select(l => l.ChurnedAt).SingleAsync()));
        Assert.Equal("Budget", await kit.Db(db => db.Events.Where(e => e.LeadId == lead && e.Type == LeadEventType.Churned).Select(e => e.Reason).SingleAsync()));
        var values = (await kit.App.Client().GetAsync("/api/kpis?department=CS&period=2026-11").OkJsonAsync())
            .GetProperty("departments")[0].GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("key").GetString()!, v => v.GetProperty("value"));
        Assert.Equal(1.0, values["churnRate"].GetDouble());
        Assert.Equal(0.0, values["renewalRate"].GetDouble());
        await using (var scope = kit.App.Services.CreateAsyncScope())
        {
            var reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
            {
                Platform = ChatPlatform.Slack, Text = "kpi CS 2026-11", Person = owner, UserId = "UASSIGNEE", ConversationId = "D1", IsPersonal = true,
            });
            Assert.Contains($"{ChatTexts.English.KpiLabel("churnRate")}: 100", reply.Text);
        }

        var updates = kit.Calls("chat.update").Skip(updatesBefore).Select(SlackTestKit.Body).ToList();
        Assert.Equal(2, updates.Count);
        Assert.Contains(updates, u => u["channel"]!.GetValue<string>() == "CCS" && u["ts"]!.GetValue<string>() == ts);
        Assert.All(updates, u =>
        {
            var blocks = u["blocks"]!.ToJsonString();
            Assert.DoesNotContain(CardActions.Churned, blocks);
            Assert.DoesNotContain(CardFields.ChurnReason, blocks);
            var text = SlackTestKit.Texts(u["blocks"]);
            Assert.True(text.Contains("Churned, recorded by Csm on 2026-11-02. Reason: Budget — cut &lt;everything&gt;")
                || text.Contains("解約: Csm さん（2026-11-02）理由: 予算 — cut &lt;everything&gt;"), text);
        });
        Assert.Empty(kit.Calls("chat.postEphemeral"));
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "stranger", CardActions.Renewed, "Only the CS owner" },
        { "negative", CardActions.Renewed, "must not be negative" },
        { "no-reason", CardActions.Churned, "Choose a churn reason" },
        { "upsell-after-churn", CardActions.Upsold, "has churned" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Decision_Refused_IsEphemeral_AndChangesNothing(string @case, string action, string says)
    {
        var (kit, lead, _) = await SweptAsync();
        await using var _k = kit;
        var ts = await ChannelTsAsync(kit, lead);
        if (@case == "upsell-after-churn")
        {
            await kit.PostInteractionAsync(StateAction(CardActions.Churned, lead.ToString(), "UASSIGNEE", "CCS", ts, Reason("Price", null)));
            await kit.DrainAsync();
        }
        var before = await kit.Db(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead));
        var events = await kit.Db(db => db.Events.CountAsync());
        var updates = kit.Calls("chat.update").Count;
        var values = @case switch
        {
            "negative" => Input(CardFields.RenewedAmount, "-1"),
            "no-reason" => Reason(null, "no reason given"),
            _ => Input(CardFields.RenewedAmount, "100000"),
        };

        await kit.PostInteractionAsync(StateAction(action, lead.ToString(), @case == "stranger" ? "UOTHER" : "UASSIGNEE", "CCS", ts, values));
        await kit.DrainAsync();

        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal(@case == "stranger" ? "UOTHER" : "UASSIGNEE", ephemeral["user"]!.GetValue<string>());
        Assert.Contains(says, ephemeral["text"]!.GetValue<string>());
        var after = await kit.Db(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == lead));
        Assert.Equal((before.RenewalDueAt, before.ChurnedAt, before.Version), (after.RenewalDueAt, after.ChurnedAt, after.Version));
        Assert.Equal(events, await kit.Db(db => db.Events.CountAsync()));
        Assert.Equal(updates, kit.Calls("chat.update").Count);
    }
}
