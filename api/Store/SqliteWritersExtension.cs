using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace TheModel.Api.Store;

/// <summary>
/// Carries the host's <see cref="SqliteWriters"/> in a SQLite context's options, where the save path
/// (<see cref="SqliteBulkInsertDatabase"/>, <see cref="TheModelDb.WriteAsync"/>) finds it. It adds no services, so
/// contexts of every host share one EF internal service provider. A context without it (one built by hand by a
/// tool or a test) writes without taking a turn; SQLite's busy timeout then orders its writers.
/// </summary>
internal sealed class SqliteWritersExtension(SqliteWriters writers) : IDbContextOptionsExtension
{
    public SqliteWriters Writers { get; } = writers;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    /// <summary>The writer for <paramref name="connectionString"/> of the host whose context has <paramref name="options"/>, or null (see above).</summary>
    public static SqliteWriter? For(IDbContextOptions options, string? connectionString) =>
        options.FindExtension<SqliteWritersExtension>()?.Writers.For(connectionString ?? "");

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "";

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
        }
    }
}
