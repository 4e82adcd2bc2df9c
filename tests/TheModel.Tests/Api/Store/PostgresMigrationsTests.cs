using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>The PostgreSQL migrations against the model, and several instances migrating one database at once.</summary>
public sealed class PostgresMigrationsTests : IDisposable
{
    private readonly List<string> databases = [];

    private string NewDatabase()
    {
        var name = $"themodel_test_{Guid.NewGuid():N}";
        PostgresTestDatabases.Create(TheModelApp.PostgresServer!, name);
        databases.Add(name);
        return name;
    }

    private static DbContextOptions<PostgresTheModelDb> Options(string database, Action<DbContextOptionsBuilder>? more = null)
    {
        var options = new DbContextOptionsBuilder<PostgresTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Postgres, PostgresTestDatabases.ConnectionString(TheModelApp.PostgresServer!, database));
        more?.Invoke(options);
        return options.Options;
    }

    private static TheModelDb Open(string database) => new PostgresTheModelDb(Options(database));

    [PostgresFact]
    public async Task Migrate_FreshPostgresDatabase_GivesExactlyTheModelsSchema()
    {
        var (migrated, created) = (NewDatabase(), NewDatabase());
        await using (var db = Open(migrated))
        {
            await db.Database.MigrateAsync();
            Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        }
        await using (var db = Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }
        var schema = await SchemaAsync(migrated);
        Assert.Equal(await SchemaAsync(created), schema);
        // What the model must carry itself: money as numeric(18,2), the partial and covering indexes.
        Assert.Contains(schema, row => row.StartsWith("index CREATE UNIQUE INDEX \"IX_SlaSteps_HandoffId_Step\"", StringComparison.Ordinal));
        Assert.Contains("column Leads.Amount numeric p18,2 null=YES identity=NO", schema);
        Assert.Contains("column Leads.BantBudget numeric p18,2 null=YES identity=NO", schema);
        Assert.Contains("column Events.Amount numeric p18,2 null=YES identity=NO", schema);
        Assert.Contains("index CREATE INDEX \"IX_Outbox_LockedBy\" ON public.\"Outbox\" USING btree (\"LockedBy\") WHERE (\"LockedBy\" IS NOT NULL)", schema);
        Assert.Contains("index CREATE INDEX \"IX_InboundWork_LockedBy\" ON public.\"InboundWork\" USING btree (\"LockedBy\") WHERE (\"LockedBy\" IS NOT NULL)", schema);
        Assert.Contains(schema, row => row.StartsWith("index CREATE INDEX \"IX_Handoffs_State_NextSlaCheckAt\"", StringComparison.Ordinal)
            && row.EndsWith("WHERE ((\"State\")::text = 'Offered'::text)", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task Migrate_FourInstancesAtOnce_AppliesEachMigrationOnce()
    {
        var database = NewDatabase();
        var applying = new ConcurrentBag<string>();
        var options = Options(database, o => o.LogTo(applying.Add, [RelationalEventId.MigrationApplying]));
        var contexts = Enumerable.Range(0, 4).Select(_ => new PostgresTheModelDb(options)).ToList();
        try
        {
            // Connections open and the model built beforehand, all released at once: the starts really overlap.
            foreach (var db in contexts)
            {
                await db.Database.OpenConnectionAsync();
                _ = db.Model;
            }
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var starts = contexts.Select(db => Task.Run(async () =>
            {
                await go.Task;
                await StoreExtensions.MigrateAsync(db);
            })).ToList();
            go.SetResult();
            await Task.WhenAll(starts);

            // One instance applied each migration under EF's lock; the others waited and found it done.
            var migrations = contexts[0].Database.GetMigrations().ToList();
            Assert.Equal(migrations.Count, applying.Count);
            await using var check = Open(database);
            Assert.Equal(migrations, await check.Database.GetAppliedMigrationsAsync());
            Assert.Equal(migrations.Count,
                await check.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM \"__EFMigrationsHistory\"").SingleAsync());
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
                await StoreExtensions.MigrateAsync(db);
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
            FROM information_schema.columns WHERE table_schema = 'public' AND strpos(table_name, '__EFMigrations') = 0
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND strpos(conrelid::regclass::text, '__EFMigrations') = 0
            UNION ALL
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND strpos(tablename, '__EFMigrations') = 0
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
