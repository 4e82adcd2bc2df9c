using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TheModel.Benchmarks;

/// <summary>What the generator wrote.</summary>
public sealed record GeneratedData(string Path, int Leads, long Events, long Handoffs, long OpenHandoffs, TimeSpan Took, DateTime EndUtc);

/// <summary>
/// Fills a fresh SQLite file with a realistic funnel: <c>leads</c> leads created evenly over two years up to now, 30 % of
/// them MQLs offered to IS (10 % of all leads still open, none of them due), half of those accepted, SQLs offered to FS,
/// wins offered to CS, rejections and nurture; activity events pad the event log to <c>events</c> rows.
/// Rows are produced by SQL set operations (<c>WITH RECURSIVE</c> / <c>INSERT … SELECT</c>) in one transaction with the
/// secondary indexes dropped and rebuilt afterwards, so 1 M leads / 5 M events take minutes, not hours.
/// Ids are deterministic GUIDs (lead n = <c>{n:X8}-0000-4000-8000-{n:X12}</c>), so runs are repeatable.
/// </summary>
public static class DataGenerator
{
    public const int PeoplePerDepartment = 10;
    public static readonly string[] Departments = ["MK", "IS", "FS", "CS"];

    /// <summary>The lead ids the generator uses (lead n, 1-based).</summary>
    public static Guid LeadId(long n) => Guid.Parse($"{n:X8}-0000-4000-8000-{n:X12}");

