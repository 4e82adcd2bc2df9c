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

        var logger = new RecordingLogger();
        await new SqliteCheckpointer(connectionString, TimeProvider.System, logger).CheckpointAsync(CancellationToken.None);

        Assert.True(new FileInfo(path).Length > 1_000_000, $"the database file should hold the rows now ({new FileInfo(path).Length} bytes)");
        Assert.Empty(logger.Messages);
        Assert.Equal(64L, await ScalarAsync(writer, "SELECT count(*) FROM t;"));
    }

    [Fact]
    public async Task Checkpoint_WhenTheFileCannotBeOpened_LogsAWarningAndDoesNotThrow()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"themodel-missing-{Guid.NewGuid():N}", "bot.db");
        var logger = new RecordingLogger();

        await new SqliteCheckpointer($"Data Source={missing};Mode=ReadWrite", TimeProvider.System, logger).CheckpointAsync(CancellationToken.None);

        var (level, message) = Assert.Single(logger.Messages);
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

    private sealed class RecordingLogger : ILogger<SqliteCheckpointer>
    {
        public List<(LogLevel Level, string Message)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
