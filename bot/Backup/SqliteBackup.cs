using Microsoft.Data.Sqlite;

namespace TheModel.Bot.Backup;

/// <summary>
/// A consistent copy of a SQLite store, taken while the bot runs: <c>VACUUM INTO</c> reads one snapshot (under WAL,
/// writers go on meanwhile) and writes it compacted to a new file. The copy is written beside the target under a
/// temporary name and renamed when complete, so a file of the target's name is always a whole backup.
/// </summary>
public static class SqliteBackup
{
    public sealed record Written(string Path, long Bytes);

    /// <summary>Writes the copy; <see cref="BackupRefusedException"/> (one line saying why) when it cannot.</summary>
    public static async Task<Written> WriteAsync(string connectionString, string target, CancellationToken ct = default)
    {
        var source = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(source.DataSource) || source.DataSource == ":memory:" || source.Mode == SqliteOpenMode.Memory)
        {
            throw new BackupRefusedException("the store is an in-memory database: there is no file to back up.");
        }
        var sourcePath = Path.GetFullPath(source.DataSource);
        if (!File.Exists(sourcePath))
        {
            throw new BackupRefusedException($"there is no store at {sourcePath} (ConnectionStrings:TheModel).");
        }
        var targetPath = Path.GetFullPath(target);
        // A backup never replaces a file: it may be the previous backup, or the store itself.
        if (File.Exists(targetPath) || Directory.Exists(targetPath))
        {
            throw new BackupRefusedException($"{targetPath} already exists; name a new file.");
        }
        var directory = Path.GetDirectoryName(targetPath)!;
        if (!Directory.Exists(directory))
        {
            throw new BackupRefusedException($"the folder {directory} does not exist.");
        }
        var partial = Path.Combine(directory, $".{Path.GetFileName(targetPath)}.{Guid.NewGuid():N}.partial");
        try
        {
            // ReadWrite, not ReadWriteCreate: a wrong path must not leave an empty database behind. No pooling: the
            // connection is the backup's alone, and closing it lets go of the file.
            source.Mode = SqliteOpenMode.ReadWrite;
            source.Pooling = false;
            await using (var connection = new SqliteConnection(source.ConnectionString))
            {
                await connection.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA busy_timeout=10000; VACUUM INTO $target;";
                command.Parameters.AddWithValue("$target", partial);
                // Minutes for a large store are fine: nothing waits on it (readers and writers go on under WAL).
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct);
            }
            File.Move(partial, targetPath, overwrite: false);
            return new Written(targetPath, new FileInfo(targetPath).Length);
        }
        catch (SqliteException ex)
        {
            throw new BackupRefusedException($"SQLite could not copy {sourcePath}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupRefusedException($"could not write {targetPath}: {ex.Message}");
        }
        finally
        {
            File.Delete(partial);
        }
    }
}

/// <summary>A backup that was not written; the message is one line for the operator.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);
