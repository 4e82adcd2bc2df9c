using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Digests;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Bot.Digest;
using TheModel.Tests.Api;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Chat;

/// <summary>The handler as the platforms call it: resolved from a scope of the real app, on a real SQLite file.</summary>
public class ChatCommandHandlerTests
{
    private static async Task<ChatReply> AskAsync(IServiceProvider services, ChatRequest request)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(request);
    }

    private static ChatRequest Teams(string text, bool personal = true, string userId = "29:rep", string? aad = "aad-rep", string? locale = "en-US") => new()
    {
        Platform = ChatPlatform.Teams,
        Text = text,
        UserId = userId,
        UserAadObjectId = aad,
        UserName = "Rep One",
        UserEmail = "rep@example.com",
        ConversationId = personal ? "a:personal-rep" : "19:is-channel@thread.tacv2",
        IsPersonal = personal,
        Locale = locale,
    };

    private static ChatRequest Slack(string text, bool personal = false, string userId = "U0REP", string? email = "rep@example.com") => new()
    {
        Platform = ChatPlatform.Slack,
        Text = text,
        UserId = userId,
        UserName = "rep",
        UserEmail = email,
        ConversationId = personal ? "D0REP" : "C0ISCHAN",
        IsPersonal = personal,
    };

    /// <summary>Someone in the directory with the given chat ids: figures, leads and links are for the directory only.</summary>
    private static async Task<Person> AddPersonAsync(TheModelApp app, PersonRole role = PersonRole.Member, Department department = Department.IS,
        string? aad = null, string? teamsUserId = null, string? slack = null, string locale = "ja-JP", string? email = null)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var person = new Person
        {
            Name = $"{role} {slack ?? aad}", Email = email, Department = department, Role = role, TeamsAadObjectId = aad, TeamsUserId = teamsUserId,
            SlackUserId = slack, Locale = locale, CreatedAt = now, UpdatedAt = now,
        };
        await app.WithDbAsync(db =>
        {
            db.People.Add(person);
            return db.SaveChangesAsync();
        });
        return person;
    }

    private sealed record World(Person Rep, Person Colleague, Person FsRep, Lead Acme, Handoff RepOffer, Handoff QueueOffer, Handoff ColleagueOffer, Handoff Decided, Handoff FsOverdue);

    /// <summary>
    /// IS rep with an open offer (due in 3h), an IS queue offer (overdue 1h), a colleague's offer (overdue 2h), an accepted
    /// one; FS has an overdue SQL.
    /// </summary>
    private static async Task<World> SeedAsync(TheModelApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var rep = new Person { Name = "Rep One", Email = "rep@example.com", Department = Department.IS, Locale = "en-US", TeamsAadObjectId = "aad-rep", TeamsUserId = "29:rep", CreatedAt = now, UpdatedAt = now };
        var colleague = new Person { Name = "Colleague", Email = "col@example.com", Department = Department.IS, Locale = "ja-JP", SlackUserId = "U0COL", CreatedAt = now, UpdatedAt = now };
        var fsRep = new Person { Name = "Closer", Email = "fs@example.com", Department = Department.FS, CreatedAt = now, UpdatedAt = now };
        Lead NewLead(string name, string company, string email, int score, LeadStage stage) => new()
        {
            Name = name, Company = company, Email = email, Domain = Lead.DomainOf(email), Score = score, Stage = stage,
            Department = Department.IS, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        var acme = NewLead("Taro Yamada", "Acme Corporation", "Taro@Acme.example", 85, LeadStage.Mql);
        acme.OwnerId = rep.Id;
        var beta = NewLead("Beta Person", "Beta KK", "b@beta.example", 90, LeadStage.Mql);
        var gamma = NewLead("Gamma Person", "山田商事", "g@yamada.example", 81, LeadStage.Mql);
        var delta = NewLead("Delta Person", "Delta Inc", "d@delta.example", 88, LeadStage.Mql);
        var sql = NewLead("Sql Person", "Sigma LLC", "s@sigma.example", 95, LeadStage.Sql);
        Handoff Offer(Lead lead, HandoffKind kind, Person? assignee, double dueInHours) => new()
        {
            LeadId = lead.Id, Kind = kind, AssigneeId = assignee?.Id, Routing = assignee is null ? RoutingRule.Queue : RoutingRule.RoundRobin,
            RoutingReason = assignee is null ? "nobody available" : "round robin", OfferedAt = now.AddHours(-10), DeadlineAt = now.AddHours(dueInHours),
        };
        var repOffer = Offer(acme, HandoffKind.MqlToIs, rep, 3);
        var queueOffer = Offer(beta, HandoffKind.MqlToIs, null, -1);
        var colleagueOffer = Offer(gamma, HandoffKind.MqlToIs, colleague, -2);
        var decided = Offer(delta, HandoffKind.MqlToIs, rep, -5);
        decided.Accept(rep, rep, now.AddHours(-6), 4);
        var fsOverdue = Offer(sql, HandoffKind.SqlToFs, fsRep, -4);
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(rep, colleague, fsRep);
            db.Leads.AddRange(acme, beta, gamma, delta, sql);
            db.Handoffs.AddRange(repOffer, queueOffer, colleagueOffer, decided, fsOverdue);
            db.Record(acme.Id, LeadEventType.LeadCreated, now.AddHours(-12), Actor.Client("hubspot"));
            db.Record(acme.Id, LeadEventType.BecameMql, now.AddHours(-11), Actor.System, "score 85");
            db.Record(acme.Id, LeadEventType.HandoffOffered, now.AddHours(-10), Actor.System, "round robin", repOffer);
            await db.SaveChangesAsync();
        });
        return new World(rep, colleague, fsRep, acme, repOffer, queueOffer, colleagueOffer, decided, fsOverdue);
    }

    [Fact]
    public async Task Help_InEnglish_ListsEveryCommandPrivatelyWithCard()
    {
        await using var app = new TheModelApp();

        var reply = await AskAsync(app.Services, Teams("help"));

        Assert.True(reply.Private);
        Assert.Contains("my queue", reply.Text);
        Assert.Contains("plan <revenue target>", reply.Text);
        Assert.Equal(10, reply.Figures!.Sections.Single().Rows.Count);
        Assert.Equal("en", reply.Figures.Language);
    }

    [Fact]
    public async Task Unknown_GetsHelpNamingWhatWasNotUnderstood()
    {
        await using var app = new TheModelApp();

        var reply = await AskAsync(app.Services, Slack("make coffee"));

        Assert.Contains("make coffee", reply.Text);
        Assert.Contains("funnel [period]", reply.Text);
        Assert.NotNull(reply.Figures);
    }

    [Fact]
    public async Task InvalidArgument_GetsHelpNamingTheArgument()
    {
        await using var app = new TheModelApp();

        var reply = await AskAsync(app.Services, Slack("逆算 たくさん"));

        Assert.Contains("たくさん", reply.Text);
        Assert.Contains("逆算 <売上目標>", reply.Text);
    }

    [Fact]
    public async Task Language_UnknownPersonWritingJapanese_AnswersInJapanese()
    {
        await using var app = new TheModelApp();

        var reply = await AskAsync(app.Services, Teams("ヘルプ", locale: "en-US", aad: "aad-stranger", userId: "29:stranger"));

        Assert.Contains("マイキュー", reply.Text);
        Assert.Equal("ja", reply.Figures!.Language);
    }

    [Fact]
    public async Task Language_UnknownPersonWithJapaneseLocale_AnswersInJapanese_AndWithoutLocaleInEnglish()
    {
        await using var app = new TheModelApp();

        var ja = await AskAsync(app.Services, Teams("help", locale: "ja-JP", aad: null, userId: "29:x"));
        var en = await AskAsync(app.Services, Slack("help", userId: "U0NOBODY"));

        Assert.Equal("ja", ja.Figures!.Language);
        Assert.Equal("en", en.Figures!.Language);
    }

    [Fact]
    public async Task Language_KnownPerson_UsesTheirLocaleOverTheText()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("ヘルプ"));

        Assert.Equal("en", reply.Figures!.Language);
    }

    [Fact]
    public async Task MyQueue_UnknownPerson_IsToldToJoin()
    {
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";

        var reply = await AskAsync(app.Services, Slack("my queue", userId: "U0NOBODY"));

        Assert.True(reply.Private);
        Assert.Contains("join <dept>", reply.Text);
        Assert.Empty(reply.Handoffs);
    }

    [Fact]
    public async Task MyQueue_KnownPerson_ShowsOwnOpenOffersAndDepartmentQueue_ByDeadline()
    {
        await using var app = new TheModelApp();
        var world = await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("my queue"));

        Assert.True(reply.Private);
        Assert.Equal([world.QueueOffer.Id.ToString(), world.RepOffer.Id.ToString()], reply.Handoffs.Select(h => h.HandoffId));
        Assert.All(reply.Handoffs, h => Assert.Equal("Offered", h.State));
        Assert.All(reply.Handoffs, h => Assert.Equal("en", h.Language));
        Assert.Contains("2 open handoffs", reply.Text);
        Assert.Contains("Acme Corporation", reply.Text);
        Assert.Contains("3h 0m left", reply.Text);
        Assert.DoesNotContain("山田商事", reply.Text);
        Assert.DoesNotContain("Delta Inc", reply.Text);
    }

    [Fact]
    public async Task MyQueue_PersonFoundByTeamsUserIdWhenEntraIdUnknown()
    {
        await using var app = new TheModelApp();
        var world = await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("マイキュー", aad: null));

        Assert.Contains(reply.Handoffs, h => h.HandoffId == world.RepOffer.Id.ToString());
    }

    [Fact]
    public async Task Overdue_ForIsMember_ListsOverdueIsHandoffsOnly()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("overdue"));

        var rows = reply.Figures!.Sections.Single().Rows;
        Assert.Equal(["MQL → IS · 山田商事", "MQL → IS · Beta KK"], rows.Select(r => r.Label));
        Assert.Equal("Colleague · overdue 2h 0m", rows[0].Value);
        Assert.Equal("department queue · overdue 1h 0m", rows[1].Value);
        Assert.Contains("Overdue handoffs for IS: 2", reply.Text);
        Assert.DoesNotContain("Sigma", reply.Text);
    }

    [Fact]
    public async Task Overdue_Admin_ListsEveryOverdueHandoff()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);
        await AddPersonAsync(app, PersonRole.Admin, Department.MK, slack: "U0NOBODY");

        var reply = await AskAsync(app.Services, Slack("期限切れ", userId: "U0NOBODY"));

        Assert.Equal(3, reply.Figures!.Sections.Single().Rows.Count);
        Assert.Contains("Sigma LLC", reply.Text);
        Assert.Contains("期限超過バトン: 3件", reply.Text);
    }

    [Fact]
    public async Task Overdue_WhenClockMovesPastDeadline_IncludesTheNewlyOverdue()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(4));

        var reply = await AskAsync(app.Services, Teams("overdue"));

        Assert.Contains(reply.Figures!.Sections.Single().Rows, r => r.Label == "MQL → IS · Acme Corporation");
    }

    [Fact]
    public async Task Lead_ByEmail_ShowsStageOwnerScoreAndLatestEvents()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("lead taro@acme.EXAMPLE"));

        var section = reply.Figures!.Sections.Single();
        Assert.Equal("Acme Corporation — Taro Yamada", section.Title);
        Assert.Contains(section.Rows, r => r.Label == "Stage" && r.Value == "MQL");
        Assert.Contains(section.Rows, r => r.Label == "Owner" && r.Value == "Rep One");
        Assert.Contains(section.Rows, r => r.Label == "Score" && r.Value == "85 · Hot");
        var events = section.Rows.Where(r => r.Label.StartsWith("2026-")).Select(r => r.Value).ToList();
        Assert.Equal(["Handoff offered · system · round robin", "Became MQL · system · score 85", "Lead created · hubspot"], events);
        Assert.Contains("Became MQL", reply.Text);
    }

    [Fact]
    public async Task Lead_ByPartOfCompanyName_FindsIt_InJapanese()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Slack("リード 山田", userId: "U0COL"));

        var section = reply.Figures!.Sections.Single();
        Assert.Equal("山田商事 — Gamma Person", section.Title);
        Assert.Contains(section.Rows, r => r.Label == "ステージ" && r.Value == "MQL");
        Assert.Contains(section.Rows, r => r.Label == "担当" && r.Value == "（なし）");
    }

    [Fact]
    public async Task Lead_PartOfCompanyNameInOtherCase_FindsIt()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("lead acme corp"));

        Assert.Equal("Acme Corporation — Taro Yamada", reply.Figures!.Sections.Single().Title);
    }

    [Fact]
    public async Task Lead_LikeWildcardsInQuery_AreMatchedLiterally()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Teams("lead %"));

        Assert.Null(reply.Figures);
        Assert.Contains("No lead matches \"%\"", reply.Text);
    }

    [Fact]
    public async Task Link_DepartmentInTeamsChannel_StoresConversationOnDepartment()
    {
        await using var app = new TheModelApp();
        await AddPersonAsync(app, PersonRole.Manager, Department.IS, aad: "aad-rep", teamsUserId: "29:rep", slack: "U0REP", locale: "en-US");

        var reply = await AskAsync(app.Services, Teams("link IS", personal: false));

        Assert.False(reply.Private);
        Assert.Contains("Inside Sales", reply.Text);
        var dept = await app.WithDbAsync(db => db.Departments.AsNoTracking().SingleAsync(d => d.Code == Department.IS));
        Assert.Equal("19:is-channel@thread.tacv2", dept.TeamsConversationId);
        Assert.Null(dept.SlackChannelId);
        Assert.Equal("Inside Sales", dept.DisplayName);
    }

    [Fact]
    public async Task Link_SameDepartmentFromSlack_AddsSlackChannelAndKeepsTeams()
    {
        await using var app = new TheModelApp();
        await AddPersonAsync(app, PersonRole.Manager, Department.IS, aad: "aad-rep", teamsUserId: "29:rep", slack: "U0REP", locale: "en-US");
        await AskAsync(app.Services, Teams("link IS", personal: false));

        await AskAsync(app.Services, Slack("リンク インサイドセールス"));

        var dept = await app.WithDbAsync(db => db.Departments.AsNoTracking().SingleAsync(d => d.Code == Department.IS));
        Assert.Equal("C0ISCHAN", dept.SlackChannelId);
        Assert.Equal("19:is-channel@thread.tacv2", dept.TeamsConversationId);
    }

    [Fact]
    public async Task Link_InPersonalChat_IsRefusedAndChangesNothing()
    {
        await using var app = new TheModelApp();

        var reply = await AskAsync(app.Services, Teams("link IS", personal: true));

        Assert.True(reply.Private);
        Assert.Contains("channel", reply.Text);
        var departments = await app.WithDbAsync(db => db.Departments.ToListAsync());
        Assert.All(departments, d => Assert.Null(d.TeamsConversationId));
    }

    [Fact]
    public async Task Link_Digest_StoresChannelInSettingsPerPlatform()
    {
        await using var app = new TheModelApp();
        await AddPersonAsync(app, PersonRole.Manager, Department.FS, aad: "aad-rep", teamsUserId: "29:rep", slack: "U0REP", locale: "en-US");

        await AskAsync(app.Services, Slack("link digest"));
        await AskAsync(app.Services, Slack("link digest") with { ConversationId = "C0DIGEST" });
        await AskAsync(app.Services, Teams("リンク ダイジェスト", personal: false));

        var settings = await app.WithDbAsync(db => db.Settings.AsNoTracking().Where(s => s.Key.StartsWith("digest-channel:")).ToDictionaryAsync(s => s.Key));
        var slack = JsonSerializer.Deserialize<DigestChannel>(settings["digest-channel:slack"].Json, JsonSerializerOptions.Web)!;
        Assert.Equal("C0DIGEST", slack.ConversationId);
        Assert.Equal("U0REP", slack.LinkedBy);
        Assert.Equal(1, settings["digest-channel:slack"].Version);
        var teams = JsonSerializer.Deserialize<DigestChannel>(settings["digest-channel:teams"].Json, JsonSerializerOptions.Web)!;
        Assert.Equal("19:is-channel@thread.tacv2", teams.ConversationId);
    }

    [Fact]
    public async Task Join_NewTeamsUser_CreatesPersonWithBothTeamsIds_ThenMyQueueKnowsThem()
    {
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";
        await AddPersonAsync(app, PersonRole.Manager, Department.FS, slack: "U0FSBOSS");

        var reply = await AskAsync(app.Services, Teams("join FS", aad: "aad-new", userId: "29:new") with { UserEmail = "new@example.com", UserName = "New Person" });
        // Joining is a request now: the FS manager approves it.
        var code = await app.WithDbAsync(async db => (await db.JoinRequests.AsNoTracking().SingleAsync()).Code);
        await AskAsync(app.Services, Slack($"approve {code}", userId: "U0FSBOSS"));

        Assert.True(reply.Private);
        Assert.Contains("Field Sales", reply.Text);
        var person = await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.TeamsAadObjectId == "aad-new"));
        Assert.Equal(("New Person", "new@example.com", Department.FS, "29:new", "en-US"), (person.Name, person.Email, person.Department, person.TeamsUserId, person.Locale));
        var queue = await AskAsync(app.Services, Teams("my queue", aad: "aad-new", userId: "29:new"));
        Assert.Contains("Nothing is waiting", queue.Text);
    }

    [Fact]
    public async Task Join_SlackUserWithDirectoryEmail_NeverMovesThemAndFilesNothing()
    {
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";
        var world = await SeedAsync(app);

        var reply = await AskAsync(app.Services, Slack("参加 FS", userId: "U0REP", email: "REP@example.com"));

        // The Slack adapter links them by email before asking (PersonDirectory.RecognizeAsync); join itself moves nobody.
        var person = await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == world.Rep.Id));
        Assert.Equal(Department.IS, person.Department);
        Assert.Equal("aad-rep", person.TeamsAadObjectId);
        Assert.Equal(3, await app.WithDbAsync(db => db.People.CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.JoinRequests.CountAsync()));
        Assert.Contains("すでに名簿に登録されています（インサイドセールス (IS)）", reply.Text);
    }

    [Fact]
    public async Task Join_EmailOfPersonLinkedToAnotherSlackUser_IsRefused()
    {
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";
        await SeedAsync(app);

        var reply = await AskAsync(app.Services, Slack("join IS", userId: "U0IMPOSTOR", email: "col@example.com"));

        Assert.True(reply.Private);
        Assert.Contains("another account", reply.Text);
        var colleague = await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Email == "col@example.com"));
        Assert.Equal("U0COL", colleague.SlackUserId);
    }

    [Fact]
    public async Task Join_WhenSwitchedOff_IsRefusedAndCreatesNobody()
    {
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "false";

        var reply = await AskAsync(app.Services, Slack("join IS", userId: "U0NEW", email: "new@example.com"));

        Assert.True(reply.Private);
        Assert.Contains("switched off", reply.Text);
        Assert.Equal(0, await app.WithDbAsync(db => db.People.CountAsync()));
    }

    [Fact]
    public async Task Digest_InChat_ShowsWhatTheApiAndTheScheduledPostShow()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now)).WithKeys();
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        await DigestWorld.LinkChannelsAsync(app, teams: false);
        await AddPersonAsync(app, slack: "U0NOBODY");

        var reply = await AskAsync(app.Services, Slack("ダイジェスト", userId: "U0NOBODY"));
        var api = await app.Client(ApiKit.ReadKey).GetAsync("/api/digests/weekly").OkJsonAsync();
        await ActivatorUtilities.CreateInstance<TheModel.Bot.Digest.DigestJob>(app.Services).RunAsync(app.Clock.GetUtcNow().UtcDateTime);
        var post = Assert.Single(await DigestWorld.DigestPostsAsync(app));

        using var payload = JsonDocument.Parse(post.Payload!);
        Assert.Equal(payload.RootElement.GetProperty("text").GetString(), reply.Text);
        Assert.Equal(payload.RootElement.GetProperty("figures").GetRawText(), JsonSerializer.Serialize(reply.Figures, JsonSerializerOptions.Web));
        Assert.Equal("バトンミーティング ダイジェスト · 2026年第46週", reply.Figures!.Title);
        var chain = api.GetProperty("funnel");
        Assert.Equal(
            new[] { "inquiries", "mqls", "sqls", "won" }.Select(k => chain.GetProperty(k).GetProperty("value").GetDouble()),
            reply.Figures.Chart!.Select(b => b.Value));
        Assert.Contains($"SLA {ChatTexts.Japanese.Percent(api.GetProperty("handoffs")[0].GetProperty("slaCompliance").GetProperty("value").GetDouble())}", reply.Text);
        Assert.False(reply.Private);
    }

    [Fact]
    public async Task FunnelKpiPlan_AnswerWithTheRestApisFiguresInCardAndText()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now)).WithKeys();
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        var api = app.Client(ApiKit.ReadKey);
        // Members who read Japanese and English: a known person is answered in their own language.
        await AddPersonAsync(app, slack: "U0JA");
        await AddPersonAsync(app, slack: "U0EN", locale: "en-US");

        var funnel = await AskAsync(app.Services, Slack($"ファネル {DigestWorld.Week}", userId: "U0JA"));
        var kpi = await AskAsync(app.Services, Slack($"kpi IS {DigestWorld.Week}", userId: "U0EN"));
        var plan = await AskAsync(app.Services, Slack("plan 10m", userId: "U0EN"));
        var badPeriod = await AskAsync(app.Services, Slack("funnel 2026-13", userId: "U0EN"));

        var apiFunnel = await api.GetAsync($"/api/funnel?period={DigestWorld.Week}").OkJsonAsync();
        Assert.Contains($"{ChatTexts.Japanese.Inquiries}: {ChatTexts.Japanese.Count(apiFunnel.GetProperty("inquiries").GetInt32())}", funnel.Text);
        Assert.Contains($"{ChatTexts.Japanese.Percent(apiFunnel.GetProperty("mqlRate").GetDouble())}", funnel.Text);
        Assert.Equal(10, apiFunnel.GetProperty("inquiries").GetInt32());

        var apiKpis = await api.GetAsync($"/api/kpis?department=IS&period={DigestWorld.Week}").OkJsonAsync();
        var acceptance = apiKpis.GetProperty("departments")[0].GetProperty("values").EnumerateArray()
            .Single(v => v.GetProperty("key").GetString() == "mqlAcceptanceRate").GetProperty("value").GetDouble();
        Assert.Contains($"{ChatTexts.English.KpiLabel("mqlAcceptanceRate")}: {ChatTexts.English.Percent(acceptance)}", kpi.Text);
        Assert.DoesNotContain("Mql acceptance rate", kpi.Text); // a real label, not a humanized key

        var apiPlan = await api.GetAsync("/api/plan?target=10000000").OkJsonAsync();
        Assert.Contains(ChatTexts.English.Count(apiPlan.GetProperty("won").GetInt32()), plan.Text);
        Assert.NotNull(plan.Figures);

        Assert.True(badPeriod.Private);
        Assert.Contains("2026-13", badPeriod.Text);
    }
}
