using Microsoft.EntityFrameworkCore;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

public class SqlitePragmasTests : IDisposable
{
    private readonly string path = SqliteFiles.NewPath("pragmas");

    [Fact]
    public async Task Query_OnPooledConnectionOpenedAgain_KeepsLockWaitFullSyncAndForeignKeys()
    {
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={path}");
        // Several units of work in turn: the later ones get the pooled connection the first one set up.
        for (var i = 0; i < 3; i++)
        {
            await using var db = new SqliteTheModelDb(options.Options);
            Assert.Equal(10000L, await PragmaAsync(db, "busy_timeout"));
            Assert.Equal(2L, await PragmaAsync(db, "synchronous")); // FULL
            Assert.Equal(1L, await PragmaAsync(db, "foreign_keys"));
        }
    }

    [SqliteOnlyFact("PRAGMA synchronous is SQLite's")]
    public async Task AppContext_ByDefault_SyncsFull()
    {
        await using var app = new TheModelApp(databasePath: path);

        Assert.Equal(2L, await app.WithDbAsync(db => PragmaAsync(db, "synchronous")));
    }

    [SqliteOnlyFact("PRAGMA synchronous is SQLite's")]
    public async Task AppContext_WithSqliteSynchronousNormal_SyncsNormal()
    {
        await using var app = new TheModelApp(databasePath: path);
        app.Settings["Store:SqliteSynchronous"] = "Normal";

        Assert.Equal(1L, await app.WithDbAsync(db => PragmaAsync(db, "synchronous")));
    }

    [Fact]
    public async Task PooledConnection_OpenedByTheOtherLevel_IsSetAgain()
    {
        var normal = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(normal, StoreProvider.Sqlite, $"Data Source={path}", SqliteSynchronous.Normal);
        await using (var db = new SqliteTheModelDb(normal.Options))
        {
            Assert.Equal(1L, await PragmaAsync(db, "synchronous"));
        }

        await using var full = StoreExtensions.CreateDbContext(StoreProvider.Sqlite, $"Data Source={path}");
        Assert.Equal(2L, await PragmaAsync(full, "synchronous"));
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
