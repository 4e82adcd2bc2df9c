using Microsoft.Extensions.DependencyInjection;
using TheModel.Bot.Teams;
using TheModel.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Teams;

public class TeamsCardActionRegistryTests
{
    [Fact]
    public async Task EveryCardVerb_HasATeamsHandler()
    {
        await using var app = new TheModelApp();
        var registry = app.Services.GetRequiredService<TeamsCardActionRegistry>();
        await using var scope = app.Services.CreateAsyncScope();
        foreach (var verb in CardActions.All)
        {
            Assert.True(registry.Resolve(verb, scope.ServiceProvider) is not null, $"no Teams handler for card verb '{verb}'");
        }
    }

    [Fact]
    public void Registry_SameVerbTwice_RefusesToStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TeamsCardActionRegistry(
        [
            new(CardActions.Accept, typeof(AcceptHandoffCardAction)),
            new(CardActions.Accept, typeof(RefreshHandoffCardAction)),
        ]));
        Assert.Contains(CardActions.Accept, error.Message);
    }

    [Fact]
    public void Registry_UnknownVerb_ResolvesNothing()
    {
        var registry = new TeamsCardActionRegistry([new(CardActions.Accept, typeof(AcceptHandoffCardAction))]);
        Assert.Null(registry.Resolve("handoff.explode", new ServiceCollection().BuildServiceProvider()));
    }
}
