using Microsoft.Extensions.DependencyInjection;
using TheModel.Bot.Backup;
using TheModel.Bot.Jobs;
using TheModel.Tests.Bot.Jobs;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Backup;

/// <summary>The daily backup on the fake clock, into a temp folder; Asia/Tokyo (UTC+9) is the calendar's zone.</summary>
public class BackupJobTests : IDisposable
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private readonly string folder = Directory.CreateTempSubdirectory("themodel-backups-").FullName;

    /// <summary>2026-11-16 02:00 in Tokyo: an hour before the default 03:00.</summary>
    private static readonly DateTimeOffset Start = new(2026, 11, 15, 17, 0, 0, TimeSpan.Zero);

    private TheModelApp App(int keep)
    {
        var app = new TheModelApp(new FakeClock(Start));
        app.Settings["Calendar:TimeZone"] = "Asia/Tokyo";
        app.Settings["Backup:Directory"] = folder;
        app.Settings["Backup:Keep"] = keep.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return app;
    }

    private string[] Files() => Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray()!;

    [SqliteOnlyFact("copies the SQLite file")]
    public async Task Run_DailyForFourDays_KeepsTheLastTwo_AndLeavesOtherFilesAlone()
    {
        await using var app = App(keep: 2);
        var job = app.Services.GetRequiredService<BackupJob>();
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not ours");
        await File.WriteAllTextAsync(Path.Combine(folder, "themodel-handmade.db"), "not ours either");

        // First start: yesterday's 03:00 is owed, so a copy is made at once; then nothing until today's 03:00.
        Assert.NotNull(await job.RunAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Null(await job.RunAsync());
        for (var day = 0; day < 3; day++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(day == 0 ? 1 : 0));
            Assert.NotNull(await job.RunAsync());
            Assert.Null(await job.RunAsync());
            app.Clock.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(["notes.txt", "themodel-20261116T180000Z.db", "themodel-20261117T180000Z.db", "themodel-handmade.db"], Files());
        Assert.Equal(
            BackupCommandTests.RowCounts(app.DatabasePath),
            BackupCommandTests.RowCounts(Path.Combine(folder, "themodel-20261117T180000Z.db")));
    }

    [SqliteOnlyFact("copies the SQLite file")]
    public async Task Tick_OnCoravelsSchedule_WritesTheOwedCopyOnce()
    {
        await using var app = App(keep: 3);
        app.CreateClient();
        var (scheduler, _) = SlaSweepJobTests.ScheduledJobs(app, TimeSpan.FromHours(1));

        await SlaSweepJobTests.TickAsync(app, scheduler);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SlaSweepJobTests.TickAsync(app, scheduler);

        Assert.Equal(["themodel-20261115T170000Z.db"], Files());
    }

    [Fact]
    public async Task Run_WithoutDirectory_DoesNothing()
    {
        await using var app = new TheModelApp(new FakeClock(Start));

        Assert.Null(await app.Services.GetRequiredService<BackupJob>().RunAsync());
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Theory]
    [InlineData("2026-11-15T17:59:00Z", "2026-11-14T18:00:00Z")] // 02:59 in Tokyo: yesterday's 03:00
    [InlineData("2026-11-15T18:00:00Z", "2026-11-15T18:00:00Z")] // 03:00 exactly
    [InlineData("2026-11-16T12:00:00Z", "2026-11-15T18:00:00Z")]
    public void LastDue_IsTheMostRecentTimeOfDayInTheCalendarsZone(string now, string expected)
    {
        var due = BackupJob.LastDue(DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal), new TimeOnly(3, 0), Tokyo);

        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), due);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task Start_KeepBelowOneWithADirectory_StopsWithTheKeysName(string keep)
    {
        await using var app = new TheModelApp();
        app.Settings["Backup:Directory"] = folder;
        app.Settings["Backup:Keep"] = keep;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains($"Backup:Keep must be at least 1 (was {keep})", error.ToString());
    }

    public void Dispose()
    {
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
