using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Store;
using TheModel.Bot.HandoffCards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Routing;

public class RoutingReasonTextsTests
{
    private static readonly DateTime T0 = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);

    public static TheoryData<RoutingRule, RoutingFacts, string, string> Reasons => new()
    {
        { RoutingRule.AccountOwner, new RoutingFacts { Domain = "acme.co.jp" }, "Account owner for acme.co.jp", "acme.co.jp のアカウント担当" },
        {
            RoutingRule.RoundRobin, new RoutingFacts { Department = Department.IS, Pool = 3, Open = 1, Capacity = 5 },
            "Round robin in IS: least recently assigned of 3 available members (1/5 open)",
            "IS のラウンドロビン: 対応可能な 3 人のうち最も前に割り当てられた人（対応中 1/5）"
        },
        {
            RoutingRule.RoundRobin, new RoutingFacts { Department = Department.FS, Pool = 1, Open = 0, Capacity = 2, Owner = "佐藤", OwnerOpen = 2, OwnerCapacity = 2 },
            "Round robin in FS: least recently assigned of 1 available member (0/2 open); account owner 佐藤 is at capacity (2/2)",
            "FS のラウンドロビン: 対応可能な 1 人のうち最も前に割り当てられた人（対応中 0/2）。アカウント担当の 佐藤 さんはキャパシティ上限（2/2）"
        },
        { RoutingRule.Queue, new RoutingFacts { Department = Department.CS, Members = 0 }, "CS queue: no members in CS", "CS の部署キュー: メンバーがいません" },
        { RoutingRule.Queue, new RoutingFacts { Department = Department.IS, Members = 4 }, "IS queue: no available IS member under capacity", "IS の部署キュー: 全員がキャパシティ上限か不在です" },
        { RoutingRule.Manual, new RoutingFacts { Assignee = "鈴木", By = "山口" }, "Reassigned to 鈴木 by 山口", "山口 さんが 鈴木 さんに再割り当て" },
    };

    [Theory]
    [MemberData(nameof(Reasons))]
    public void Render_EachRule_SaysItsFactsInTheReadersLanguage(RoutingRule rule, RoutingFacts facts, string english, string japanese)
    {
        Assert.Equal(english, RoutingReasonTexts.Render(rule, facts, "en"));
        Assert.Equal(japanese, RoutingReasonTexts.Render(rule, facts, "ja-JP"));
    }

    [Fact]
    public void For_HandoffRoutedBeforeFactsWereStored_ShowsItsStoredText()
    {
        var old = new Handoff { Routing = RoutingRule.RoundRobin, RoutingReason = "Round robin in IS: least recently assigned available member (0/5 open)" };
        Assert.Equal(old.RoutingReason, RoutingReasonTexts.For(old, "ja"));
    }

    [Fact]
    public void RoutingEventData_OfADecision_ReadsBackInEitherLanguage_AndNothingFromOtherData()
    {
        var data = RoutingEventData.Of(new RoutingDecision(Guid.NewGuid(), RoutingRule.AccountOwner, new RoutingFacts { Domain = "acme.co.jp" })).ToJsonString();
        Assert.Equal("acme.co.jp のアカウント担当", RoutingEventData.ReasonIn(data, "ja"));
        Assert.Equal("Account owner for acme.co.jp", RoutingEventData.ReasonIn(data, "en"));
        Assert.Null(RoutingEventData.ReasonIn(null, "ja"));
        Assert.Null(RoutingEventData.ReasonIn("{\"old\":1,\"new\":2}", "ja"));
        Assert.Null(RoutingEventData.ReasonIn("{\"routing\":{\"rule\":\"Nope\"}}", "ja"));
    }

    [Fact]
    public async Task RouteAsync_OwnerAtCapacity_StoresTheRuleAndItsFacts_AndTheJapaneseCardSaysThem()
    {
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        Guid handoffId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            var owner = new Person { Name = "担当 太郎", Department = Department.IS, Email = "owner@x.jp", Capacity = 1 };
            var idle = new Person { Name = "暇 花子", Department = Department.IS, Email = "idle@x.jp" };
            db.People.AddRange(owner, idle);
            var existing = new Lead { Name = "既存", Company = "アクメ", Domain = "acme.co.jp", OwnerId = owner.Id, CreatedAt = T0, UpdatedAt = T0, StageChangedAt = T0, LastActivityAt = T0 };
            db.Leads.Add(existing);
            db.Handoffs.Add(new Handoff { LeadId = existing.Id, Kind = HandoffKind.MqlToIs, AssigneeId = owner.Id, OfferedAt = T0, DeadlineAt = T0.AddDays(1) });
            await db.SaveChangesAsync();

            var lead = new Lead { Name = "新規", Company = "アクメ", Domain = "acme.co.jp", CreatedAt = T0, UpdatedAt = T0, StageChangedAt = T0, LastActivityAt = T0 };
            db.Leads.Add(lead);
            var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
            await db.SaveChangesAsync();
            handoffId = handoff.Id;
        }

        await using var read = app.Services.CreateAsyncScope();
        var stored = await read.ServiceProvider.GetRequiredService<TheModelDb>().Handoffs.FindAsync(handoffId);
        Assert.Equal(RoutingRule.RoundRobin, stored!.Routing);
        Assert.Equal(new RoutingFacts { Department = Department.IS, Pool = 1, Open = 0, Capacity = 20, Owner = "担当 太郎", OwnerOpen = 1, OwnerCapacity = 1 }, stored.RoutingFacts);
        var factory = read.ServiceProvider.GetRequiredService<HandoffCardFactory>();
        var japanese = await factory.BuildAsync(handoffId, new Person { Name = "読者", Locale = "ja-JP" });
        var english = await factory.BuildAsync(handoffId, new Person { Name = "Reader", Locale = "en-US" });
        Assert.Equal("IS のラウンドロビン: 対応可能な 1 人のうち最も前に割り当てられた人（対応中 0/20）。アカウント担当の 担当 太郎 さんはキャパシティ上限（1/1）", japanese!.RoutingReason);
        Assert.StartsWith("Round robin in IS", english!.RoutingReason);
    }

    [Fact]
    public async Task Reassign_ToNamedPerson_RestKeepsTheEnglishReason_AndGivesTheRuleAndFacts()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var rep = await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");
        var other = await client.AddPersonAsync("鈴木 一郎", "suzuki@example.co.jp", "IS", available: false);
        var lead = await client.PostLeadAsync(new { name = "田中 太郎", email = "tanaka@acme.co.jp", company = "アクメ", score = 90 })
            .OkJsonAsync(HttpStatusCode.Created);
        var offered = lead.GetProperty("offered");
        Assert.Equal("IS", offered.GetProperty("routingFacts").Str("department"));
        Assert.Equal(1, offered.GetProperty("routingFacts").GetProperty("pool").GetInt32());
        Assert.StartsWith("Round robin in IS", offered.Str("routingReason"));

        var moved = await client.PostAsJsonAsync($"/api/handoffs/{offered.Id()}/reassign", new { personId = other }).OkJsonAsync();

        Assert.Equal("Manual", moved.Str("routing"));
        Assert.Equal("鈴木 一郎", moved.GetProperty("routingFacts").Str("assignee"));
        Assert.StartsWith("Reassigned to 鈴木 一郎 by ", moved.Str("routingReason"));
        Assert.False(moved.GetProperty("routingFacts").TryGetProperty("domain", out _));
        _ = rep;
    }
}
