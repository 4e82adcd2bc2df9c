using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TheModel.Api.Store;

/// <summary>
/// Copies the SQLite write-ahead log back into the database file in the background (a passive checkpoint, which never
/// waits for or blocks a writer), several times a second. Left to SQLite, the commit that crosses the log's threshold
/// does the copying and the file sync itself, inside the one writer's turn that every other commit queues behind.
/// SQLite's own threshold stays as a backstop (<see cref="SqlitePragmas"/>) for processes that run no host.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(250);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckpointAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One passive checkpoint. A failure is logged, never thrown: the next tick tries again.</summary>
    internal async Task CheckpointAsync(CancellationToken ct)
    {
        try
        {
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (SqliteException ex)
        {
            // SQLite's own threshold keeps the log bounded meanwhile.
            logger.LogWarning("SQLite checkpoint failed: {Error}", ex.Message);
        }
    }
}
