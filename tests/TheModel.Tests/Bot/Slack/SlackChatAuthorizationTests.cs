using Microsoft.EntityFrameworkCore;
using TheModel.Api.People;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>Who may do what in Slack, with signed slash commands and clicks: refusals change nothing and say whom to ask.</summary>
public class SlackChatAuthorizationTests
{
    private static string Answer(SlackTestKit kit) =>
        SlackTestKit.Texts(SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc")));

    private static Task<(int People, int Requests, string? IsChannel, int Settings)> StateAsync(SlackTestKit kit) =>
        kit.Db(async db => (await db.People.CountAsync(), await db.JoinRequests.CountAsync(),
            (await db.Departments.AsNoTracking().SingleAsync(d => d.Code == Department.IS)).SlackChannelId, await db.Settings.CountAsync()));

    private static Task MakeManagerAsync(SlackTestKit kit, string slackUserId) => kit.Db(async db =>
    {
        (await db.People.SingleAsync(p => p.SlackUserId == slackUserId)).Role = PersonRole.Manager;
        return await db.SaveChangesAsync();
    });

    [Theory]
    [InlineData("lead Acme")]
    [InlineData("funnel")]
    [InlineData("link IS")]
    [InlineData("link digest")]
    [InlineData("join IS")]
    public async Task Stranger_Command_IsRefusedWithTheirSlackId_AndWritesNothing(string text)
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();
        // Slack knows their email, which is nobody's in the directory: resolving them must not add them.
        kit.UserEmails["U0STRANGER"] = "stranger@elsewhere.test";
        var before = await StateAsync(kit);

        await kit.PostCommandAsync(text, user: "U0STRANGER", channel: "C0NEW");
        await kit.DrainAsync();

        var answer = Answer(kit);
        Assert.Contains("U0STRANGER", answer);
        Assert.DoesNotContain("hana@customer.test", answer);
        Assert.Equal(before, await StateAsync(kit));
    }

    [Fact]
    public async Task Member_Link_IsRefused()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();

        await kit.PostCommandAsync("link IS", user: "UASSIGNEE", channel: "C0NEW");
        await kit.DrainAsync();

        Assert.Contains("Only an admin or a manager of Inside Sales", Answer(kit));
        Assert.Equal("CIS", (await StateAsync(kit)).IsChannel);
    }

    [Fact]
    public async Task Manager_Link_MovesTheBatonChannel()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();
        await MakeManagerAsync(kit, "UMANAGER");

        await kit.PostCommandAsync("link IS", user: "UMANAGER", channel: "C0NEW");
        await kit.DrainAsync();

        Assert.Equal("C0NEW", (await StateAsync(kit)).IsChannel);
    }

    [Fact]
    public async Task Join_WhenAllowed_ManagerGetsTheCardInADm_AMembersClickIsRefused_TheManagersApproveAddsThePerson()
    {
        await using var kit = await SlackTestKit.StartAsync(configure: app => app.Settings["Chat:AllowJoin"] = "true");
        await kit.SeedHandoffAsync();
        await MakeManagerAsync(kit, "UMANAGER");
        kit.UserEmails["U0NEW"] = "new@acme.test";

        await kit.PostCommandAsync("join IS", user: "U0NEW", channel: "D0NEW");
        await kit.DrainAsync();

        var request = await kit.Db(db => db.JoinRequests.AsNoTracking().SingleAsync());
        Assert.Contains(request.Code, Answer(kit));
        var card = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postMessage"), c => SlackTestKit.Body(c)["channel"]!.GetValue<string>() == "UMANAGER"));
        Assert.Contains(CardActions.JoinApprove, card.ToJsonString());
        Assert.Contains("new@acme.test", SlackTestKit.Texts(card["blocks"]));

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.JoinApprove, request.Id.ToString(), user: "UASSIGNEE", channel: "DMGR"));
        await kit.DrainAsync();
        Assert.Contains("Only an admin or a manager of Inside Sales", SlackTestKit.Texts(SlackTestKit.Body(kit.Calls("chat.postEphemeral")[^1])));
        Assert.Equal(0, await kit.Db(db => db.People.CountAsync(p => p.SlackUserId == "U0NEW")));

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.JoinApprove, request.Id.ToString(), user: "UMANAGER", channel: "DMGR", trigger: "222.333.x"));
        await kit.DrainAsync();

        var added = await kit.Db(db => db.People.AsNoTracking().SingleAsync(p => p.SlackUserId == "U0NEW"));
        Assert.Equal(("Slack U0NEW", "new@acme.test", Department.IS), (added.Name, added.Email, added.Department));
        Assert.Contains("is now in Inside Sales", SlackTestKit.Texts(SlackTestKit.Body(kit.Calls("chat.postEphemeral")[^1])));
    }
}
