using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>The digest's advice button clicked in Slack: the valve's rule, answered privately (chat.postEphemeral).</summary>
public class SlackDigestValveTests
{
    private static async Task<int> ThresholdAsync(SlackTestKit kit)
    {
        await using var scope = kit.App.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<QualificationSettings>().GetAsync()).MqlThreshold;
    }

    private static string LastEphemeral(SlackTestKit kit) => SlackTestKit.Texts(SlackTestKit.Body(kit.Calls("chat.postEphemeral")[^1]));

    [Fact]
    public async Task AdviceButton_IsManagerClicks_ThresholdChangedForTheNextIntake()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await kit.SeedHandoffAsync();
        await kit.Db(async db =>
        {
            (await db.People.SingleAsync(p => p.SlackUserId == "UMANAGER")).Role = PersonRole.Manager;
            return await db.SaveChangesAsync();
        });

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.DigestSetThreshold, "70", user: "UMANAGER", channel: "CDIGEST"));
        await kit.DrainAsync();

        Assert.Contains("80 → 70", LastEphemeral(kit));
        Assert.Equal(70, await ThresholdAsync(kit));
        var turned = await kit.Db(db => db.Events.AsNoTracking().SingleAsync(e => e.Type == LeadEventType.ThresholdChanged));
        Assert.Equal((seeded.ManagerId, "digest advice"), (turned.ActorId!.Value, turned.Reason));
    }

    [Fact]
    public async Task AdviceButton_MemberClicks_PrivateRefusalAndNothingChanged()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();

        await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.DigestSetThreshold, "70", user: "UASSIGNEE", channel: "CDIGEST"));
        await kit.DrainAsync();

        Assert.Contains("Not yours", LastEphemeral(kit));
        Assert.Equal(80, await ThresholdAsync(kit));
        Assert.Equal(0, await kit.Db(db => db.Events.CountAsync(e => e.Type == LeadEventType.ThresholdChanged)));
    }
}
