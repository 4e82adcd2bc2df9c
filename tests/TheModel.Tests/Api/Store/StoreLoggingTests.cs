using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Common;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

public class StoreLoggingTests : IDisposable
{
    private readonly string path = SqliteFiles.NewPath("logging");

    [Fact]
    public async Task LostUniqueKeyRace_IsNotAnErrorInTheLog_ButEfStillSaysWhatFailedAtInformation()
    {
        var capture = new LogCapture();
        using var loggers = capture.Factory();
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={path}");
        options.UseLoggerFactory(loggers);
        await using (var first = new SqliteTheModelDb(options.Options))
        {
            await first.Database.MigrateAsync();
            first.Outbox.Add(Row());
            await first.SaveChangesAsync();
        }
        capture.Clear();

        await using var second = new SqliteTheModelDb(options.Options);
        second.Outbox.Add(Row());
        var lost = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.True(lost.IsUniqueViolation());
        Assert.DoesNotContain(capture.Entries, e => e.Level >= LogLevel.Error);
        Assert.Contains(capture.Entries, e => e.Level == LogLevel.Information && e.Category.StartsWith("Microsoft.EntityFrameworkCore.Update", StringComparison.Ordinal));
        Assert.Contains(capture.Entries, e => e.Level == LogLevel.Information && e.Category == "Microsoft.EntityFrameworkCore.Database.Command");
    }

    private static OutboxMessage Row() => new()
    {
        Channel = OutboxChannels.Slack, Target = "C1", Kind = OutboxKinds.ChatReply, DedupeKey = "reply:1",
        CreatedAt = new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc), NextAttemptAt = new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc),
    };

    public void Dispose()
    {
        SqliteFiles.Delete(path);
        GC.SuppressFinalize(this);
    }
}
