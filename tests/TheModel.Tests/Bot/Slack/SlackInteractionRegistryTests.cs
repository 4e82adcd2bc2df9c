using Microsoft.Extensions.DependencyInjection;
using TheModel.Bot.Slack;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

public class SlackInteractionRegistryTests
{
    /// <summary>Adaptive Card refresh has no Slack counterpart: Slack copies are updated in place with chat.update.</summary>
    private static readonly string[] TeamsOnly = [CardActions.Refresh];

    [Fact]
    public async Task Registry_EveryCardActionUsedOnSlack_HasAResolvableHandler()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var registry = kit.App.Services.GetRequiredService<SlackInteractionRegistry>();
        await using var scope = kit.App.Services.CreateAsyncScope();
        foreach (var id in CardActions.All.Except(TeamsOnly))
        {
            var route = registry.Routes.SingleOrDefault(r => r.Id == id);
            Assert.True(route is not null, $"no Slack handler for card action '{id}'");
            Assert.IsAssignableFrom<ISlackInteractionHandler>(scope.ServiceProvider.GetRequiredService(route.Handler));
        }
        Assert.Equal(SlackInteractionKind.ViewSubmission, registry.Find(SlackInteractionKind.ViewSubmission, CardActions.RejectSubmit)!.Kind);
        Assert.All(registry.Routes, r => Assert.Contains(r.Id, CardActions.All));
    }

    [Fact]
    public void Registry_TwoHandlersForOneId_IsRefused()
    {
        var routes = new[]
        {
            new SlackInteractionRoute(CardActions.Accept, SlackInteractionKind.BlockAction, typeof(SlackAcceptHandler)),
            new SlackInteractionRoute(CardActions.Accept, SlackInteractionKind.BlockAction, typeof(SlackRejectHandler)),
        };
        var error = Assert.Throws<InvalidOperationException>(() => new SlackInteractionRegistry(routes));
        Assert.Contains(CardActions.Accept, error.Message);
    }
}
