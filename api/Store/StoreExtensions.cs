using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Store;

public static class StoreExtensions
{
    public const string ConnectionName = "TheModel";
    public const string DefaultSqlite = "Data Source=themodel.db";

    /// <summary>Registers <see cref="TheModelDb"/> on SQLite (default) or PostgreSQL (<c>Store:Provider=Postgres</c>).</summary>
    public static IHostApplicationBuilder AddTheModelStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section)
            .Validate(o => o.Kind is not null, StoreOptions.ProviderError)
            // The binder takes a number as well as a name ("2"), so the value is checked, not only converted.
            .Validate(o => Enum.IsDefined(o.SqliteSynchronous), StoreOptions.SqliteSynchronousError).ValidateOnStart();
        // The provider decides what to register, so it is needed now, before there is a container to validate options.
        // An unknown one is registered as SQLite only so that the container builds: the start's settings check refuses it
        // (one line naming the key) before anything opens the store.
        var provider = builder.Configuration.Peek<StoreOptions>(StoreOptions.Section).Kind ?? StoreProvider.Sqlite;
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        builder.Services.AddSingleton<Outbox.OutboxSignal>();
        builder.Services.AddSingleton<SqliteWriters>();
        if (provider == StoreProvider.Postgres)
        {
            AddPool<PostgresTheModelDb>(builder.Services, provider, connectionString);
            return builder;
        }
        AddPool<SqliteTheModelDb>(builder.Services, provider, connectionString);
        builder.Services.AddHostedService(sp => new SqliteCheckpointer(connectionString ?? DefaultSqlite,
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SqliteCheckpointer>>()));
        return builder;
    }

    // Pooled: setting a context up (its options, EF's internal services) costs more than a query, and every request
    // and worker round takes one. A context goes back to the pool with its change tracker cleared and its SavedChanges
    // handlers dropped (what CacheUntilSaved relies on); TheModelDb forgets its own (untracked rows, flags) on Dispose.
    // The app asks for TheModelDb; the pool hands out the provider's own type, whose migrations EF applies.
    private static void AddPool<TContext>(IServiceCollection services, StoreProvider provider, string? connectionString)
        where TContext : TheModelDb =>
        services.AddDbContextPool<TheModelDb, TContext>((sp, options) =>
        {
            Configure(options, provider, connectionString, sp.GetRequiredService<IOptions<StoreOptions>>().Value.SqliteSynchronous,
                sp.GetRequiredService<SqliteWriters>());
            options.AddInterceptors(new Outbox.OutboxSignalInterceptor(sp.GetRequiredService<Outbox.OutboxSignal>()));
        });

    /// <summary>A context outside the container (tools, tests), configured as the bot configures it, of the provider's type.</summary>
    public static TheModelDb CreateDbContext(StoreProvider provider, string? connectionString,
        SqliteSynchronous synchronous = SqliteSynchronous.Full)
    {
        if (provider == StoreProvider.Postgres)
        {
            var postgres = new DbContextOptionsBuilder<PostgresTheModelDb>();
            Configure(postgres, provider, connectionString);
            return new PostgresTheModelDb(postgres.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteTheModelDb>();
        Configure(sqlite, provider, connectionString, synchronous);
        return new SqliteTheModelDb(sqlite.Options);
    }

    /// <summary>
    /// Points <paramref name="options"/> at the store; on SQLite, <paramref name="writers"/> are the host's writers whose
    /// turns the saves take (see <see cref="SqliteWritersExtension"/>).
    /// </summary>
    public static void Configure(DbContextOptionsBuilder options, StoreProvider provider, string? connectionString,
        SqliteSynchronous synchronous = SqliteSynchronous.Full, SqliteWriters? writers = null)
    {
        // A unique-key or concurrency refusal is how two requests or instances settle a race (a Slack retry, a double
        // click), not an error: the code that saves logs what matters, so EF's own lines drop to Information.
        options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, Microsoft.Extensions.Logging.LogLevel.Information),
            (RelationalEventId.CommandError, Microsoft.Extensions.Logging.LogLevel.Information)));
        if (provider == StoreProvider.Postgres)
        {
            UsePostgres(options, connectionString);
            return;
        }
        options.UseSqlite(connectionString ?? DefaultSqlite)
            .AddInterceptors(SqlitePragmas.For(synchronous))
            .ReplaceService<Microsoft.EntityFrameworkCore.Storage.IDatabase, SqliteBulkInsertDatabase>();
        if (writers is not null)
        {
            ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new SqliteWritersExtension(writers));
        }
    }

    /// <summary>Its own method, so that a bot on SQLite never loads the PostgreSQL provider's assemblies.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UsePostgres(DbContextOptionsBuilder options, string? connectionString) =>
        options.UseNpgsql(connectionString ?? throw new InvalidOperationException(
            "Store:Provider=Postgres needs ConnectionStrings:TheModel."));

    /// <summary>
    /// Applies the provider's EF migrations (creating the database if needed), seeds the departments and turns on WAL.
    /// EF holds its own migration lock meanwhile (a lock row in <c>__EFMigrationsLock</c> on SQLite, a table lock on
    /// PostgreSQL): of several instances starting together one migrates, the others wait and find nothing to do.
    /// </summary>
    public static async Task MigrateTheModelStoreAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        // A wrong Store:Provider stops here, before any database is touched.
        _ = services.GetRequiredService<IOptions<StoreOptions>>().Value;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        await MigrateAsync(db, ct);
        await People.DepartmentsApi.EnsureDepartmentsAsync(db, (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow().UtcDateTime, ct);
        if (db.Database.IsSqlite())
        {
            // WAL is a property of the database file: set once, it stays.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }
    /// <summary>
    /// Applies the provider's pending migrations under EF's migration lock. On PostgreSQL that lock lives in each
    /// migration's transaction and is let go between migrations: instances started together with several migrations
    /// pending were seen applying the same one twice ("relation already exists"). A session advisory lock around the
    /// whole run makes the others wait and then find nothing to do.
    /// </summary>
    public static Task MigrateAsync(TheModelDb db, CancellationToken ct = default) =>
        db is PostgresTheModelDb ? MigratePostgresAsync(db, ct) : db.Database.MigrateAsync(ct);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static async Task MigratePostgresAsync(TheModelDb db, CancellationToken ct)
    {
        const long MigrationLock = 4242001;
        var creator = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>(db);
        if (!await creator.ExistsAsync(ct))
        {
            try
            {
                await creator.CreateAsync(ct);
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance created it first.
            }
        }
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({MigrationLock})", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// Per-connection SQLite settings: wait for a lock instead of failing at once; sync the log as
/// <c>Store:SqliteSynchronous</c> says. Applied once per physical connection: EF opens a pooled connection for every
/// query, and the settings stay with the connection's native handle.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private static readonly SqlitePragmas Full = new("FULL");
    private static readonly SqlitePragmas Normal = new("NORMAL");

    private readonly string pragmas;

    private SqlitePragmas(string synchronous) =>
        // The log is checkpointed in the background (SqliteCheckpointer); SQLite's own threshold is a backstop only.
        pragmas = $"PRAGMA busy_timeout=10000; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint=16384;";

    public static SqlitePragmas For(SqliteSynchronous synchronous) => synchronous == SqliteSynchronous.Normal ? Normal : Full;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Applied = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        // Keyed by what was applied: a pooled connection first opened by a context of the other synchronous level (a
        // tool beside the bot on one file) is set again.
        if (connection is not SqliteConnection { Handle: { } handle } || (Applied.TryGetValue(handle, out var applied) && ReferenceEquals(applied, this)))
        {
            return;
        }
        Applied.AddOrUpdate(handle, this);
        using var command = connection.CreateCommand();
        command.CommandText = pragmas;
        command.ExecuteNonQuery();
    }
}
