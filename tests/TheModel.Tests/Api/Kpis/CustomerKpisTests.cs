using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

/// <summary>
/// The Customer Success figures (docs/kpis.md "Customer Success") over the real HTTP pipeline: customers written won by
/// hand, their CS events recorded through <c>/api/leads/{id}/…</c> as the clock moves through November 2026 (Asia/Tokyo:
/// the period is 31 Oct 15:00 – 30 Nov 15:00 UTC).
/// </summary>
public class CustomerKpisTests : IAsyncLifetime
{
    private readonly TheModelApp app = new TheModelApp(new FakeClock(new DateTimeOffset(2026, 10, 25, 0, 0, 0, TimeSpan.Zero))).WithKeys();
    private HttpClient client = null!;

    private static DateTime Oct(int day, int hour = 3) => new(2026, 10, day, hour, 0, 0, DateTimeKind.Utc);
    private static DateTime Nov(int day, int hour = 3) => new(2026, 11, day, hour, 0, 0, DateTimeKind.Utc);
    private static DateTime Dec(int day) => new(2026, 12, day, 3, 0, 0, DateTimeKind.Utc);

    /// <summary>A CS member who asks the chat for figures.</summary>
    private Task AddCsMemberAsync(string slackUserId, string locale) => app.WithDbAsync(db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        db.People.Add(new Person
        {
            Name = "伊藤", Department = Department.CS, Role = PersonRole.Member, SlackUserId = slackUserId, Locale = locale, CreatedAt = now, UpdatedAt = now,
        });
        return db.SaveChangesAsync();
    });

    private async Task<Guid> CustomerAsync(DateTime wonAt, DateTime dueAt)
    {
        var lead = new Lead
        {
            Name = "x", Company = "c", Stage = LeadStage.Won, WonAt = wonAt, RenewalDueAt = dueAt,
            CreatedAt = wonAt, UpdatedAt = wonAt, StageChangedAt = wonAt, LastActivityAt = wonAt,
        };
        await app.WithDbAsync(db =>
        {
            db.Leads.Add(lead);
            return db.SaveChangesAsync();
        });
        return lead.Id;
    }

    private async Task PostAsync(Guid id, string what, object body, DateTime at)
    {
        app.Clock.SetUtcNow(at);
        await client.PostAsJsonAsync($"/api/leads/{id}/{what}", body).OkJsonAsync();
    }

    public async Task InitializeAsync()
    {
        client = app.Client();
        var a = await CustomerAsync(Oct(1), Nov(10));
        var b = await CustomerAsync(Oct(1), Nov(20));
        var c = await CustomerAsync(Oct(1), Nov(25));
        var d = await CustomerAsync(Oct(1), Dec(10));
        var e = await CustomerAsync(Oct(1), Oct(20));
        await CustomerAsync(Oct(1), Dec(15));                                   // F: open, due within 90 days of the end
        var g = await CustomerAsync(Oct(1), Dec(20));
        await CustomerAsync(Oct(1), new DateTime(2027, 3, 30, 3, 0, 0, DateTimeKind.Utc)); // H: due beyond the 90 days

        // D onboarded and upsold in October: outside the period.
        await PostAsync(d, "onboarded", new { at = Oct(20) }, Oct(25));
        await PostAsync(d, "upsold", new { amount = 999 }, Oct(25));
        await PostAsync(e, "churned", new { reason = "Price" }, Nov(2));        // due 20 Oct: an October outcome
        await PostAsync(a, "renewed", new { amount = 100000 }, Nov(5));         // due 10 Nov: renewed
        await PostAsync(d, "renewed", new { amount = 100000 }, Nov(6));         // due 10 Dec: a December outcome
        await PostAsync(a, "upsold", new { amount = 200000.50 }, Nov(7));
        await PostAsync(c, "upsold", new { amount = 300000 }, Nov(8));
        // Won 1 Oct 03:00 → onboarded 1 Nov 03:00 (31 d), 3 Nov 03:00 (33 d), 11 Nov 15:00 (41.5 d): median 33.
        await PostAsync(a, "onboarded", new { at = Nov(1) }, Nov(12));
        await PostAsync(b, "onboarded", new { at = Nov(3) }, Nov(12));
        await PostAsync(c, "onboarded", new { at = Nov(11, 15) }, Nov(12));
        await PostAsync(b, "churned", new { reason = "Competitor" }, Nov(21));  // due 20 Nov: churned
        await PostAsync(c, "renewed", new { amount = 150000 }, Nov(26));        // due 25 Nov: renewed
        await PostAsync(g, "churned", new { reason = "Budget" }, Nov(26));      // due 20 Dec, churned: not a renewal due
        app.Clock.SetUtcNow(Dec(5));

        // The funnel of November for the plan: 8 inquiries, 4 MQLs, 2 SQLs, won 2 (1,000,000 + 2,000,000), lost 2.
        await app.WithDbAsync(db =>
        {
            var l = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToArray();
            void Ev(int i, LeadEventType type, decimal? amount = null) => db.Events.Add(new LeadEvent { LeadId = l[i], Type = type, At = Nov(i + 1), Amount = amount });
            for (var i = 0; i < 8; i++) Ev(i, LeadEventType.LeadCreated);
            for (var i = 0; i < 4; i++) Ev(i, LeadEventType.BecameMql);
            for (var i = 0; i < 2; i++) Ev(i, LeadEventType.BecameSql);
            Ev(0, LeadEventType.Won, 1_000_000m);
            Ev(1, LeadEventType.Won, 2_000_000m);
            Ev(2, LeadEventType.Lost);
            Ev(3, LeadEventType.Lost);
            return db.SaveChangesAsync();
        });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static Dictionary<string, JsonElement> Values(JsonElement kpis) =>
        Assert.Single(kpis.GetProperty("departments").EnumerateArray()).GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("key").GetString()!, v => v.GetProperty("value"));

    [Fact]
    public async Task Kpis_CustomerSuccess_MatchTheHandComputedValues()
    {
        var values = Values(await client.GetAsync("/api/kpis?department=CS&period=2026-11").OkJsonAsync());

        // Renewals due in November: A and C renewed, B churned (E was due in October, D and G in December).
        Assert.Equal(33, values["onboardingMedianDays"].GetDouble(), 6);
        Assert.Equal(2.0 / 3, values["renewalRate"].GetDouble(), 9);
        Assert.Equal(1.0 / 3, values["churnRate"].GetDouble(), 9);
        Assert.Equal(2, values["upsells"].GetDouble());
        Assert.Equal(500000.50, values["upsellAmount"].GetDouble());
        // Due 30 Nov 15:00 – 28 Feb 15:00 UTC and not churned: F only (G churned, H later, renewed A, C and D moved on a year).
        Assert.Equal(1, values["renewalsDue"].GetDouble());
    }

    [Fact]
    public async Task Kpis_EmptyPeriod_CustomerRatesAndMedianAreNull()
    {
        var values = Values(await client.GetAsync("/api/kpis?department=CS&period=2025-01").OkJsonAsync());

        Assert.Equal(JsonValueKind.Null, values["onboardingMedianDays"].ValueKind);
        Assert.Equal(JsonValueKind.Null, values["renewalRate"].ValueKind);
        Assert.Equal(JsonValueKind.Null, values["churnRate"].ValueKind);
        Assert.Equal(0, values["upsells"].GetDouble());
        Assert.Equal(0, values["upsellAmount"].GetDouble());
        Assert.Equal(0, values["renewalsDue"].GetDouble());
    }

    [Fact]
    public async Task KpiChat_CustomerSuccess_SaysTheRestApisFigures()
    {
        await AddCsMemberAsync("U0CS", "en-US");
        var values = Values(await client.GetAsync("/api/kpis?department=CS&period=2026-11").OkJsonAsync());

        await using var scope = app.Services.CreateAsyncScope();
        var reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack, Text = "kpi CS 2026-11", UserId = "U0CS", UserName = "ito", ConversationId = "D0CS", IsPersonal = true,
        });

        var t = ChatTexts.English;
        Assert.Contains($"{t.KpiLabel("renewalRate")}: {t.Percent(values["renewalRate"].GetDouble())}", reply.Text);
        Assert.Contains($"{t.KpiLabel("churnRate")}: {t.Percent(values["churnRate"].GetDouble())}", reply.Text);
        Assert.Contains($"{t.KpiLabel("onboardingMedianDays")}: {t.Days(values["onboardingMedianDays"].GetDouble())}", reply.Text);
        Assert.Contains($"{t.KpiLabel("upsellAmount")}: {t.Yen((decimal)values["upsellAmount"].GetDouble())}", reply.Text);
        Assert.Contains($"{t.KpiLabel("renewalsDue")}: 1", reply.Text);
        Assert.Contains("66.7%", reply.Text);
    }

    [Fact]
    public async Task Plan_WithoutRecurring_ShowsTheCustomersExpectedToStay()
    {
        // avg 1,500,000; won = ⌈9,000,000 / 1,500,000⌉ = 6; renewal rate 2/3 → retained ⌊6 × 2/3⌋ = 4;
        // SQLs = ⌈6 / 0.5⌉ = 12; MQLs = ⌈12 / 0.5⌉ = 24; inquiries = ⌈24 / 0.5⌉ = 48.
        var plan = await client.GetAsync("/api/plan?target=900万&period=2026-11").OkJsonAsync();

        Assert.False(plan.GetProperty("recurring").GetBoolean());
        Assert.Equal(2.0 / 3, plan.GetProperty("renewalRate").GetDouble(), 9);
        Assert.Equal((6, 4, 12, 24, 48), (plan.GetProperty("won").GetInt32(), plan.GetProperty("retained").GetInt32(),
            plan.GetProperty("sqls").GetInt32(), plan.GetProperty("mqls").GetInt32(), plan.GetProperty("inquiries").GetInt32()));
    }

    [Fact]
    public async Task Plan_RecurringTarget_IsPlannedThroughTheRenewalRate()
    {
        // won = ⌈9,000,000 / (1,500,000 × 2/3)⌉ = 9, of whom ⌊9 × 2/3⌋ = 6 stay (6 × 1,500,000 = the target);
        // SQLs 18, MQLs 36, inquiries 72.
        var plan = await client.GetAsync("/api/plan?target=9000000&period=2026-11&recurring=true").OkJsonAsync();

        Assert.True(plan.GetProperty("recurring").GetBoolean());
        Assert.Equal((9, 6, 18, 36, 72), (plan.GetProperty("won").GetInt32(), plan.GetProperty("retained").GetInt32(),
            plan.GetProperty("sqls").GetInt32(), plan.GetProperty("mqls").GetInt32(), plan.GetProperty("inquiries").GetInt32()));
        await (await client.GetAsync("/api/plan?target=9000000&recurring=maybe")).AssertProblemAsync(System.Net.HttpStatusCode.BadRequest, "recurring");
    }

    [Fact]
    public async Task Plan_RecurringWithoutRenewalsDue_HasNoWonFigure()
    {
        // 1–9 November: both wins, but no renewal fell due (A's is the 10th): the renewal rate is unknown, so a recurring
        // target cannot be planned, while a one-off target can.
        var recurring = await client.GetAsync("/api/plan?target=9000000&from=2026-11-01&to=2026-11-09&recurring=true").OkJsonAsync();
        var oneOff = await client.GetAsync("/api/plan?target=9000000&from=2026-11-01&to=2026-11-09").OkJsonAsync();

        Assert.Equal(JsonValueKind.Null, recurring.GetProperty("renewalRate").ValueKind);
        Assert.Equal(JsonValueKind.Null, recurring.GetProperty("won").ValueKind);
        Assert.Equal(JsonValueKind.Null, recurring.GetProperty("retained").ValueKind);
        Assert.Equal(6, oneOff.GetProperty("won").GetInt32());
        Assert.Equal(JsonValueKind.Null, oneOff.GetProperty("retained").ValueKind);
    }

    [Fact]
    public async Task PlanChat_RecurringInJapanese_SaysTheRestApisFigures()
    {
        await AddCsMemberAsync("U0JA", "ja-JP");
        // Trailing 90 days (6 Sep – 5 Dec): renewals due A and C renewed, B and E churned → 0.5; won = ⌈9,000,000 / 750,000⌉ = 12.
        var api = await client.GetAsync("/api/plan?target=9000000&recurring=true").OkJsonAsync();
        Assert.Equal((12, 6), (api.GetProperty("won").GetInt32(), api.GetProperty("retained").GetInt32()));

        await using var scope = app.Services.CreateAsyncScope();
        var reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack, Text = "逆算 900万 継続", UserId = "U0JA", UserName = "ito", ConversationId = "D0JA", IsPersonal = true,
        });

        var t = ChatTexts.Japanese;
        Assert.Contains(t.PlanTitle(9_000_000m, recurring: true), reply.Text);
        Assert.Contains($"{t.Won}: 12", reply.Text);
        Assert.Contains($"{t.Retained}: 6", reply.Text);
        Assert.Contains($"{t.RenewalRate}: {t.Percent(0.5)}", reply.Text);
    }
}
