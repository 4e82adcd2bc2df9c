using TheModel.Api.Conversations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Customers;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;
using TheModel.Bot.Chat;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// The renewal card on Teams over /api/messages: the sweep posts it to the CS owner's chat and the CS channel; Renewed
/// by the owner renews the customer (and the CS figures), and every copy then shows the outcome without actions;
/// a stranger, a bad amount, a churn without reason and an upsell after churn are refused privately and change nothing.
/// </summary>
public class TeamsRenewalFlowTests
{
    // 2 Nov 2026 10:00 in Tokyo; the renewal is due 20 Nov (12:00 JST), so its 60-day notice is due already.
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Due = new(2026, 11, 20, 3, 0, 0, DateTimeKind.Utc);

    private sealed record Setup(TheModelApp App, RecordingServer Connector, Guid Lead, Person Owner, string ChannelMessage, string DmConversation, string DmMessage)
        : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync();
            await Connector.DisposeAsync();
        }
    }

    private static async Task<Setup> SweptAsync()
    {
        var connector = await StartConnectorAsync();
        var app = new TheModelApp(new FakeClock(Now)).WithKeys();
        var now = Now.UtcDateTime;
        var owner = new Person { Name = Users.Rep.Name, Email = "riko@example.jp", Department = Department.CS, TeamsAadObjectId = Users.Rep.AadObjectId, TeamsUserId = Users.Rep.UserId, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var other = new Person { Name = Users.Other.Name, Email = "ken@example.jp", Department = Department.IS, TeamsAadObjectId = Users.Other.AadObjectId, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var won = new DateTime(2025, 11, 20, 3, 0, 0, DateTimeKind.Utc);
        var lead = new Lead
        {
            Name = "Taro Yamada", Email = "taro@acme.co.jp", Company = "Acme [KK](https://evil.example)", Stage = LeadStage.Won, Department = Department.CS,
            OwnerId = owner.Id, Amount = 1_200_000m, WonAt = won, RenewalDueAt = Due, CreatedAt = won, UpdatedAt = won, StageChangedAt = won, LastActivityAt = won,
        };
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(owner, other);
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
        });
        Assert.Equal(200, (await PostAsync(app, Installation(connector.BaseUrl, Channel(connector.BaseUrl)))).Status);
        await LinkDepartmentAsync(app, Department.CS, ChannelId);

        var swept = await app.Services.GetRequiredService<RenewalSweeper>().RunAsync(now, "test");
        await app.DispatchAsync();

        Assert.Equal(1, swept.Notices);
        var copies = await app.WithDbAsync(db => db.PostedCards.AsNoTracking().Where(p => p.HandoffId == lead.Id).ToListAsync());
        Assert.Equal(2, copies.Count);
        var channelCopy = Assert.Single(copies, c => c.ConversationId == ChannelId);
        var dmCopy = Assert.Single(copies, c => c.ConversationId != ChannelId);
        return new Setup(app, connector, lead.Id, owner, channelCopy.MessageId, dmCopy.ConversationId, dmCopy.MessageId);
    }

    private static List<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)).ToList(),
        JsonArray a => a.SelectMany(Strings).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static List<string> Verbs(JsonNode? node) => node switch
    {
        JsonObject o => (o["verb"] is JsonValue v ? [v.GetValue<string>()] : new List<string>()).Concat(o.SelectMany(p => Verbs(p.Value))).ToList(),
        JsonArray a => a.SelectMany(Verbs).ToList(),
        _ => [],
    };

    private static JsonObject Content(RecordedRequest request) => (JsonObject)JsonNode.Parse(request.Body)!["attachments"]![0]!["content"]!;

    private static JsonObject Click(Setup s, User who, string verb, JsonObject inputs)
    {
        inputs[CardFields.LeadId] = s.Lead.ToString();
        return Invoke(s.Connector.BaseUrl, Channel(s.Connector.BaseUrl), who, verb, inputs, s.ChannelMessage);
    }

    private static Task<Lead> LeadAsync(Setup s) => s.App.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == s.Lead));

    [Fact]
    public async Task Sweep_DueRenewal_PostsTheRenewalCardToTheOwnersChatAndTheCsChannel()
    {
        await using var s = await SweptAsync();

        foreach (var conversation in new[] { ChannelId, s.DmConversation })
        {
            var post = Assert.Single(s.Connector.Requests, r => r.Method == "POST" && r.Path == $"/v3/conversations/{conversation}/activities");
            var card = Content(post);
            var text = string.Join("\n", Strings(card));
            Assert.Contains("2026-11-20", text);
            Assert.Contains("Acme \\[KK\\]", text);
            Assert.Contains("2025-11-20", text);
            // The owner reads English; a channel has no single reader and gets the calendar's language (Japanese).
            Assert.Contains(conversation == ChannelId ? "12か月" : "12 months", text);
            Assert.Contains("1,200,000", text);
            Assert.Equal(RenewalCards.Actions.Order(), Verbs(card).Order());
            Assert.Contains(CardFields.RenewedTerm, card.ToJsonString());
            Assert.Contains(CardFields.ChurnReason, card.ToJsonString());
        }
    }

    [Fact]
    public async Task Renewed_ByTheOwner_RenewsTheCustomer_MovesRenewalRate_AndEveryCopyShowsTheOutcome()
    {
        await using var s = await SweptAsync();
        var putsBefore = s.Connector.Requests.Count(r => r.Method == "PUT");

        var response = await PostAsync(s.App, Click(s, Users.Rep, CardActions.Renewed,
            new JsonObject { [CardFields.RenewedAmount] = "1300000", [CardFields.RenewedTerm] = "12" }));

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Contains("Renewed by Riko Sato on 2026-11-02: 1,300,000 for 12 months", string.Join("\n", Strings(response.Json!["value"])));
        Assert.Null(response.Json!["value"]!["actions"]);
        Assert.Equal(Due.AddYears(1), (await LeadAsync(s)).RenewalDueAt);

        var kpis = await s.App.Client().GetAsync("/api/kpis?department=CS&period=2026-11").OkJsonAsync();
        var values = kpis.GetProperty("departments")[0].GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("key").GetString()!, v => v.GetProperty("value"));
        Assert.Equal(1.0, values["renewalRate"].GetDouble());
        Assert.Equal(0.0, values["churnRate"].GetDouble());
        await using (var scope = s.App.Services.CreateAsyncScope())
        {
            var reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
            {
                Platform = ChatPlatform.Teams, Text = "kpi CS 2026-11", Person = s.Owner, UserId = Users.Rep.UserId, ConversationId = s.DmConversation, IsPersonal = true,
            });
            Assert.Contains($"{ChatTexts.English.KpiLabel("renewalRate")}: 100", reply.Text);
        }

        await s.App.DispatchAsync();
        var puts = s.Connector.Requests.Where(r => r.Method == "PUT").Skip(putsBefore).ToList();
        Assert.Equal(
            [$"/v3/conversations/{ChannelId}/activities/{s.ChannelMessage}", $"/v3/conversations/{s.DmConversation}/activities/{s.DmMessage}"],
            puts.Select(p => p.Path).Order());
        Assert.All(puts, put =>
        {
            var card = Content(put);
            Assert.Empty(Verbs(card));
            Assert.Contains(put.Path.Contains(ChannelId) ? "更新: Riko Sato さん（2026-11-02）1,300,000、12か月" : "Renewed by Riko Sato",
                string.Join("\n", Strings(card)));
        });
    }

    public static TheoryData<string, string, string> Refusals => new()
    {
        { "stranger", CardActions.Renewed, "Only the CS owner" },
        { "negative", CardActions.Renewed, "must not be negative" },
        { "not-a-number", CardActions.Upsold, "must be a number" },
        { "no-reason", CardActions.Churned, "Choose a churn reason" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Decision_Refused_IsAPrivateMessage_AndChangesNothing(string @case, string verb, string says)
    {
        await using var s = await SweptAsync();
        var before = await LeadAsync(s);
        var outbox = await s.App.WithDbAsync(db => db.Outbox.CountAsync());
        var events = await s.App.WithDbAsync(db => db.Events.CountAsync());
        var inputs = @case switch
        {
            "negative" => new JsonObject { [CardFields.RenewedAmount] = "-5" },
            "not-a-number" => new JsonObject { [CardFields.UpsoldAmount] = "lots" },
            "no-reason" => new JsonObject { [CardFields.ChurnNote] = "they left" },
            _ => new JsonObject { [CardFields.RenewedAmount] = "100" },
        };

        var response = await PostAsync(s.App, Click(s, @case == "stranger" ? Users.Other : Users.Rep, verb, inputs));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains(says, (string?)response.Json!["value"]);
        var after = await LeadAsync(s);
        Assert.Equal((before.RenewalDueAt, before.ChurnedAt, before.Version), (after.RenewalDueAt, after.ChurnedAt, after.Version));
        Assert.Equal(outbox, await s.App.WithDbAsync(db => db.Outbox.CountAsync()));
        Assert.Equal(events, await s.App.WithDbAsync(db => db.Events.CountAsync()));
    }

    [Fact]
    public async Task Upsold_AfterChurn_IsRefused_AndChangesNothing()
    {
        await using var s = await SweptAsync();
        var churned = await PostAsync(s.App, Click(s, Users.Rep, CardActions.Churned,
            new JsonObject { [CardFields.ChurnReason] = "Competitor", [CardFields.ChurnNote] = "moved to *another* tool" }));
        Assert.Contains("Churned, recorded by Riko Sato on 2026-11-02. Reason: Competitor — moved to \\*another\\* tool", string.Join("\n", Strings(churned.Json!["value"])));
        var outbox = await s.App.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await PostAsync(s.App, Click(s, Users.Rep, CardActions.Upsold, new JsonObject { [CardFields.UpsoldAmount] = "500000" }));

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("has churned", (string?)response.Json!["value"]);
        Assert.False(await s.App.WithDbAsync(db => db.Events.AnyAsync(e => e.LeadId == s.Lead && e.Type == TheModel.Api.Events.LeadEventType.Upsold)));
        Assert.Equal(outbox, await s.App.WithDbAsync(db => db.Outbox.CountAsync()));
    }
}
