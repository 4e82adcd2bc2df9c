using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

public class SchemaMigratorTests : IDisposable
{
    private readonly string migrated = SqliteFiles.NewPath("migrated");
    private readonly string created = SqliteFiles.NewPath("created");

    private static TheModelDb Open(string path)
    {
        var options = new DbContextOptionsBuilder<TheModelDb>();
        StoreExtensions.Configure(options, "Sqlite", $"Data Source={path}");
        return new TheModelDb(options.Options);
    }

    [Fact]
    public async Task Migrate_FreshDatabase_GivesExactlyTheModelsSchema()
    {
        await using (var db = Open(migrated))
        {
            await SchemaMigrator.MigrateAsync(db);
        }
        await using (var db = Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }
        // If this fails, the EF model changed without a migration script: see SchemaMigrator's summary.
        Assert.Equal(Schema(created), Schema(migrated));
    }

    [Fact]
    public async Task Migrate_Twice_AppliesEachScriptOnce()
    {
        await using var db = Open(migrated);
        var first = await SchemaMigrator.MigrateAsync(db);
        var second = await SchemaMigrator.MigrateAsync(db);
        Assert.NotEmpty(first);
        Assert.Empty(second);
    }

    private static List<string> Schema(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT type || ' ' || name || ': ' || sql FROM sqlite_master " +
            "WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name <> '__schema_migrations' ORDER BY type, name";
        var rows = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(Normalize(reader.GetString(0)));
        }
        return rows;
    }

    private static string Normalize(string sql) => string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));

    public void Dispose()
    {
        SqliteFiles.Delete(migrated, created);
        GC.SuppressFinalize(this);
    }
}
