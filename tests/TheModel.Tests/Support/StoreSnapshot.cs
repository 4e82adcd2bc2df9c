using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace TheModel.Tests.Support;

/// <summary>
/// Every row of every table of the store, as text: two snapshots are equal only when nothing was added, removed or
/// changed anywhere (a refused request must leave the store as it found it, not just keep the row counts).
/// </summary>
public static class StoreSnapshot
{
    public static Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TakeAsync(TheModelApp app) =>
        app.WithDbAsync<IReadOnlyDictionary<string, IReadOnlyList<string>>>(async db =>
        {
            var tables = db.Model.GetEntityTypes()
                .Where(e => e.GetTableName() is not null && e.GetViewName() is null)
                .Select(e => e.GetTableName()!)
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                var snapshot = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
                foreach (var table in tables)
                {
                    snapshot[table] = await RowsAsync(connection, table);
                }
                return snapshot;
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

    /// <summary>The tables whose rows differ between two snapshots, with their row counts before → after.</summary>
    public static IReadOnlyList<string> Changes(IReadOnlyDictionary<string, IReadOnlyList<string>> before, IReadOnlyDictionary<string, IReadOnlyList<string>> after) =>
        before.Keys.Union(after.Keys)
            .Where(t => !before.TryGetValue(t, out var b) || !after.TryGetValue(t, out var a) || !b.SequenceEqual(a))
            .Select(t => $"{t}: {before.GetValueOrDefault(t)?.Count ?? 0} → {after.GetValueOrDefault(t)?.Count ?? 0} rows")
            .ToList();

    private static async Task<IReadOnlyList<string>> RowsAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                values[i] = reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }
            rows.Add(string.Join(" | ", values));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
