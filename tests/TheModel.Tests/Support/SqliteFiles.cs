using Microsoft.Data.Sqlite;

namespace TheModel.Tests.Support;

/// <summary>Throw-away SQLite database files of the tests.</summary>
internal static class SqliteFiles
{
    /// <summary>A fresh path in the temp folder; nothing is created.</summary>
    public static string NewPath(string purpose) => Path.Combine(Path.GetTempPath(), $"themodel-{purpose}-{Guid.NewGuid():N}.db");

    /// <summary>Closes the pooled connections, then deletes each database file with its WAL and shared-memory files.</summary>
    public static void Delete(params IEnumerable<string> paths)
    {
        SqliteConnection.ClearAllPools();
        foreach (var path in paths)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                try
                {
                    File.Delete(path + suffix);
                }
                catch (IOException)
                {
                    // Teardown: a file still held by a late handle is left to the temp folder, not a failed test.
                }
            }
        }
    }
}
