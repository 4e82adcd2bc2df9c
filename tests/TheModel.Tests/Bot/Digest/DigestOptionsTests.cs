using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

public class DigestOptionsTests
{
    /// <summary>The options as the bot binds and checks them (the digest's own checks and the schedule's).</summary>
    private static DigestOptions Bind(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddDigestChannels();
        builder.Services.AddSingleton<IValidateOptions<DigestOptions>, DigestScheduleValidator>();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<DigestOptions>>().Value;
    }

    [Fact]
    public void Bind_NothingConfigured_IsMonday0900TokyoInJapanese()
    {
        var options = Bind();

        Assert.Equal(("0 9 * * 1", "Asia/Tokyo", "ja", TimeSpan.FromMinutes(15)), (options.Schedule, options.TimeZone, options.Language, options.LateAfter));
        Assert.Null(options.TargetFor("mqlRate"));
    }

    [Fact]
    public void Bind_EveryKey_ReadsItsValue()
    {
        var options = Bind(
            ("Digest:Schedule", " 30 8 * * 2 "), ("Digest:TimeZone", "Europe/Berlin"), ("Digest:Language", "EN"),
            ("Digest:LateAfter", "01:00:00"), ("Digest:Targets:MqlRate", "35%"), ("Digest:Targets:winRate", "0.5"));

        Assert.Equal(("30 8 * * 2", "Europe/Berlin", "en", TimeSpan.FromHours(1)), (options.Schedule, options.TimeZone, options.Language, options.LateAfter));
        Assert.Equal(0.35, options.TargetFor("mqlRate")!.Value, 6);
        Assert.Equal(0.5, options.TargetFor("winRate"));
    }

    [Fact]
    public void Bind_BlankSchedule_IsTheDefault()
    {
        Assert.Equal("0 9 * * 1", Bind(("Digest:Schedule", "")).Schedule);
    }

    [Theory]
    [InlineData("Digest:TimeZone", "Mars/Base", "Digest:TimeZone 'Mars/Base' is not a known time zone (use an IANA id such as Asia/Tokyo).")]
    [InlineData("Digest:Language", "fr", "Digest:Language 'fr' is not a language the digest is written in (ja or en).")]
    [InlineData("Digest:LateAfter", "-00:05:00", "Digest:LateAfter '-00:05:00' is negative (a duration such as 00:15:00).")]
    [InlineData("Digest:Targets:mqlRate", "150%", "Digest:Targets:mqlRate '150%' is not a rate (a fraction such as 0.35, or a percentage such as 35%).")]
    [InlineData("Digest:Schedule", "0 0 9 ? * MON", "Digest:Schedule '0 0 9 ? * MON' is a 6-field Quartz cron; the digest now takes a standard 5-field cron (minute hour day-of-month month day-of-week), e.g. '0 9 * * 1'.")]
    public void Bind_UnusableValue_FailsWithALineNamingTheKey(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind((key, value)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Bind_UnparsableCron_FailsNamingTheKeyAndTheFormat()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(("Digest:Schedule", "every monday")));

        Assert.StartsWith("Digest:Schedule 'every monday' is not a standard 5-field cron (minute hour day-of-month month day-of-week), e.g. '0 9 * * 1': ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Start_WithAnUnknownTimeZone_StopsNamingTheKey()
    {
        await using var app = new TheModelApp();
        app.Settings["Digest:TimeZone"] = "Mars/Base";

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains("Digest:TimeZone 'Mars/Base' is not a known time zone", error.Message);
    }
}
