using Microsoft.EntityFrameworkCore;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

public class SqlitePragmasTests : IDisposable
{
    private readonly string path = SqliteFiles.NewPath("pragmas");

    [Fact]
    public async Task Query_OnPooledConnectionOpenedAgain_KeepsLockWaitSyncAndForeignKeys()
    {
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={path}");
        // Several units of work in turn: the later ones get the pooled connection the first one set up.
        for (var i = 0; i < 3; i++)
        {
            await using var db = new SqliteTheModelDb(options.Options);
            Assert.Equal(10000L, await PragmaAsync(db, "busy_timeout"));
            Assert.Equal(1L, await PragmaAsync(db, "synchronous"));
            Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
        }
    }

    private static async Task<long> PragmaAsync(TheModelDb db, string name)
    {
        // One EF-opened connection per read, as queries get them.
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = $"PRAGMA {name};";
            return (long)(await command.ExecuteScalarAsync())!;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public void Dispose()
    {
        SqliteFiles.Delete(path);
        GC.SuppressFinalize(this);
    }
}
