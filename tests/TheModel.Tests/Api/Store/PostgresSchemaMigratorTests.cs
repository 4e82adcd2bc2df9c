using Microsoft.EntityFrameworkCore;
using Npgsql;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>The PostgreSQL script against the model, and several instances migrating one database at once.</summary>
public sealed class PostgresSchemaMigratorTests : IDisposable
{
    private readonly List<string> databases = [];

    private string NewDatabase()
    {
        var name = $"themodel_test_{Guid.NewGuid():N}";
        PostgresTestDatabases.Create(TheModelApp.PostgresServer!, name);
        databases.Add(name);
        return name;
    }

    private static TheModelDb Open(string database)
    {
        var options = new DbContextOptionsBuilder<TheModelDb>();
        StoreExtensions.Configure(options, "Postgres", PostgresTestDatabases.ConnectionString(TheModelApp.PostgresServer!, database));
        return new TheModelDb(options.Options);
    }

    [PostgresFact]
    public async Task Migrate_FreshPostgresDatabase_GivesExactlyTheModelsSchema()
    {
        var (migrated, created) = (NewDatabase(), NewDatabase());
        await using (var db = Open(migrated))
        {
            Assert.NotEmpty(await SchemaMigrator.MigrateAsync(db));
        }
        await using (var db = Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }
        // If this fails, the EF model changed without regenerating Migrations/Postgres/0001_initial.sql (see COMMON.md).
        var schema = await SchemaAsync(migrated);
        Assert.Contains(schema, row => row.StartsWith("index CREATE UNIQUE INDEX \"IX_SlaSteps_HandoffId_Step\"", StringComparison.Ordinal));
        Assert.Equal(await SchemaAsync(created), schema);
    }

    [PostgresFact]
    public async Task Migrate_FourInstancesAtOnce_AppliesEachScriptOnce()
    {
        var database = NewDatabase();
        var contexts = Enumerable.Range(0, 4).Select(_ => Open(database)).ToList();
        try
        {
            var applied = await Task.WhenAll(contexts.Select(db => Task.Run(() => SchemaMigrator.MigrateAsync(db))));

            // One instance applied everything under the advisory lock; the others found it done.
            Assert.Equal(SchemaMigrator.Scripts("Postgres").Select(s => s.Id), applied.SelectMany(a => a).OrderBy(id => id, StringComparer.Ordinal));
            Assert.Single(applied, a => a.Count > 0);
            await using var check = Open(database);
            Assert.Equal(SchemaMigrator.Scripts("Postgres").Count,
                await check.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM __schema_migrations").SingleAsync());
        }
        finally
        {
            foreach (var db in contexts)
            {
                await db.DisposeAsync();
            }
        }
    }

    [PostgresFact]
    public async Task StartUp_EightInstancesAtOnce_CreateTheFourDepartmentsOnce()
    {
        // A few fresh databases, since one overlap may by chance not interleave.
        for (var round = 0; round < 5; round++)
        {
            var database = NewDatabase();
            await using (var db = Open(database))
            {
                await SchemaMigrator.MigrateAsync(db);
            }
            var contexts = Enumerable.Range(0, 8).Select(_ => Open(database)).ToList();
            try
            {
                // Connections open and the model built beforehand, all released at once: the starts really overlap.
                foreach (var db in contexts)
                {
                    await db.Database.OpenConnectionAsync();
                    _ = db.Model;
                }
                var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var now = new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);
                var starts = contexts.Select(db => Task.Run(async () =>
                {
                    await go.Task;
                    await TheModel.Api.People.DepartmentsApi.EnsureDepartmentsAsync(db, now);
                })).ToList();
                go.SetResult();
                await Task.WhenAll(starts);

                await using var check = Open(database);
                Assert.Equal(4, await check.Departments.CountAsync());
            }
            finally
            {
                foreach (var db in contexts)
                {
                    await db.DisposeAsync();
                }
            }
        }
    }

    /// <summary>Tables, columns (type, length, precision, nullability, identity), constraints and indexes, as text.</summary>
    private static async Task<List<string>> SchemaAsync(string database)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabases.ConnectionString(TheModelApp.PostgresServer!, database));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || coalesce(' p' || numeric_precision || ',' || numeric_scale, '') || ' null=' || is_nullable || ' identity=' || is_identity
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__schema_migrations'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '__schema_migrations'
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__schema_migrations'
            ORDER BY 1
            """;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    public void Dispose()
    {
        foreach (var database in databases)
        {
            PostgresTestDatabases.Drop(TheModelApp.PostgresServer!, database);
        }
    }
}
