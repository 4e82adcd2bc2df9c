using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Bot.Slack;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

public class SlackAcceptLinkingTests
{
    [Fact]
    public async Task Accept_ByAnUnlinkedAssigneeKnownByEmail_LinksThemAndDecides()
    {
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync(assigneeLinked: false);
        await kit.DrainAsync();
        kit.UserEmails["UNEWREP"] = "rep@acme.test";
        var ts = await kit.Db(db => db.PostedCards.Select(p => p.MessageId).SingleAsync());

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), user: "UNEWREP", messageTs: ts));
        await kit.DrainAsync();

        Assert.Equal(HandoffState.Accepted, await kit.Db(db => db.Handoffs.Select(h => h.State).SingleAsync()));
        Assert.Equal("UNEWREP", await kit.Db(db => db.People.Where(p => p.Id == seeded.AssigneeId).Select(p => p.SlackUserId).SingleAsync()));
        Assert.Equal(ts, SlackTestKit.Body(Assert.Single(kit.Calls("chat.update")))["ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task Accept_BySomeoneSlackCannotTellUsAbout_GetsAskedToBeLinked()
    {
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString(), user: "USTRANGER"));
        await kit.DrainAsync();
        Assert.Equal(HandoffState.Offered, await kit.Db(db => db.Handoffs.Select(h => h.State).SingleAsync()));
        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal(SlackTexts.UnknownPerson(ja: true), ephemeral["text"]!.GetValue<string>());
    }
}
