using Microsoft.Extensions.Configuration;
using TheModel.Bot.Demo;

namespace TheModel.Tests.Bot.Demo;

public class DemoSwitchTests
{
    [Fact]
    public void WithoutSwitch_SwitchBeforeUrls_LeavesUrlsToTheHost()
    {
        string[] args = ["--seed-demo", "--urls", "http://127.0.0.1:5055"];

        var configuration = new ConfigurationBuilder().AddCommandLine(DemoSeeder.WithoutSwitch(args)).Build();

        Assert.Equal("http://127.0.0.1:5055", configuration["urls"]);
        Assert.Null(configuration["seed-demo"]);
    }

    [Fact]
    public void WithoutSwitch_OtherArguments_AreKeptInOrder()
    {
        Assert.Equal(["--urls", "http://x", "--Outbox:BatchSize", "5"],
            DemoSeeder.WithoutSwitch(["--urls", "http://x", "--seed-demo", "--Outbox:BatchSize", "5"]));
    }
}
