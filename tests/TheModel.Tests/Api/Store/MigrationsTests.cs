using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>The EF migrations against the model: none missing (both providers), and what a fresh SQLite file gets.</summary>
public class MigrationsTests : IDisposable
{
    private readonly string migrated = SqliteFiles.NewPath("migrated");
    private readonly string created = SqliteFiles.NewPath("created");

    private static TheModelDb Open(string path) => StoreExtensions.CreateDbContext(StoreProvider.Sqlite, $"Data Source={path}");

    [Theory]
    [InlineData(StoreProvider.Sqlite)]
    [InlineData(StoreProvider.Postgres)]
    public void Migrations_CurrentModel_CoverEveryChange(StoreProvider provider)
    {
        // Comparing the model with the provider's migrations' snapshot needs no database (nor a PostgreSQL server).
        using var db = StoreExtensions.CreateDbContext(provider, provider == StoreProvider.Postgres ? "Host=localhost;Database=none" : "Data Source=:memory:");

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes no {provider} migration covers: add one for each provider (README, \"How to add a migration\").");
    }

    [Fact]
    public async Task Migrate_FreshDatabase_GivesExactlyTheModelsSchema()
    {
        await using (var db = Open(migrated))
        {
            await db.Database.MigrateAsync();
        }
        await using (var db = Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var schema = Schema(migrated);
        Assert.Equal(Schema(created), schema);
        // What the model must carry itself: the partial and covering indexes the queries are planned on (PERFORMANCE.md).
        Assert.Contains("index IX_Outbox_LockedBy: CREATE INDEX \"IX_Outbox_LockedBy\" ON \"Outbox\" (\"LockedBy\") WHERE \"LockedBy\" IS NOT NULL", schema);
        Assert.Contains("index IX_InboundWork_LockedBy: CREATE INDEX \"IX_InboundWork_LockedBy\" ON \"InboundWork\" (\"LockedBy\") WHERE \"LockedBy\" IS NOT NULL", schema);
        Assert.Contains("index IX_Handoffs_State_NextSlaCheckAt: CREATE INDEX \"IX_Handoffs_State_NextSlaCheckAt\" ON \"Handoffs\" (\"State\", \"NextSlaCheckAt\") WHERE \"State\" = 'Offered'", schema);
        Assert.Contains("index IX_Handoffs_Kind_DecidedAt_Covering: CREATE INDEX \"IX_Handoffs_Kind_DecidedAt_Covering\" ON \"Handoffs\" " +
            "(\"Kind\", \"DecidedAt\", \"State\", \"DeadlineAt\", \"ResponseBusinessHours\", \"ResponseWallHours\", \"RejectReason\")", schema);
        Assert.Equal(38, schema.Count(row => row.StartsWith("index ", StringComparison.Ordinal)));
        Assert.Equal(17, schema.Count(row => row.StartsWith("table ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Migrate_Twice_AppliesEachMigrationOnce()
    {
        await using var db = Open(migrated);
        await db.Database.MigrateAsync();
        await db.Database.MigrateAsync();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Migrate_FourInstancesAtOnce_AppliesEachMigrationOnce()
    {
        var applying = new ConcurrentBag<string>();
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={migrated}");
        options.LogTo(applying.Add, [RelationalEventId.MigrationApplying]);
        var contexts = Enumerable.Range(0, 4).Select(_ => new SqliteTheModelDb(options.Options)).ToList();
        try
        {
            // The model built beforehand, all released at once: the starts really overlap.
            contexts.ForEach(db => _ = db.Model);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var starts = contexts.Select(db => Task.Run(async () =>
            {
                await go.Task;
                await db.Database.MigrateAsync();
            })).ToList();
            go.SetResult();
            await Task.WhenAll(starts);

            // One instance applied each migration under EF's lock (__EFMigrationsLock); the others found it done.
            Assert.Equal(contexts[0].Database.GetMigrations().Count(), applying.Count);
            Assert.Equal(contexts[0].Database.GetMigrations(), await contexts[0].Database.GetAppliedMigrationsAsync());
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    private static List<string> Schema(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master " +
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY type, name";
        var rows = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(Normalize(reader.GetString(0)));
        }
        return rows;
    }

    // SQLite keeps ALTER TABLE ADD COLUMN's text as written ("… NOT NULL , \"Role\" …)"): spaces before , and ) say nothing.
    private static string Normalize(string sql) => string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
        .Replace(" ,", ",", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal);

    public void Dispose()
    {
        SqliteFiles.Delete(migrated, created);
        GC.SuppressFinalize(this);
    }
}
