using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Bot.Slack;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Chat;

/// <summary><c>contact …</c> / <c>接触 …</c>: read in both languages, logged with the handoff's rights, refused privately otherwise.</summary>
public class ContactCommandTests
{
    [Theory]
    [InlineData("contact tanaka@acme.co.jp call reached 予算を確認", "tanaka@acme.co.jp", ActivityKind.Call, ActivityOutcome.Reached, "予算を確認")]
    [InlineData("接触 アクメ 電話 不在", "アクメ", ActivityKind.Call, ActivityOutcome.NoAnswer, null)]
    [InlineData("接触アクメ 電話 つながった", "アクメ", ActivityKind.Call, ActivityOutcome.Reached, null)]
    [InlineData("contact Acme Corp email sent follow-up mail", "Acme Corp", ActivityKind.Email, ActivityOutcome.Sent, "follow-up mail")]
    [InlineData("接触 アクメ 商談 予約 来週火曜", "アクメ", ActivityKind.Meeting, ActivityOutcome.Booked, "来週火曜")]
    [InlineData("接触 アクメ 面談 通話できた", "アクメ", ActivityKind.Meeting, ActivityOutcome.Reached, null)]
    [InlineData("接触 アクメ チャット 送信", "アクメ", ActivityKind.Chat, ActivityOutcome.Sent, null)]
    [InlineData("接触 アクメ メモ 予約", "アクメ", ActivityKind.Note, ActivityOutcome.Booked, null)]
    [InlineData("contact acme call no answer", "acme", ActivityKind.Call, ActivityOutcome.NoAnswer, null)]
    [InlineData("contact <mailto:a@b.jp|a@b.jp> phone no_answer", "a@b.jp", ActivityKind.Call, ActivityOutcome.NoAnswer, null)]
    public void Parse_Contact_ReadsLeadKindOutcomeAndNote(string text, string query, ActivityKind kind, ActivityOutcome outcome, string? note)
    {
        var command = Assert.IsType<ChatCommand.Contact>(ChatCommandParser.Parse(SlackChatText.Normalize(text).Text));

        Assert.Equal((query, kind, outcome, note), (command.Query, command.Kind, command.Outcome, command.Note));
    }

    [Theory]
    [InlineData("contact acme fax reached")]
    [InlineData("contact acme call")]
    [InlineData("contact call reached")]
    [InlineData("接触")]
    public void Parse_ContactWithoutLeadKindOrOutcome_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    private sealed record World(Person Rep, Person Manager, Person Other, Person Admin, Lead Lead);

    /// <summary>An MQL accepted by the IS rep, with its first-contact clock running since the offer.</summary>
    private static async Task<World> SeedAsync(TheModelApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Person NewPerson(string name, string aad, PersonRole role, Guid? manager = null, string locale = "en-US") => new()
        {
            Name = name, Email = $"{aad}@example.com", Department = Department.IS, Role = role, ManagerId = manager,
            TeamsAadObjectId = aad, TeamsUserId = "29:" + aad, Locale = locale, CreatedAt = now, UpdatedAt = now,
        };
        var manager = NewPerson("Mika Manager", "aad-mgr", PersonRole.Manager);
        var rep = NewPerson("Riko Rep", "aad-rep", PersonRole.Member, manager.Id);
        var other = NewPerson("Ken Other", "aad-other", PersonRole.Member, locale: "ja-JP");
        var admin = NewPerson("Ada Admin", "aad-admin", PersonRole.Admin);
        admin.Department = Department.MK;
        var lead = new Lead
        {
            Name = "Taro Tanaka", Company = "Acme", Email = "tanaka@acme.example", Domain = "acme.example", Score = 85, Stage = LeadStage.Mql,
            Department = Department.IS, OwnerId = rep.Id, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        var handoff = new Handoff
        {
            LeadId = lead.Id, Kind = HandoffKind.MqlToIs, AssigneeId = rep.Id, Routing = RoutingRule.RoundRobin, RoutingReason = "round robin",
            OfferedAt = now, DeadlineAt = now.AddHours(4),
        };
        handoff.Accept(rep, rep, now.AddMinutes(10), 1 / 6.0);
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(manager, rep, other, admin);
            db.Leads.Add(lead);
            db.Handoffs.Add(handoff);
            db.ContactClocks.Add(new ContactClock { LeadId = lead.Id, Stage = LeadStage.Mql, StartedAt = now, DueAt = now.AddDays(3), NextCheckAt = now.AddHours(12) });
            await db.SaveChangesAsync();
        });
        return new World(rep, manager, other, admin, lead);
    }

    private static async Task<ChatReply> AskAsync(TheModelApp app, string text, string aad)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Teams, Text = text, UserId = "29:" + aad, UserAadObjectId = aad, ConversationId = "a:" + aad, IsPersonal = true,
        });
    }

    private static Task<List<LeadActivity>> ActivitiesAsync(TheModelApp app) => app.WithDbAsync(db => db.Activities.AsNoTracking().ToListAsync());

    [Fact]
    public async Task Contact_ByTheHolder_LogsIt_StopsTheClock_AndSaysTheFirstTouch()
    {
        await using var app = new TheModelApp();
        var world = await SeedAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(130));

        var reply = await AskAsync(app, "contact tanaka@acme.example call reached budget confirmed", "aad-rep");

        Assert.True(reply.Private);
        Assert.Contains("First touch after 2h 10m (business)", reply.Text);
        var activity = Assert.Single(await ActivitiesAsync(app));
        Assert.Equal((world.Rep.Id, ActivityKind.Call, ActivityOutcome.Reached, "budget confirmed"),
            (activity.PersonId!.Value, activity.Kind, activity.Outcome, activity.Note));
        var clock = await app.WithDbAsync(db => db.ContactClocks.AsNoTracking().SingleAsync());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, clock.FirstTouchAt);
    }

    [Theory]
    [InlineData("aad-mgr")]
    [InlineData("aad-admin")]
    public async Task Contact_ByTheHoldersManagerOrAnAdmin_IsLogged(string aad)
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app, "contact Acme email sent", aad);

        Assert.Contains("Logged", reply.Text);
        Assert.Single(await ActivitiesAsync(app));
    }

    [Fact]
    public async Task Contact_InJapanese_ByAnotherMember_IsRefusedPrivately_AndChangesNothing()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app, "接触 Acme 電話 通話できた", "aad-other");

        Assert.True(reply.Private);
        Assert.Contains("担当者・そのマネージャー・管理者だけ", reply.Text);
        Assert.Empty(await ActivitiesAsync(app));
        Assert.Null((await app.WithDbAsync(db => db.ContactClocks.AsNoTracking().SingleAsync())).FirstTouchAt);
    }

    [Fact]
    public async Task Contact_UnknownLeadOrInconsistentOutcome_IsAnsweredPrivately_AndChangesNothing()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var unknown = await AskAsync(app, "contact nobody@nowhere.example call reached", "aad-rep");
        var inconsistent = await AskAsync(app, "contact Acme call sent", "aad-rep");
        var stranger = await AskAsync(app, "contact Acme call reached", "aad-stranger");

        Assert.Contains("No lead matches", unknown.Text);
        Assert.Contains("does not go together", inconsistent.Text);
        Assert.True(stranger.Private);
        Assert.Empty(await ActivitiesAsync(app));
    }
}
