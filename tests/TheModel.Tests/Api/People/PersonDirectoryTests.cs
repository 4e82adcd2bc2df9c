using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.People;

/// <summary>The one home of "who is this chat user and what may they do", resolved from the real app on a real store.</summary>
public class PersonDirectoryTests
{
    private static async Task<T> WithDirectoryAsync<T>(TheModelApp app, Func<PersonDirectory, Task<T>> use)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<PersonDirectory>());
    }

    private static async Task<(Person Admin, Person IsManager, Person IsMember, Person FsMember)> SeedAsync(TheModelApp app)
    {
        var admin = new Person { Name = "Ops", Email = "ops@example.jp", Department = Department.MK, Role = PersonRole.Admin };
        var manager = new Person { Name = "IS Boss", Email = "boss@example.jp", Department = Department.IS, Role = PersonRole.Manager, TeamsAadObjectId = "aad-boss" };
        var member = new Person { Name = "IS Rep", Email = "rep@example.jp", Department = Department.IS, SlackUserId = "U0REP" };
        var fs = new Person { Name = "FS Rep", Email = "fs@example.jp", Department = Department.FS, ManagerId = manager.Id };
        await app.WithDbAsync(db =>
        {
            db.People.AddRange(admin, manager, member, fs);
            return db.SaveChangesAsync();
        });
        return (admin, manager, member, fs);
    }

    [Fact]
    public async Task Recognize_SlackEmailOfUnlinkedPerson_LinksTheSlackId()
    {
        await using var app = new TheModelApp();
        var (_, manager, _, _) = await SeedAsync(app);

        var found = await WithDirectoryAsync(app, d => d.RecognizeAsync(new ChatUser(ChatPlatform.Slack, "U0BOSS", Email: "BOSS@example.jp"), default));

        Assert.Equal(manager.Id, found?.Id);
        Assert.Equal("U0BOSS", (await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == manager.Id))).SlackUserId);
    }

    [Fact]
    public async Task Recognize_SlackEmailOfPersonLinkedElsewhere_IsNobodyAndChangesNothing()
    {
        await using var app = new TheModelApp();
        var (_, _, member, _) = await SeedAsync(app);

        var found = await WithDirectoryAsync(app, d => d.RecognizeAsync(new ChatUser(ChatPlatform.Slack, "U0IMPOSTOR", Email: "rep@example.jp"), default));

        Assert.Null(found);
        Assert.Equal("U0REP", (await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == member.Id))).SlackUserId);
    }

    [Fact]
    public async Task Recognize_UnknownUsers_AddNobody()
    {
        await using var app = new TheModelApp();
        await SeedAsync(app);

        var slack = await WithDirectoryAsync(app, d => d.RecognizeAsync(new ChatUser(ChatPlatform.Slack, "U0NEW", Name: "New", Email: "new@example.jp"), default));
        var teams = await WithDirectoryAsync(app, d => d.RecognizeAsync(new ChatUser(ChatPlatform.Teams, "29:new", "aad-new", "New"), default));

        Assert.Null(slack);
        Assert.Null(teams);
        Assert.Equal(4, await app.WithDbAsync(db => db.People.CountAsync()));
    }

    [Fact]
    public async Task Recognize_TeamsEntraIdFirstSeen_FillsTheTeamsUserId()
    {
        await using var app = new TheModelApp();
        var (_, manager, _, _) = await SeedAsync(app);

        await WithDirectoryAsync(app, d => d.RecognizeAsync(new ChatUser(ChatPlatform.Teams, "29:boss", "aad-boss"), default));
        var byUserId = await WithDirectoryAsync(app, d => d.FindAsync(ChatPlatform.Teams, "29:boss", null, default));

        Assert.Equal(manager.Id, byUserId?.Id);
    }

    [Fact]
    public async Task May_LinkAndDecideJoins_AdminEverywhere_ManagerOwnDepartment_MemberNowhere()
    {
        await using var app = new TheModelApp();
        var (admin, manager, member, fs) = await SeedAsync(app);

        var answers = await WithDirectoryAsync(app, d => Task.FromResult(new[]
        {
            d.MayLink(admin, Department.FS), d.MayLink(admin, null), d.MayDecideJoin(admin, Department.CS),
            d.MayLink(manager, Department.IS), d.MayLink(manager, null), d.MayDecideJoin(manager, Department.IS),
            d.MayLink(manager, Department.FS), d.MayDecideJoin(manager, Department.FS),
            d.MayLink(member, Department.IS), d.MayLink(member, null), d.MayDecideJoin(member, Department.IS), d.MayLink(null, Department.IS),
            d.Manages(manager, member), d.Manages(manager, fs), d.Manages(member, fs),
        }));

        Assert.Equal([true, true, true, true, true, true, false, false, false, false, false, false, true, true, false], answers);
    }

    [Fact]
    public async Task RoleOf_EmailInAdminEmails_IsAdminWhateverTheRowSays()
    {
        await using var app = new TheModelApp();
        app.Settings["Admin:Emails"] = "REP@example.jp";
        var (_, _, member, _) = await SeedAsync(app);

        var (role, names) = await WithDirectoryAsync(app, async d => (d.RoleOf(member), await d.AdminNamesAsync(default)));

        Assert.Equal(PersonRole.Admin, role);
        Assert.Equal(["IS Rep", "Ops"], names);
    }
}
