using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>Who may do what in Teams, over /api/messages with real activities: refusals change nothing and say whom to ask.</summary>
public class TeamsChatAuthorizationTests
{
    /// <summary>What the bot answered (the outbox sent to the Connector double), as text.</summary>
    private static async Task<string> AnswerAsync(TheModelApp app, RecordingServer connector)
    {
        await app.DispatchAsync();
        return Assert.Single(connector.Requests).Body;
    }

    private static Task<(int People, int Requests, string? IsTeamsChannel, int Settings)> StateAsync(TheModelApp app) =>
        app.WithDbAsync(async db => (await db.People.CountAsync(), await db.JoinRequests.CountAsync(),
            (await db.Departments.AsNoTracking().SingleAsync(d => d.Code == Department.IS)).TeamsConversationId, await db.Settings.CountAsync()));

    private static Task SetRoleAsync(TheModelApp app, Guid personId, PersonRole role) =>
        app.WithDbAsync(async db =>
        {
            (await db.People.SingleAsync(p => p.Id == personId)).Role = role;
            await db.SaveChangesAsync();
        });

    [Theory]
    [InlineData("link IS", true)]
    [InlineData("link digest", true)]
    [InlineData("lead acme", false)]
    [InlineData("funnel", false)]
    [InlineData("my queue", false)]
    public async Task Stranger_DirectoryCommand_IsRefusedWithTheirEntraId_AndWritesNothing(string text, bool inChannel)
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);
        var before = await StateAsync(app);
        var conversation = inChannel ? Channel(connector.BaseUrl) : Personal("a:stranger-dm");

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, conversation, text, Users.Stranger, mentionBot: inChannel))).Status);

        var answer = await AnswerAsync(app, connector);
        Assert.Contains(Users.Stranger.AadObjectId, answer);
        Assert.Contains("your sales operations admin", answer);
        Assert.Equal(before, await StateAsync(app));
    }

    [Fact]
    public async Task Stranger_Refusal_NamesTheAdminsToAsk()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        app.Settings["Admin:Emails"] = "aya@example.jp";
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);

        await PostAsync(app, Message(connector.BaseUrl, Personal("a:stranger-dm"), "kpi", Users.Stranger));

        Assert.Contains("Aya Mori", await AnswerAsync(app, connector));
    }

    [Fact]
    public async Task Member_LinkDepartment_IsRefusedAndChangesNothing()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);

        await PostAsync(app, Message(connector.BaseUrl, Channel(connector.BaseUrl), "link IS", Users.Rep, mentionBot: true));

        Assert.Contains("Only an admin or a manager of Inside Sales", await AnswerAsync(app, connector));
        Assert.Null((await StateAsync(app)).IsTeamsChannel);
    }

    [Fact]
    public async Task Manager_LinkOwnDepartment_Works_ButNotAnother()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        var people = await SeedDirectoryAsync(app);
        await SetRoleAsync(app, people.Manager.Id, PersonRole.Manager);

        await PostAsync(app, Message(connector.BaseUrl, Channel(connector.BaseUrl), "link IS", Users.Manager, mentionBot: true));
        await PostAsync(app, Message(connector.BaseUrl, Channel(connector.BaseUrl), "link FS", Users.Manager, mentionBot: true));
        await app.DispatchAsync();

        Assert.Equal(ChannelId, (await StateAsync(app)).IsTeamsChannel);
        Assert.Null(await app.WithDbAsync(db => db.Departments.AsNoTracking().Where(d => d.Code == Department.FS).Select(d => d.TeamsConversationId).SingleAsync()));
    }

    [Fact]
    public async Task Join_OffByDefault_IsRefusedAndFilesNothing()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);

        await PostAsync(app, Message(connector.BaseUrl, Personal("a:stranger-dm"), "join IS", Users.Stranger));

        var answer = await AnswerAsync(app, connector);
        Assert.Contains("switched off", answer);
        Assert.Contains(Users.Stranger.AadObjectId, answer);
        Assert.Equal((4, 0), ((await StateAsync(app)).People, (await StateAsync(app)).Requests));
    }

    [Fact]
    public async Task Join_WhenAllowed_CardGoesToTheManager_WhoseApproveAddsThePerson_AMembersClickChangesNothing()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";
        _ = app.CreateClient();
        var people = await SeedDirectoryAsync(app);
        await SetRoleAsync(app, people.Manager.Id, PersonRole.Manager);
        // The manager has a personal chat with the bot (where the card can go).
        await PostAsync(app, Message(connector.BaseUrl, Personal("a:mgr-dm"), "help", Users.Manager));
        await app.DispatchAsync();

        await PostAsync(app, Message(connector.BaseUrl, Personal("a:stranger-dm"), "join IS", Users.Stranger));
        await app.DispatchAsync();

        Assert.Equal(4, (await StateAsync(app)).People);
        var request = await app.WithDbAsync(db => db.JoinRequests.AsNoTracking().SingleAsync());
        Assert.Equal((JoinRequestState.Pending, Department.IS, Users.Stranger.UserId, Users.Stranger.AadObjectId), (request.State, request.Department, request.UserId, request.AadObjectId));
        var toManager = Assert.Single(connector.Requests, r => r.Path.StartsWith("/v3/conversations/a:mgr-dm/", StringComparison.Ordinal) && r.Body.Contains("join."));
        var card = JsonNode.Parse(toManager.Body)!["attachments"]![0]!["content"]!;
        Assert.Contains(CardActions.JoinApprove, card.ToJsonString());
        Assert.Contains(Users.Stranger.AadObjectId, card.ToJsonString());
        Assert.Contains(request.Code, Assert.Single(connector.Requests, r => r.Path.Contains("a:stranger-dm")).Body);

        var data = new JsonObject { ["handoffId"] = request.Id.ToString() };
        var byMember = await PostAsync(app, Invoke(connector.BaseUrl, Personal("a:rep-dm"), Users.Rep, CardActions.JoinApprove, data.DeepClone().AsObject()));
        Assert.Contains("Only an admin or a manager of Inside Sales", byMember.Body);
        Assert.Equal(4, (await StateAsync(app)).People);

        var byManager = await PostAsync(app, Invoke(connector.BaseUrl, Personal("a:mgr-dm"), Users.Manager, CardActions.JoinApprove, data));

        Assert.Contains(AdaptiveCardRenderer.ContentType, byManager.Body);
        Assert.Contains("Approved by Mika Tanaka", byManager.Body);
        var added = await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.TeamsAadObjectId == Users.Stranger.AadObjectId));
        Assert.Equal((Users.Stranger.Name, Department.IS, Users.Stranger.UserId, PersonRole.Member), (added.Name, added.Department, added.TeamsUserId, added.Role));
        Assert.Equal(JoinRequestState.Approved, (await app.WithDbAsync(db => db.JoinRequests.AsNoTracking().SingleAsync())).State);
    }

    [Fact]
    public async Task Join_PersonAlreadyInTheDirectory_IsNeverMoved()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        app.Settings["Chat:AllowJoin"] = "true";
        _ = app.CreateClient();
        var people = await SeedDirectoryAsync(app);

        await PostAsync(app, Message(connector.BaseUrl, Personal("a:rep-dm"), "join FS", Users.Rep));

        Assert.Contains("already in the directory", await AnswerAsync(app, connector));
        Assert.Equal(Department.IS, await app.WithDbAsync(db => db.People.Where(p => p.Id == people.Rep.Id).Select(p => p.Department).SingleAsync()));
        Assert.Equal(0, (await StateAsync(app)).Requests);
    }
}
