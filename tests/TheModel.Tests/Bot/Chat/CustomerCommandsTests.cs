using TheModel.Api.Conversations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Support;
using TheModel.Bot.Chat;

namespace TheModel.Tests.Bot.Chat;

/// <summary>
/// The CS chat commands (renewed / churned / upsold / onboarded and 更新 / 解約 / アップセル / 導入完了): read by the parser,
/// decided by CustomerLifecycle with its rights and checks, always answered privately; a refusal changes nothing.
/// </summary>
public class CustomerCommandsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly DateTime Due = new(2026, 11, 20, 3, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("renewed acme@example.jp 1200000 12", CardActions.Renewed, "acme@example.jp", 1200000, 12, null, null)]
    [InlineData("renewed Acme Trading 120万", CardActions.Renewed, "Acme Trading", 1200000, null, null, null)]
    [InlineData("更新 アクメ 1,200,000 24", CardActions.Renewed, "アクメ", 1200000, 24, null, null)]
    [InlineData("churned Acme Trading competitor moved to X", CardActions.Churned, "Acme Trading", null, null, "Competitor", "moved to X")]
    [InlineData("解約 アクメ Budget", CardActions.Churned, "アクメ", null, null, "Budget", null)]
    [InlineData("解約 アクメ", CardActions.Churned, "アクメ", null, null, null, null)]
    [InlineData("upsold acme@example.jp 500k", CardActions.Upsold, "acme@example.jp", 500000, null, null, null)]
    [InlineData("アップセル アクメ -5", CardActions.Upsold, "アクメ", -5, null, null, null)]
    [InlineData("onboarded acme@example.jp", CustomerCommands.Onboarded, "acme@example.jp", null, null, null, null)]
    [InlineData("導入完了 アクメ", CustomerCommands.Onboarded, "アクメ", null, null, null, null)]
    public void Parse_CustomerCommands_ReadTheLeadAndTheFigures(string text, string action, string query, int? amount, int? term, string? reason, string? note)
    {
        var command = Assert.IsType<ChatCommand.Customer>(ChatCommandParser.Parse(text));

        Assert.Equal(new ChatCommand.Customer(action, query, (decimal?)amount, term, reason, note), command);
    }

    [Theory]
    [InlineData("renewed acme")]
    [InlineData("upsold acme lots")]
    [InlineData("更新")]
    public void Parse_CustomerCommandWithoutItsFigures_IsInvalid(string text) =>
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));

    private sealed record World(TheModelApp App, Person Owner, Person Japanese, Person Stranger, Guid Lead) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    private static async Task<World> CustomerAsync()
    {
        var app = new TheModelApp(new FakeClock(Now));
        var now = Now.UtcDateTime;
        var won = new DateTime(2025, 11, 20, 3, 0, 0, DateTimeKind.Utc);
        var owner = new Person { Name = "Riko", Email = "riko@example.jp", Department = Department.CS, SlackUserId = "UCS", Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var japanese = new Person { Name = "伊藤", Email = "ito@example.jp", Department = Department.CS, Role = PersonRole.Manager, SlackUserId = "UCSM", Locale = "ja-JP", CreatedAt = now, UpdatedAt = now };
        var stranger = new Person { Name = "Ken", Email = "ken@example.jp", Department = Department.IS, SlackUserId = "UIS", Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var lead = new Lead
        {
            Name = "Taro", Email = "taro@acme.co.jp", Domain = "acme.co.jp", Company = "Acme Trading", Stage = LeadStage.Won, Department = Department.CS, OwnerId = owner.Id,
            Amount = 1_000_000m, WonAt = won, RenewalDueAt = Due, CreatedAt = won, UpdatedAt = won, StageChangedAt = won, LastActivityAt = won,
        };
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(owner, japanese, stranger);
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
        });
        return new World(app, owner, japanese, stranger, lead.Id);
    }

    private static async Task<ChatReply> AskAsync(World w, Person who, string text)
    {
        await using var scope = w.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack, Text = text, Person = who, UserId = who.SlackUserId!, ConversationId = "C0CS",
        });
    }

    private static Task<Lead> LeadAsync(World w) => w.App.WithDbAsync(db => db.Leads.AsNoTracking().SingleAsync(l => l.Id == w.Lead));

    [Fact]
    public async Task Renewed_ByTheOwner_RenewsForTheGivenTerm_AndAnswersPrivately()
    {
        await using var w = await CustomerAsync();

        var reply = await AskAsync(w, w.Owner, "renewed taro@acme.co.jp 1,300,000 24");

        Assert.True(reply.Private);
        Assert.Equal("Acme Trading: Renewed by Riko on 2026-11-02: 1,300,000 for 24 months (next renewal date: 2028-11-20)", reply.Text);
        Assert.Equal(Due.AddYears(2), (await LeadAsync(w)).RenewalDueAt);
        Assert.Equal(1_300_000m, await w.App.WithDbAsync(db => db.Events.Where(e => e.LeadId == w.Lead && e.Type == LeadEventType.Renewed).Select(e => e.Amount).SingleAsync()));
    }

    [Fact]
    public async Task Renewed_InJapaneseWithoutTerm_RenewsForTheCurrentTerm()
    {
        await using var w = await CustomerAsync();

        var reply = await AskAsync(w, w.Japanese, "更新 Acme Trading 120万");

        Assert.True(reply.Private);
        Assert.Equal("Acme Trading: 更新: 伊藤 さん（2026-11-02）1,200,000、12か月（次の契約更新日: 2027-11-20）", reply.Text);
        Assert.Equal(Due.AddYears(1), (await LeadAsync(w)).RenewalDueAt);
    }

    [Fact]
    public async Task Churned_WithReasonAndNote_ChurnsTheCustomer()
    {
        await using var w = await CustomerAsync();

        var reply = await AskAsync(w, w.Owner, "churned Acme Trading competitor moved to another tool");

        Assert.Equal("Acme Trading: Churned, recorded by Riko on 2026-11-02. Reason: Competitor — moved to another tool", reply.Text);
        Assert.NotNull((await LeadAsync(w)).ChurnedAt);
    }

    [Fact]
    public async Task Upsold_AndOnboarded_InJapanese_AreRecorded()
    {
        await using var w = await CustomerAsync();

        var upsold = await AskAsync(w, w.Japanese, "アップセル taro@acme.co.jp 50万");
        var onboarded = await AskAsync(w, w.Japanese, "導入完了 taro@acme.co.jp");

        Assert.Equal("Acme Trading: アップセル: 伊藤 さん（2026-11-02）500,000", upsold.Text);
        Assert.Equal("Acme Trading: 導入完了: 2026-11-02", onboarded.Text);
        Assert.Equal(Now.UtcDateTime, (await LeadAsync(w)).OnboardedAt);
    }

    [Theory]
    [InlineData("stranger", "renewed taro@acme.co.jp 100", "Only the CS owner, a CS manager or an admin can record the renewal of Acme Trading.")]
    [InlineData("owner", "renewed taro@acme.co.jp -100", "must not be negative")]
    [InlineData("owner", "churned taro@acme.co.jp they left", "Choose a churn reason")]
    [InlineData("japanese", "解約 taro@acme.co.jp", "解約の理由を選んでください")]
    [InlineData("owner", "upsold nobody@example.jp 100", "No customer matches")]
    public async Task Command_Refused_AnswersPrivately_AndChangesNothing(string who, string text, string says)
    {
        await using var w = await CustomerAsync();
        var before = await LeadAsync(w);
        var events = await w.App.WithDbAsync(db => db.Events.CountAsync());

        var reply = await AskAsync(w, who switch { "stranger" => w.Stranger, "japanese" => w.Japanese, _ => w.Owner }, text);

        Assert.True(reply.Private);
        Assert.Contains(says, reply.Text);
        Assert.Equal(before.Version, (await LeadAsync(w)).Version);
        Assert.Equal(events, await w.App.WithDbAsync(db => db.Events.CountAsync()));
    }

    [Fact]
    public async Task Upsold_AfterChurn_IsRefused()
    {
        await using var w = await CustomerAsync();
        await AskAsync(w, w.Owner, "churned taro@acme.co.jp Price");

        var reply = await AskAsync(w, w.Owner, "upsold taro@acme.co.jp 100000");

        Assert.Equal("Acme Trading has churned; the upsell was not recorded.", reply.Text);
        Assert.False(await w.App.WithDbAsync(db => db.Events.AnyAsync(e => e.LeadId == w.Lead && e.Type == LeadEventType.Upsold)));
    }

    [Theory]
    [InlineData("help", "renewed / churned / upsold / onboarded <email|company>")]
    [InlineData("ヘルプ", "更新 / 解約 / アップセル / 導入完了 <メール|会社名>")]
    public async Task Help_ListsTheCustomerCommands_InBothLanguages(string text, string row)
    {
        await using var w = await CustomerAsync();

        var reply = await AskAsync(w, text == "help" ? w.Owner : w.Japanese, text);

        Assert.Contains(row, reply.Text);
        Assert.Equal(10, reply.Figures!.Sections.Single().Rows.Count);
    }
}