    public static async Task<GeneratedData> GenerateAsync(string path, int leads, long events, TextWriter log)
    {
        var watch = Stopwatch.StartNew();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        // The schema comes from the product's own migrations, so the indexes measured are the shipped ones.
        using (var host = await DomainHost.StartAsync(path))
        {
        }
        SqliteConnection.ClearAllPools();
        var end = DateTime.UtcNow;
        var endUnix = new DateTimeOffset(end).ToUnixTimeSeconds();
        const long span = 730L * 86400;
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await ExecAsync(connection, "PRAGMA synchronous=OFF; PRAGMA cache_size=-200000; PRAGMA temp_store=MEMORY;");
        var indexes = new List<(string Name, string Sql)>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL AND tbl_name IN ('Leads','Events','Handoffs')";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            foreach (var (name, _) in indexes)
            {
                await ExecAsync(connection, $"DROP INDEX \"{name}\";");
            }
            // People: 10 per department, deterministic ids P{dept}{i}.
            var now = Sql(end);
            for (var d = 0; d < Departments.Length; d++)
            {
                for (var i = 1; i <= PeoplePerDepartment; i++)
                {
                    await ExecAsync(connection, $"""
                        INSERT INTO People (Id, Name, Email, Department, Capacity, Available, Locale, TimeZone, CreatedAt, UpdatedAt)
                        VALUES ('{PersonId(d, i)}', '{Departments[d]} member {i}', '{Departments[d].ToLowerInvariant()}{i}@bench.test', '{Departments[d]}',
                                1000000, 1, 'en-US', 'Asia/Tokyo', '{now}', '{now}');
                        """);
                }
            }
            // r = a scrambled 0..99 per lead decides its path through the funnel.
            await ExecAsync(connection, $"""
                INSERT INTO Leads (Id, ExternalId, Name, Email, Company, Domain, Source, Score, Stage, Department, OwnerId, Amount,
                                   CreatedAt, UpdatedAt, StageChangedAt, LastActivityAt, Version)
                WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {leads}),
                g AS (SELECT n, (n * 7919) % 100 AS r, datetime({endUnix - span} + (n * {span} / {leads})  - 86400 * 25, 'unixepoch') AS c FROM seq)
                SELECT printf('%08X-0000-4000-8000-%012X', n, n), 'ext-' || n, 'Lead ' || n, 'lead' || n || '@c' || (n % 50000) || '.example',
                       'Company ' || (n % 50000), 'c' || (n % 50000) || '.example', CASE n % 4 WHEN 0 THEN 'webinar' WHEN 1 THEN 'web' WHEN 2 THEN 'event' ELSE 'referral' END,
                       CASE WHEN r < 30 THEN 80 + r % 20 ELSE 20 + r % 50 END,
                       CASE WHEN r < 10 THEN 'Mql' WHEN r < 13 THEN 'Won' WHEN r < 15 THEN 'Lost' WHEN r < 20 THEN 'Sql' WHEN r < 25 THEN 'Mql' WHEN r < 30 THEN 'Nurture' ELSE 'Inquiry' END,
                       CASE WHEN r < 10 THEN 'MK' WHEN r < 13 THEN 'CS' WHEN r < 20 THEN 'FS' WHEN r < 25 THEN 'IS' ELSE 'MK' END,
                       CASE WHEN r < 10 OR r >= 25 THEN NULL WHEN r < 13 THEN {PersonSql("CS", "n")} WHEN r < 20 THEN {PersonSql("FS", "n")} ELSE {PersonSql("IS", "n")} END,
                       CASE WHEN r < 15 THEN printf('%d.0', 100000 + (n % 50) * 20000) END,
                       c, c, c, datetime(c, '+2 days'), 1
                FROM g;
                """);
            var g = "(rowid * 7919) % 100";
            // Handoffs: MQL→IS for r < 30 (open for r < 10), SQL→FS for 10 ≤ r < 20 (rejected for 18, 19), Won→CS for 10 ≤ r < 13.
            var open = Sql(end.AddDays(1));
            await ExecAsync(connection, $"""
                INSERT INTO Handoffs (Id, LeadId, Kind, State, AssigneeId, Routing, RoutingReason, OfferedAt, DeadlineAt, DecidedAt, DecidedById,
                                      RejectReason, ResponseBusinessHours, ResponseWallHours, Attempt, NextSlaCheckAt, Version)
                SELECT printf('%08X-0001-4000-8000-%012X', rowid, rowid), Id, 'MqlToIs',
                       CASE WHEN {g} < 10 THEN 'Offered' WHEN {g} < 25 THEN 'Accepted' ELSE 'Rejected' END,
                       {PersonSql("IS", "rowid")}, 'RoundRobin', 'Round robin in IS', datetime(CreatedAt, '+1 hours'), datetime(CreatedAt, '+25 hours'),
                       CASE WHEN {g} >= 10 THEN datetime(CreatedAt, '+' || (2 + rowid % 30) || ' hours') END,
                       CASE WHEN {g} >= 10 THEN {PersonSql("IS", "rowid")} END,
                       CASE WHEN {g} >= 25 THEN 'NotTarget' END,
                       CASE WHEN {g} >= 10 THEN (1 + rowid % 30) * 0.7 END, CASE WHEN {g} >= 10 THEN 1 + rowid % 30 END,
                       0, CASE WHEN {g} < 10 THEN '{open}' ELSE '9999-12-31 00:00:00' END, 1
                FROM Leads WHERE {g} < 30;
                INSERT INTO Handoffs (Id, LeadId, Kind, State, AssigneeId, Routing, RoutingReason, OfferedAt, DeadlineAt, DecidedAt, DecidedById,
                                      RejectReason, ResponseBusinessHours, ResponseWallHours, Attempt, NextSlaCheckAt, Version)
                SELECT printf('%08X-0002-4000-8000-%012X', rowid, rowid), Id, 'SqlToFs', CASE WHEN {g} >= 18 THEN 'Rejected' ELSE 'Accepted' END,
                       {PersonSql("FS", "rowid")}, 'RoundRobin', 'Round robin in FS', datetime(CreatedAt, '+2 days'), datetime(CreatedAt, '+3 days'),
                       datetime(CreatedAt, '+2 days', '+' || (1 + rowid % 20) || ' hours'), {PersonSql("FS", "rowid")},
                       CASE WHEN {g} >= 18 THEN 'BadTiming' END, (1 + rowid % 20) * 0.6, 1 + rowid % 20, 0, '9999-12-31 00:00:00', 1
                FROM Leads WHERE {g} >= 10 AND {g} < 20;
                INSERT INTO Handoffs (Id, LeadId, Kind, State, AssigneeId, Routing, RoutingReason, OfferedAt, DeadlineAt, DecidedAt, DecidedById,
                                      ResponseBusinessHours, ResponseWallHours, Attempt, NextSlaCheckAt, Version)
                SELECT printf('%08X-0003-4000-8000-%012X', rowid, rowid), Id, 'WonToCs', 'Accepted',
                       {PersonSql("CS", "rowid")}, 'RoundRobin', 'Round robin in CS', datetime(CreatedAt, '+20 days'), datetime(CreatedAt, '+23 days'),
                       datetime(CreatedAt, '+21 days'), {PersonSql("CS", "rowid")}, 9, 24, 0, '9999-12-31 00:00:00', 1
                FROM Leads WHERE {g} >= 10 AND {g} < 13;
                """);
            // Events: the life of each lead, then activity rows up to the requested total.
            await ExecAsync(connection, $$"""
                INSERT INTO Events (LeadId, Type, At, Actor, Department, Data)
                SELECT Id, 'LeadCreated', CreatedAt, 'api:bench', 'MK', '{"score":' || Score || '}' FROM Leads;
                INSERT INTO Events (LeadId, Type, At, Actor, Department)
                SELECT Id, 'ScoreChanged', datetime(CreatedAt, '+30 minutes'), 'api:bench', 'MK' FROM Leads;
                INSERT INTO Events (LeadId, Type, At, Actor, Department)
                SELECT Id, 'BecameMql', datetime(CreatedAt, '+1 hours'), 'api:bench', 'MK' FROM Leads WHERE {{g}} < 30;
                INSERT INTO Events (LeadId, HandoffId, HandoffKind, Type, At, Actor, Department)
                SELECT LeadId, Id, Kind, 'HandoffOffered', OfferedAt, 'system',
                       CASE Kind WHEN 'MqlToIs' THEN 'IS' WHEN 'SqlToFs' THEN 'FS' ELSE 'CS' END FROM Handoffs;
                INSERT INTO Events (LeadId, HandoffId, HandoffKind, Type, At, ActorId, Actor, Department, Reason)
                SELECT LeadId, Id, Kind, CASE State WHEN 'Accepted' THEN 'HandoffAccepted' ELSE 'HandoffRejected' END, DecidedAt, DecidedById, 'member',
                       CASE Kind WHEN 'MqlToIs' THEN 'IS' WHEN 'SqlToFs' THEN 'FS' ELSE 'CS' END, RejectReason
                FROM Handoffs WHERE State <> 'Offered';
                INSERT INTO Events (LeadId, Type, At, Actor, Department, Reason)
                SELECT Id, 'Nurtured', datetime(CreatedAt, '+' || (2 + rowid % 30) || ' hours'), 'member', 'MK', 'NotTarget' FROM Leads WHERE {{g}} >= 25 AND {{g}} < 30;
                INSERT INTO Events (LeadId, Type, At, Actor, Department)
                SELECT Id, 'BecameSql', datetime(CreatedAt, '+2 days'), 'member', 'IS' FROM Leads WHERE {{g}} >= 10 AND {{g}} < 20;
                INSERT INTO Events (LeadId, Type, At, Actor, Department, Amount)
                SELECT Id, CASE WHEN {{g}} < 13 THEN 'Won' ELSE 'Lost' END, datetime(CreatedAt, '+20 days'), 'member', 'FS', CASE WHEN {{g}} < 13 THEN Amount END
                FROM Leads WHERE {{g}} >= 10 AND {{g}} < 15;
                """);
            var sofar = await ScalarAsync(connection, "SELECT count(*) FROM Events");
            var padding = Math.Max(0, events - sofar);
            await ExecAsync(connection, $"""
                INSERT INTO Events (LeadId, Type, At, Actor, Department, Reason)
                WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < {padding} - 1)
                SELECT printf('%08X-0000-4000-8000-%012X', 1 + k % {leads}, 1 + k % {leads}), 'Activity',
                       datetime({endUnix - span} + ((1 + k % {leads}) * {span} / {leads}) + 3600 * (1 + k / {leads}), 'unixepoch'), 'member', 'IS', 'call'
                FROM seq WHERE {padding} > 0;
                """);
            foreach (var (_, sql) in indexes)
            {
                await ExecAsync(connection, sql + ";");
            }
            await tx.CommitAsync();
        }
        await ExecAsync(connection, "ANALYZE;");
        var result = new GeneratedData(path, leads,
            await ScalarAsync(connection, "SELECT count(*) FROM Events"),
            await ScalarAsync(connection, "SELECT count(*) FROM Handoffs"),
            await ScalarAsync(connection, "SELECT count(*) FROM Handoffs WHERE State = 'Offered'"),
            watch.Elapsed, end);
        log.WriteLine($"generated {result.Leads:N0} leads, {result.Events:N0} events, {result.Handoffs:N0} handoffs ({result.OpenHandoffs:N0} open) in {result.Took.TotalSeconds:N1} s → {path}");
        return result;
    }

    /// <summary>Person i (1-based) of department index d.</summary>
    public static Guid PersonId(int d, int i) => Guid.Parse($"{d + 1:X8}-0000-4000-9000-{i:X12}");

    private static string PersonSql(string department, string n = "rowid")
    {
        var d = Array.IndexOf(Departments, department) + 1;
        return $"printf('{d:X8}-0000-4000-9000-%012X', 1 + {n} % {PeoplePerDepartment})";
    }

    internal static string Sql(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ExecAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
