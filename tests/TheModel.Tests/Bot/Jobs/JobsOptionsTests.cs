using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TheModel.Bot.Jobs;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Jobs;

public class JobsOptionsTests
{
    [Fact]
    public async Task Bind_AutoSweepUnset_FollowsTheOutboxAndNamesTheProcess()
    {
        await using var app = new TheModelApp();
        _ = app.CreateClient();

        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;

        // The test host drives the outbox by hand (Outbox:AutoDispatch=false), so it drives the sweep too.
        Assert.Equal((null, false, false), (options.AutoSweep, options.AutoDispatch, options.RunsSchedules));
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", options.InstanceId);
    }

    [Fact]
    public async Task Bind_KeysOfTheSlaAndOutboxSections_AreRead()
    {
        await using var app = new TheModelApp();
        app.Settings["Sla:AutoSweep"] = "true";
        app.Settings["Outbox:InstanceId"] = "bot-a";
        _ = app.CreateClient();

        var options = app.Services.GetRequiredService<IOptions<JobsOptions>>().Value;

        Assert.Equal((true, true, "bot-a"), (options.AutoSweep, options.RunsSchedules, options.InstanceId));
    }

    [Fact]
    public async Task Start_WithAnInstanceIdLongerThanTheClaimColumns_StopsNamingTheKey()
    {
        await using var app = new TheModelApp();
        app.Settings["Outbox:InstanceId"] = new string('x', 101);

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.StartsWith("Outbox:InstanceId 'xxx", error.Message);
        Assert.EndsWith("' is longer than 100 characters (it is stored with every claim).", error.Message);
    }
}
