using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TheModel.Api.Store;

/// <summary><see cref="TheModelDb"/> on SQLite; its migrations are in <c>Store/Migrations/Sqlite</c>.</summary>
public sealed class SqliteTheModelDb(DbContextOptions<SqliteTheModelDb> options) : TheModelDb(options);

/// <summary><see cref="TheModelDb"/> on PostgreSQL; its migrations are in <c>Store/Migrations/Postgres</c>.</summary>
public sealed class PostgresTheModelDb(DbContextOptions<PostgresTheModelDb> options) : TheModelDb(options);

/// <summary>
/// What <c>dotnet ef</c> creates for <c>--context SqliteTheModelDb</c>: configured as the bot configures it, whatever
/// <c>Store:Provider</c> says. <c>migrations add</c> needs no database; commands that read one take <c>--connection</c>.
/// </summary>
internal sealed class SqliteTheModelDbFactory : IDesignTimeDbContextFactory<SqliteTheModelDb>
{
    public SqliteTheModelDb CreateDbContext(string[] args) => (SqliteTheModelDb)StoreExtensions.CreateDbContext(StoreProvider.Sqlite, null);
}

/// <summary>What <c>dotnet ef</c> creates for <c>--context PostgresTheModelDb</c>; no server needed to add a migration.</summary>
internal sealed class PostgresTheModelDbFactory : IDesignTimeDbContextFactory<PostgresTheModelDb>
{
    public PostgresTheModelDb CreateDbContext(string[] args) =>
        (PostgresTheModelDb)StoreExtensions.CreateDbContext(StoreProvider.Postgres, "Host=localhost;Database=themodel");
}
