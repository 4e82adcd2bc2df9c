using Microsoft.Extensions.Options;
using TheModel.Api.Recycle;

namespace TheModel.Tests.Api.Recycle;

public class RecycleOptionsTests
{
    private static RecycleDelays Delays(RecycleOptions options) => new(Options.Create(options));

    [Fact]
    public void Defaults_AreTheBriefsDelays_AndNotTargetAndDuplicateNever()
    {
        var delays = Delays(new RecycleOptions());
        Assert.Equal(TimeSpan.FromDays(90), delays.For("BadTiming"));
        Assert.Equal(TimeSpan.FromDays(180), delays.For("NoBudget"));
        Assert.Equal(TimeSpan.FromDays(120), delays.For("NoAuthority"));
        Assert.Equal(TimeSpan.FromDays(30), delays.For("Unreachable"));
        Assert.Equal(TimeSpan.FromDays(180), delays.For("Lost"));
        Assert.Null(delays.For("NotTarget"));
        Assert.Null(delays.For("Duplicate"));
        Assert.Null(delays.For("NoNeed"));
        Assert.True(new RecycleOptionsValidator().Validate(null, new RecycleOptions()).Succeeded);
    }

    [Theory]
    [InlineData("BadTiming", "-1.00:00:00", "Recycle:After:BadTiming must be a duration ≥ 0")]
    [InlineData("BadTiming", "soon", "Recycle:After:BadTiming must be a duration ≥ 0")]
    [InlineData("Tuesday", "1.00:00:00", "Recycle:After:Tuesday is not a reason")]
    public void Validate_BadValue_FailsNamingTheKey(string reason, string value, string expected)
    {
        var options = new RecycleOptions();
        options.After[reason] = value;
        var result = new RecycleOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_NeverAndZero_AreAccepted()
    {
        var options = new RecycleOptions();
        options.After["BadTiming"] = "NEVER";
        options.After["NoNeed"] = "00:00:00";
        Assert.True(new RecycleOptionsValidator().Validate(null, options).Succeeded);
        var delays = Delays(options);
        Assert.Null(delays.For("BadTiming"));
        Assert.Equal(TimeSpan.Zero, delays.For("NoNeed"));
    }
}
