using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Common;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Benchmarks;

/// <summary>
/// The measured operations, shared by the BenchmarkDotNet classes and the smoke run: a quarter's figures through
/// <see cref="IKpiQueries"/>, the same aggregates as hand-written SQL on the same file, the SLA sweep, and batch intake.
/// </summary>
public sealed class Scenarios : IAsyncDisposable
{
    private readonly IHost host;
    private readonly SqliteConnection raw;

    private Scenarios(IHost host, SqliteConnection raw, string path)
    {
        this.host = host;
        this.raw = raw;
        Path = path;
        var end = DateTime.UtcNow;
        // The latest full quarter of the generated two years (leads are spread evenly, so every quarter is alike).
        Quarter = new Period(end.AddDays(-120).Date, end.AddDays(-29).Date, "bench-quarter");
    }

    public string Path { get; }
    public Period Quarter { get; }
    public IServiceProvider Services => host.Services;

    public static async Task<Scenarios> OpenAsync(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No benchmark database at {path}: run the `generate` command first.", path);
        }
        var host = await DomainHost.StartAsync(path, migrate: false);
        var raw = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        await raw.OpenAsync();
        return new Scenarios(host, raw, path);
    }

    public async Task<FunnelReport> FunnelAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IKpiQueries>().FunnelAsync(Quarter);
    }

    public async Task<KpiReport> KpisAsync()
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IKpiQueries>().KpisAsync(Quarter, null);
    }

    /// <summary>The funnel's aggregates written by hand against the file (what KpiQueries.FunnelAsync computes), for the ratio.</summary>
    public async Task<long> RawFunnelAsync()
    {
        var (f, t) = (Text(Quarter.FromUtc), Text(Quarter.ToUtc));
        var now = Text(DateTime.UtcNow);
        var until = string.CompareOrdinal(t, now) < 0 ? t : now;
        long checksum = 0;
        checksum += await SumRowsAsync($"SELECT Type, COUNT(DISTINCT LeadId) FROM Events WHERE At >= '{f}' AND At < '{t}' AND Type IN ('LeadCreated','BecameMql','BecameSql','Won','Lost') GROUP BY Type");
        checksum += await SumRowsAsync($"SELECT SUM(CAST(CAST(Amount AS REAL) * 100 AS INTEGER)) FROM Events WHERE Type = 'Won' AND At >= '{f}' AND At < '{t}'");
        checksum += await SumRowsAsync($"SELECT Kind, COUNT(*) FROM Handoffs WHERE OfferedAt >= '{f}' AND OfferedAt < '{t}' GROUP BY Kind");
        // Decided handoffs by kind, with the number of response times each percentile ranks (one pass, as KpiQueries).
        var counts = new Dictionary<string, (long Business, long Wall)>();
        await using (var command = raw.CreateCommand())
        {
            command.CommandText = $"""
                SELECT Kind, SUM(State = 'Accepted'), SUM(State = 'Rejected'), SUM(State = 'Expired'),
                       SUM(State IN ('Accepted','Rejected') AND DecidedAt <= DeadlineAt),
                       SUM(State IN ('Accepted','Rejected') AND ResponseBusinessHours IS NOT NULL),
                       SUM(State IN ('Accepted','Rejected') AND ResponseWallHours IS NOT NULL)
                FROM Handoffs WHERE DecidedAt >= '{f}' AND DecidedAt < '{t}' AND State <> 'Offered' GROUP BY Kind
                """;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = (reader.GetInt64(5), reader.GetInt64(6));
                checksum += reader.GetInt64(1) + reader.GetInt64(2) + reader.GetInt64(3) + reader.GetInt64(4);
            }
        }
        checksum += await SumRowsAsync($"SELECT Kind, COUNT(*) FROM Handoffs WHERE State = 'Offered' AND DeadlineAt >= '{f}' AND DeadlineAt < '{until}' GROUP BY Kind");
        checksum += await SumRowsAsync($"SELECT Kind, RejectReason, COUNT(*) FROM Handoffs WHERE State = 'Rejected' AND DecidedAt >= '{f}' AND DecidedAt < '{t}' GROUP BY Kind, RejectReason");
        foreach (var kind in new[] { "MqlToIs", "SqlToFs", "WonToCs" })
        {
            var decided = $"FROM Handoffs WHERE Kind = '{kind}' AND DecidedAt >= '{f}' AND DecidedAt < '{t}' AND State IN ('Accepted','Rejected')";
            var (business, wall) = counts.GetValueOrDefault(kind);
            foreach (var (column, count) in new[] { ("ResponseBusinessHours", business), ("ResponseWallHours", wall) })
            {
                var filter = $"{decided} AND {column} IS NOT NULL";
                if (count > 0)
                {
                    checksum += await SumRowsAsync($"SELECT {column} {filter} ORDER BY {column} LIMIT {(count % 2 == 0 ? 2 : 1)} OFFSET {(count - 1) / 2}");
                    // p90 (nearest rank ⌈0.9 n⌉) read from the nearer end, as KpiQueries does.
                    var rank = (9 * count + 9) / 10;
                    checksum += await SumRowsAsync(rank > count / 2
                        ? $"SELECT {column} {filter} ORDER BY {column} DESC LIMIT 1 OFFSET {count - rank}"
                        : $"SELECT {column} {filter} ORDER BY {column} LIMIT 1 OFFSET {rank - 1}");
                }
            }
        }
        return checksum;
    }

    /// <summary>Everything <see cref="KpisAsync"/> reads, by hand: the funnel, the neglect rate and the recycled reasons.</summary>
    public async Task<long> RawKpisAsync()
    {
        var (f, t) = (Text(Quarter.FromUtc), Text(Quarter.ToUtc));
        // The neglect rate at T = min(period end, now): SQLs held by FS at T, and those without an activity in the N days before.
        var atUtc = Quarter.ToUtc < DateTime.UtcNow ? Quarter.ToUtc : DateTime.UtcNow;
        var (at, cutoff) = (Text(atUtc), Text(atUtc.AddDays(-KpiQueries.DefaultNeglectDays)));
        var checksum = await RawFunnelAsync();
        var held = "FROM Handoffs h WHERE h.Kind = 'SqlToFs' AND h.State = 'Accepted' AND h.DecidedAt < '" + at + "' AND NOT EXISTS (SELECT 1 FROM Events e "
            + "WHERE e.LeadId = h.LeadId AND e.At >= h.DecidedAt AND e.At < '" + at + "' AND e.Type IN ('Won', 'Lost', 'Nurtured', 'ReturnedToIs'))";
        checksum += await SumRowsAsync($"SELECT COUNT(*), COUNT(CASE WHEN h.DecidedAt < '{cutoff}' AND NOT EXISTS (SELECT 1 FROM Events e "
            + $"WHERE e.LeadId = h.LeadId AND e.At >= '{cutoff}' AND e.At <= '{at}' AND e.Type = 'Activity') THEN 1 END) {held}");
        checksum += await SumRowsAsync($"SELECT Reason, COUNT(*) FROM Events WHERE Type = 'Nurtured' AND At >= '{f}' AND At < '{t}' GROUP BY Reason");
        return checksum;
    }

    public Task<SlaSweepResult> SweepAsync() =>
        host.Services.GetRequiredService<SlaSweeper>().RunAsync(DateTime.UtcNow, "bench");

    /// <summary>One batch through the domain as <c>POST /api/leads/batch</c> runs it: intake, then one SaveChanges.</summary>
    public static async Task<int> IntakeBatchAsync(IServiceProvider services, IReadOnlyList<LeadInput> batch)
    {
        await using var scope = services.CreateAsyncScope();
        var intake = scope.ServiceProvider.GetRequiredService<LeadIntake>();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var results = await intake.IntakeAsync(batch, Actor.Client("api:bench"), CancellationToken.None);
        var intaken = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        await db.SaveChangesAsync();
        if (Environment.GetEnvironmentVariable("THEMODEL_BENCH_TRACE") == "1")
        {
            Console.WriteLine($"  intake {intaken.TotalMilliseconds:N0} ms, save {(System.Diagnostics.Stopwatch.GetElapsedTime(started) - intaken).TotalMilliseconds:N0} ms, tracked {db.ChangeTracker.Entries().Count()}");
        }
        return results.Count;
    }

    /// <summary>Open MQL→IS offers (routed by intake), with the assignee of each.</summary>
    public static async Task<List<(Guid Handoff, Guid Assignee)>> OpenOffersAsync(IServiceProvider services, int count)
    {
        for (var b = 0; b * 300 < count; b++)
        {
            await IntakeBatchAsync(services, Batch(1000, 900_000 + b));
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var offers = await db.Handoffs.AsNoTracking().Where(h => h.State == TheModel.Api.Handoffs.HandoffState.Offered && h.AssigneeId != null)
            .Select(h => new { h.Id, h.AssigneeId }).Take(count).ToListAsync();
        return offers.Select(o => (o.Id, o.AssigneeId!.Value)).ToList();
    }

    public static async Task AcceptAsync(IServiceProvider services, (Guid Handoff, Guid Assignee) offer)
    {
        await using var scope = services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<TheModel.Api.Handoffs.HandoffService>().AcceptAsync(offer.Handoff, offer.Assignee);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"decision on {offer.Handoff} came to {outcome.Status}");
        }
    }

    /// <summary>A batch of new leads, 30 % of them scoring as MQLs (so 30 % are routed and offered), on shared company domains.</summary>
    public static List<LeadInput> Batch(int size, int seed)
    {
        var list = new List<LeadInput>(size);
        for (var i = 0; i < size; i++)
        {
            var n = (long)seed * size + i;
            list.Add(new LeadInput($"bench-{seed}-{i}-{Guid.NewGuid():N}", $"Bench Lead {n}", $"lead{n}@b{n % 5000}.example",
                null, $"Bench Company {n % 5000}", null, null, "web", i % 10 < 3 ? 85 : 40, null));
        }
        return list;
    }

    private async Task<long> SumRowsAsync(string sql)
    {
        await using var command = raw.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        long sum = 0;
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (!reader.IsDBNull(i) && reader.GetFieldType(i) != typeof(string))
                {
                    sum += (long)reader.GetDouble(i);
                }
            }
        }
        return sum;
    }

    private static string Text(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');

    public async ValueTask DisposeAsync()
    {
        await raw.DisposeAsync();
        host.Dispose();
    }
}
