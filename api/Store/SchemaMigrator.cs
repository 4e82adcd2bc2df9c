using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace TheModel.Api.Store;

/// <summary>
/// Applies the numbered SQL migrations embedded under <c>Store/Migrations/{Provider}/NNNN_name.sql</c>, once each,
/// in order, recording them in <c>__schema_migrations</c>. Scripts are generated from the model
/// (<c>dotnet run --project bot -- --schema-script sqlite|postgres</c> prints the full create script) and reviewed;
/// EF's design-time package cannot be restored from our registry, so this replaces <c>dotnet ef migrations</c>.
/// On PostgreSQL an advisory lock keeps two starting instances from migrating at once.
/// </summary>
public static class SchemaMigrator
{
    public static IReadOnlyList<(string Id, string Sql)> Scripts(string provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"TheModel.Api.Store.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (n[prefix.Length..^4], Read(assembly, n)))
            .ToList();
    }

    public static async Task<IReadOnlyList<string>> MigrateAsync(TheModelDb db, CancellationToken ct = default)
    {
        var postgres = db.Database.IsNpgsql();
        var provider = postgres ? "Postgres" : "Sqlite";
        var applied = new List<string>();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(4242001);", ct);
            }
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TABLE IF NOT EXISTS __schema_migrations (id VARCHAR(200) NOT NULL PRIMARY KEY, applied_at VARCHAR(40) NOT NULL);", ct);
            var done = await db.Database.SqlQueryRaw<string>("SELECT id AS \"Value\" FROM __schema_migrations").ToListAsync(ct);
            foreach (var (id, sql) in Scripts(provider))
            {
                if (done.Contains(id))
                {
                    continue;
                }
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await db.Database.ExecuteSqlRawAsync(sql.Replace("{", "{{").Replace("}", "}}"), ct);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO __schema_migrations (id, applied_at) VALUES ({0}, {1});", [id, DateTime.UtcNow.ToString("O")], ct);
                await tx.CommitAsync(ct);
                applied.Add(id);
            }
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(4242001);", ct);
            }
            await db.Database.CloseConnectionAsync();
        }
        return applied;
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
