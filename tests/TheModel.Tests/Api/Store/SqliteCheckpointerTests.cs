using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

public class SqliteCheckpointerTests : IDisposable
{
    private readonly string path = SqliteFiles.NewPath("checkpoint");

    [Fact]
    public async Task Checkpoint_CopiesWhatIsCommittedInTheLogIntoTheDatabaseFile_WhileAConnectionStaysOpen()
    {
        var connectionString = $"Data Source={path};Pooling=False";
        // Held open all along: the last connection to close would checkpoint by itself.
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        await ExecAsync(writer, "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB);");
        for (var i = 0; i < 64; i++)
        {
            await ExecAsync(writer, "INSERT INTO t (body) VALUES (zeroblob(16384));");
        }
        var before = new FileInfo(path).Length;
        Assert.True(new FileInfo(path + "-wal").Length > 1_000_000, "the rows should be in the log");
        Assert.True(before < 100_000, $"the database file should not hold the rows yet ({before} bytes)");

        var log = new LogCapture();
        using var loggers = log.Factory();
        await new SqliteCheckpointer(connectionString, TimeProvider.System, loggers.CreateLogger<SqliteCheckpointer>()).CheckpointAsync(CancellationToken.None);

        Assert.True(new FileInfo(path).Length > 1_000_000, $"the database file should hold the rows now ({new FileInfo(path).Length} bytes)");
        Assert.Empty(log.Entries);
        Assert.Equal(64L, await ScalarAsync(writer, "SELECT count(*) FROM t;"));
    }

    [Fact]
    public async Task Checkpoint_WhenTheFileCannotBeOpened_LogsAWarningAndDoesNotThrow()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"themodel-missing-{Guid.NewGuid():N}", "bot.db");
        var log = new LogCapture();
        using var loggers = log.Factory();

        await new SqliteCheckpointer($"Data Source={missing};Mode=ReadWrite", TimeProvider.System, loggers.CreateLogger<SqliteCheckpointer>())
            .CheckpointAsync(CancellationToken.None);

        var (_, level, message) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.StartsWith("SQLite checkpoint failed", message);
    }

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteFiles.Delete(path);
        GC.SuppressFinalize(this);
    }
}
