using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using TheModel.Cards;

namespace TheModel.Benchmarks;

/// <summary>
/// <paramref name="Decisions"/>: closed-loop decisions (each client clicks again as soon as it has its answer) for the
/// throughput figure; <paramref name="WarmUp"/>: decisions before anything is measured (JIT tiers, pools, caches);
/// <paramref name="Paced"/> decisions offered at <paramref name="Rate"/> per second in all, spread evenly over the clients
/// (open loop: latency is taken from when a click was due, so a slow answer delays no later click's clock).
/// <paramref name="IntakeWarmUp"/>: batches posted before intake is measured; <paramref name="IntakeClients"/>: senders posting
/// the measured batches at once. <paramref name="PostedCards"/>: each offer's card was posted to the assignee in Teams and
/// Slack, so each decision also queues the update of both copies (as in production); off, decisions queue nothing.
/// <paramref name="BotEnvironment"/>: extra environment for the bot process (e.g. <c>DOTNET_gcServer=0</c>) to compare settings.
/// <paramref name="Rates"/>: several paced phases one after the other, <paramref name="Paced"/> decisions each (latency
/// against offered load); without it one phase at <paramref name="Rate"/>. <paramref name="Drain"/>: after the paced phases,
/// wait until the outbox has no pending row and report how fast, and at what CPU cost per row, the bot sent the backlog.
/// </summary>
public sealed record LoadOptions(int Clients, int Decisions, int IntakeBatches, int BatchSize, string WorkDirectory,
    IReadOnlyDictionary<string, string>? BotEnvironment = null, int WarmUp = 0, int Paced = 0, int Rate = 800,
    int IntakeWarmUp = 0, int IntakeClients = 1, bool PostedCards = true, IReadOnlyList<int>? Rates = null, bool Drain = false)
{
    public IReadOnlyList<int> PacedRates => Paced <= 0 ? [] : Rates is { Count: > 0 } rates ? rates : [Rate];
}

/// <summary>
/// One paced phase: latencies at <paramref name="Rate"/> decisions/s offered, the rate they were stored at, and how busy
/// the machine's cores were meanwhile (<paramref name="BotCores"/>: the bot process's CPU time over the phase's wall time,
/// so 1.0 is one core; <paramref name="GeneratorCores"/> the same for the load generator and its Slack/Teams stand-in).
/// </summary>
public sealed record PacedPhase(int Rate, Latency Teams, Latency Slack, double StoredRate, int Decided, double BotCores, double GeneratorCores,
    Latency SlackCardUpdated, int SlackCardsNotUpdated, Latency? SentLate = null, double StolenCores = double.NaN)
{
    public override string ToString() =>
        $"{Rate,5}/s offered, {StoredRate,5:N0}/s stored: Teams p50 {Teams.P50Ms,6:N1} p99 {Teams.P99Ms,6:N1} ms, Slack ack p50 {Slack.P50Ms,6:N1} p99 {Slack.P99Ms,6:N1} ms, " +
        $"Slack card updated p50 {SlackCardUpdated.P50Ms,6:N1} p99 {SlackCardUpdated.P99Ms,6:N1} ms ({SlackCardsNotUpdated} not yet); cores busy: bot {BotCores:N2}, generator {GeneratorCores:N2}" +
        (SentLate is { } late ? $"; clicks sent late by the generator p50 {late.P50Ms:N1} p99 {late.P99Ms:N1} ms" : "") +
        (double.IsNaN(StolenCores) ? "" : $"; stolen by the hypervisor {StolenCores:N2} cores");
}

/// <summary>What one load run measured. <paramref name="CpuMsPerDecision"/>: the bot process's CPU time over the closed-loop phase per decision.</summary>
public sealed record LoadResult(
    double StartToHealthyMs, long IdleWorkingSetMb, long IdlePrivateMb, long LoadedWorkingSetMb, long LoadedPrivateMb,
    Latency Teams, Latency Slack, double DecisionsPerSecond, int Decided, double IntakeLeadsPerSecond, int IntakeLeads, Latency IntakeBatch,
    double CpuMsPerDecision = double.NaN, Latency? PacedTeams = null, Latency? PacedSlack = null, double PacedRate = double.NaN, int PacedDecided = 0,
    int Expected = 0, IReadOnlyList<PacedPhase>? PacedPhases = null);

public sealed record Latency(int Count, double P50Ms, double P99Ms, double MaxMs, int Failures)
{
    public static Latency Of(IReadOnlyCollection<double> samples, int failures)
    {
        var sorted = samples.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new(sorted.Length, At(0.5), At(0.99), sorted.Length == 0 ? double.NaN : sorted[^1], failures);
    }

    public override string ToString() => $"n={Count} p50={P50Ms:N1} ms p99={P99Ms:N1} ms max={MaxMs:N1} ms failures={Failures}";
}

/// <summary>
/// Starts the built bot process on loopback against a fresh SQLite file with a local stand-in for Slack's Web API and
/// the Teams Connector, then drives it over HTTP: Teams <c>adaptiveCard/action</c> invokes (anonymous loopback mode) and
/// signed Slack <c>block_actions</c> from concurrent clients, then <c>POST /api/leads/batch</c>. Measures start to healthy,
/// memory (working set and private bytes of the bot process) idle and under load, latencies and rates.
/// Every loop is bounded by its count; every wait has a deadline.
/// </summary>
public static class LoadCommand
{
    public const string SlackSecret = "bench-signing-secret-0123456789abcdef";
    public const string ApiKey = "bench-api-key-0123456789";

    public static async Task<LoadResult> RunAsync(LoadOptions options, TextWriter log)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        SlackCardUpdatedAt.Clear();
        var database = Path.Combine(options.WorkDirectory, "load.db");
        var seeded = await SeedAsync(database, options.Clients,
            options.Clients * (options.WarmUp / options.Clients + options.Decisions / options.Clients + options.PacedRates.Count * (options.Paced / options.Clients)),
            options.PostedCards, log);
        await using var stub = await StartStubAsync();
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var bot = StartBot(baseUrl, database, stub.Urls.First(), log, options.BotEnvironment);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients * 2, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            {
                BaseAddress = new Uri(baseUrl),
                Timeout = TimeSpan.FromSeconds(30),
            };
            var startToHealthy = await WaitHealthyAsync(http, bot.Process, bot.Started);
            log.WriteLine($"start → healthy: {startToHealthy:N0} ms");
            // Let start-up work (JIT, first GC) settle before reading the idle footprint.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var (idleWs, idlePrivate) = Memory(bot.Process);
            log.WriteLine($"idle: working set {idleWs} MB, private {idlePrivate} MB");

            var peak = new PeakSampler(bot.Process);
            var failures = new ConcurrentBag<string>();
            var stored = 0;
            if (options.WarmUp > 0)
            {
                await DriveAsync(http, stub.Urls.First(), seeded, 0, options.WarmUp / options.Clients, null, failures);
                stored = await WaitDecidedAsync(database, stored + options.WarmUp / options.Clients * options.Clients, TimeSpan.FromSeconds(120));
                log.WriteLine($"warm-up: {stored} decisions, not counted");
            }

            // Closed loop: throughput, and the latency of a saturated bot.
            var cpuBefore = Cpu(bot.Process);
            using var self = Process.GetCurrentProcess();
            var selfBefore = Cpu(self);
            var watch = Stopwatch.StartNew();
            var perClient = options.Decisions / options.Clients;
            var saturated = await DriveAsync(http, stub.Urls.First(), seeded, options.WarmUp / options.Clients, perClient, null, failures);
            var requestsDone = watch.Elapsed;
            // Slack decisions run from the durable queue after the 3-second acknowledgement: count them as done when stored.
            var decided = await WaitDecidedAsync(database, stored + perClient * options.Clients, TimeSpan.FromSeconds(120)) - stored;
            var decisionsElapsed = watch.Elapsed;
            var cpuPerDecision = (Cpu(bot.Process) - cpuBefore).TotalMilliseconds / Math.Max(1, decided);
            var selfPerDecision = (Cpu(self) - selfBefore).TotalMilliseconds / Math.Max(1, decided);
            stored += decided;
            log.WriteLine($"decisions: {decided}/{perClient * options.Clients} accepted; requests took {requestsDone.TotalSeconds:N2} s, all decided after {decisionsElapsed.TotalSeconds:N2} s; CPU per decision: bot {cpuPerDecision:N2} ms, load generator {selfPerDecision:N2} ms");

            // Open loop at the target rate (or at each rate of a sweep): the latency a person sees while the bot carries that load.
            var phases = new List<PacedPhase>();
            var skip = options.WarmUp / options.Clients + perClient;
            foreach (var rate in options.PacedRates)
            {
                var pacedPerClient = options.Paced / options.Clients;
                var interval = TimeSpan.FromSeconds((double)options.Clients / rate);
                var (botBefore, generatorBefore, stealBefore) = (Cpu(bot.Process), Cpu(self), StolenTicks());
                var pacedWatch = Stopwatch.StartNew();
                var paced = await DriveAsync(http, stub.Urls.First(), seeded, skip, pacedPerClient, interval, failures);
                var pacedDecided = await WaitDecidedAsync(database, stored + pacedPerClient * options.Clients, TimeSpan.FromSeconds(120)) - stored;
                var wall = pacedWatch.Elapsed.TotalMilliseconds;
                var (cardUpdated, cardMissing) = SlackCardLatency(seeded, paced.SlackDue);
                var phase = new PacedPhase(rate, paced.Teams, paced.Slack, pacedDecided / (wall / 1000), pacedDecided,
                    (Cpu(bot.Process) - botBefore).TotalMilliseconds / wall, (Cpu(self) - generatorBefore).TotalMilliseconds / wall,
                    cardUpdated, cardMissing, paced.Late, (StolenTicks() - stealBefore) * 10.0 / wall);
                phases.Add(phase);
                stored += pacedDecided;
                skip += pacedPerClient;
                log.WriteLine($"paced: {phase}");
            }
            var main = phases.FirstOrDefault(p => p.Rate == options.Rate) ?? phases.LastOrDefault();
            log.WriteLine($"card updates queued by the decisions so far: {await OutboxStatusAsync(database, "handoff.decided")}");
            if (options.Drain)
            {
                // Nothing else is asked of the bot meanwhile: the rate and CPU cost of sending alone.
                var botBefore = Cpu(bot.Process);
                var drainWatch = Stopwatch.StartNew();
                var (pendingBefore, pendingAfter) = await WaitDrainedAsync(database, TimeSpan.FromSeconds(600));
                var sent = pendingBefore - pendingAfter;
                log.WriteLine($"drain: {sent} of {pendingBefore} pending rows sent in {drainWatch.Elapsed.TotalSeconds:N1} s, " +
                    $"{sent / drainWatch.Elapsed.TotalSeconds:N0}/s, bot CPU {(Cpu(bot.Process) - botBefore).TotalMilliseconds / Math.Max(1, sent):N3} ms per row");
            }

            // Intake: warm-up batches first (the intake path's JIT tiers; the decisions above do not run it), then the
            // measured batches from IntakeClients senders at once. Bodies are serialised before the clock starts.
            string Body(int b) => JsonSerializer.Serialize(new { leads = Scenarios.Batch(options.BatchSize, 1000 + b) }, JsonSerializerOptions.Web);
            var intakeFailures = 0;
            async Task<double> PostBatchAsync(string body)
            {
                var started = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/batch") { Content = Json(body) };
                request.Headers.Add("X-Api-Key", ApiKey);
                using var response = await http.SendAsync(request);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref intakeFailures);
                    var text = await response.Content.ReadAsStringAsync();
                    failures.Add($"batch {(int)response.StatusCode} {text[..Math.Min(100, text.Length)]}");
                }
                return elapsed;
            }
            for (var b = 0; b < options.IntakeWarmUp; b++)
            {
                await PostBatchAsync(Body(-1 - b));
            }
            var warmUpFailures = intakeFailures;
            var bodies = new ConcurrentQueue<string>(Enumerable.Range(0, options.IntakeBatches).Select(Body));
            var intakeSamples = new ConcurrentBag<double>();
            var intakeWatch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.IntakeClients)).Select(async _ =>
            {
                while (bodies.TryDequeue(out var body))
                {
                    intakeSamples.Add(await PostBatchAsync(body));
                }
            }));
            var intakeElapsed = intakeWatch.Elapsed;
            var (loadedWs, loadedPrivate) = peak.Stop();
            foreach (var failure in failures.Take(5))
            {
                log.WriteLine($"failure: {failure}");
            }
            var intakeLeads = (options.IntakeBatches - (intakeFailures - warmUpFailures)) * options.BatchSize;
            return new LoadResult(startToHealthy, idleWs, idlePrivate, loadedWs, loadedPrivate,
                saturated.Teams, saturated.Slack, decided / decisionsElapsed.TotalSeconds, stored,
                intakeLeads / intakeElapsed.TotalSeconds, intakeLeads, Latency.Of(intakeSamples, intakeFailures - warmUpFailures),
                cpuPerDecision, main?.Teams, main?.Slack, main?.StoredRate ?? double.NaN, phases.Sum(p => p.Decided), seeded.Total, phases);
        }
        finally
        {
            bot.Stop();
        }
    }

    /// <summary>
    /// Each client clicks Accept on its next <paramref name="count"/> offers, from <paramref name="skip"/> on: even clients
    /// through Teams, odd through Slack. Without <paramref name="interval"/> a client clicks again as soon as it is
    /// answered; with it, click n is due at start + n × interval (clients staggered), and its latency counts from then.
    /// </summary>
    private static async Task<(Latency Teams, Latency Slack, IReadOnlyDictionary<Guid, long> SlackDue, Latency Late)> DriveAsync(HttpClient http, string serviceUrl, Seeded seeded, int skip, int count,
        TimeSpan? interval, ConcurrentBag<string> failures)
    {
        var slackDue = new ConcurrentDictionary<Guid, long>();
        var teamsSamples = new ConcurrentBag<double>();
        var slackSamples = new ConcurrentBag<double>();
        var lateSamples = new ConcurrentBag<double>();
        var clients = seeded.HandoffsByClient.Count;
        // Bodies (and Slack signatures) are made before the clock starts: the load generator shares the machine with
        // the bot and should spend its CPU on sending, not on building JSON.
        var bodies = Enumerable.Range(0, clients).Select(client => seeded.HandoffsByClient[client].Skip(skip).Take(count)
            .Select(handoff => client % 2 == 0
                ? (Body: Encoding.UTF8.GetBytes(TeamsInvoke(serviceUrl, seeded.People[client], handoff)), Stamp: "", Signature: "")
                : SlackClick(seeded.People[client], handoff)).ToList()).ToList();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var viaTeams = client % 2 == 0;
            var n = 0;
            foreach (var ((body, stamp, signature), handoff) in bodies[client].Zip(seeded.HandoffsByClient[client].Skip(skip)))
            {
                var due = start;
                if (interval is { } every)
                {
                    var offset = every * n++ + every * client / clients;
                    due = start + (long)(offset.TotalSeconds * Stopwatch.Frequency);
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                }
                else
                {
                    due = Stopwatch.GetTimestamp();
                }
                using var request = new HttpRequestMessage(HttpMethod.Post, viaTeams ? "/api/messages" : "/slack/interactivity") { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(viaTeams ? "application/json" : "application/x-www-form-urlencoded");
                if (!viaTeams)
                {
                    slackDue[handoff] = due;
                    request.Headers.Add("X-Slack-Request-Timestamp", stamp);
                    request.Headers.Add("X-Slack-Signature", signature);
                }
                // How late the generator itself sent the click (its timers and threads share the machine with the bot):
                // part of every latency below, which counts from the due time.
                lateSamples.Add(Stopwatch.GetElapsedTime(due).TotalMilliseconds);
                using var response = await http.SendAsync(request);
                var answer = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                if (!response.IsSuccessStatusCode || (viaTeams && !answer.Contains("application/vnd.microsoft.card.adaptive", StringComparison.Ordinal)))
                {
                    failures.Add($"{(viaTeams ? "teams" : "slack")} {(int)response.StatusCode} {answer[..Math.Min(200, answer.Length)]}");
                    continue;
                }
                (viaTeams ? teamsSamples : slackSamples).Add(ms);
            }
        })));
        return (Latency.Of(teamsSamples, failures.Count(f => f.StartsWith("teams", StringComparison.Ordinal))),
            Latency.Of(slackSamples, failures.Count(f => f.StartsWith("slack", StringComparison.Ordinal))), slackDue, Latency.Of(lateSamples, 0));
    }

    /// <summary>
    /// CPU time the hypervisor gave to other guests while this VM wanted to run (<c>steal</c> in <c>/proc/stat</c>, in
    /// 1/100 s): on a shared virtual machine the main reason why runs minutes apart differ.
    /// </summary>
    private static long StolenTicks()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return cpu.Length > 8 ? long.Parse(cpu[8], CultureInfo.InvariantCulture) : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static TimeSpan Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary><paramref name="SlackTs"/>: the <c>ts</c> of each handoff's posted Slack copy (when cards were posted).</summary>
    private sealed record Seeded(IReadOnlyList<(Guid Id, string Aad, string TeamsUser, string SlackUser)> People, IReadOnlyList<List<Guid>> HandoffsByClient, int Total,
        IReadOnlyDictionary<Guid, string> SlackTs);

    /// <summary>A migrated store with one IS member per client and <paramref name="decisions"/> open MQL→IS offers spread over them.</summary>
    private static async Task<Seeded> SeedAsync(string path, int clients, int decisions, bool postedCards, TextWriter log)
    {
        using (var host = await IntakeDatabase.CreateAsync(path, teamsChannels: false))
        {
        }
        SqliteConnection.ClearAllPools();
        var people = Enumerable.Range(0, clients).Select(i => (Id: Guid.NewGuid(), Aad: $"aad-load-{i}", TeamsUser: $"29:load-{i}", SlackUser: $"ULOAD{i}")).ToList();
        var byClient = Enumerable.Range(0, clients).Select(_ => new List<Guid>()).ToList();
        var slackTs = new Dictionary<Guid, string>();
        var now = DataGenerator.Sql(DateTime.UtcNow);
        var deadline = DataGenerator.Sql(DateTime.UtcNow.AddDays(3));
        var nextCheck = DataGenerator.Sql(DateTime.UtcNow.AddDays(1));
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var (p, i) in people.Select((p, i) => (p, i)))
        {
            await ExecAsync(connection, tx, $"""
                INSERT INTO People (Id, Name, Email, Department, Capacity, Available, Locale, TimeZone, TeamsAadObjectId, TeamsUserId, SlackUserId, CreatedAt, UpdatedAt)
                VALUES ('{Upper(p.Id)}', 'Load member {i}', 'load{i}@bench.test', 'IS', 1000000, 1, 'en-US', 'Asia/Tokyo', '{p.Aad}', '{p.TeamsUser}', '{p.SlackUser}', '{now}', '{now}');
                """);
        }
        for (var n = 0; n < decisions; n++)
        {
            var (lead, handoff, client) = (Guid.NewGuid(), Guid.NewGuid(), n % clients);
            byClient[client].Add(handoff);
            await ExecAsync(connection, tx, $"""
                INSERT INTO Leads (Id, ExternalId, Name, Email, Company, Domain, Source, Score, Stage, Department, CreatedAt, UpdatedAt, StageChangedAt, LastActivityAt, Version)
                VALUES ('{Upper(lead)}', 'load-{n}', 'Load Lead {n}', 'l{n}@load{n % 500}.example', 'Load Co {n % 500}', 'load{n % 500}.example', 'web', 90, 'Mql', 'MK', '{now}', '{now}', '{now}', '{now}', 1);
                INSERT INTO Handoffs (Id, LeadId, Kind, State, AssigneeId, Routing, RoutingReason, OfferedAt, DeadlineAt, Attempt, NextSlaCheckAt, Version)
                VALUES ('{Upper(handoff)}', '{Upper(lead)}', 'MqlToIs', 'Offered', '{Upper(people[client].Id)}', 'RoundRobin', 'load', '{now}', '{deadline}', 0, '{nextCheck}', 1);
                """);
            // The card was sent to the assignee in Teams and in Slack: a decision then queues an update of both copies,
            // which the dispatcher sends to the stand-in while the load goes on (as in production).
            var person = people[client];
            if (postedCards)
            {
                slackTs[handoff] = $"1700000000.{n:D6}";
            }
            foreach (var (channel, conversation, messageId) in postedCards
                ? new[] { ("teams", $"a:dm-{person.Aad}", $"msg-seed-{n}"), ("slack", $"D{person.SlackUser}", $"1700000000.{n:D6}") } : [])
            {
                await ExecAsync(connection, tx, $"""
                    INSERT INTO Outbox (Channel, Target, Kind, HandoffId, DedupeKey, Status, Attempts, CreatedAt, NextAttemptAt, SentAt, ExternalRef, Late)
                    VALUES ('{channel}', 'person:{person.Id}', 'handoff.offered', '{Upper(handoff)}', 'handoff.offered:{handoff}:{channel}:person:{person.Id}', 'Sent', 1, '{now}', '{now}', '{now}', '{messageId}', 0);
                    INSERT INTO PostedCards (HandoffId, Channel, ConversationId, MessageId, OutboxMessageId, PostedAt)
                    VALUES ('{Upper(handoff)}', '{channel}', '{conversation}', '{messageId}', last_insert_rowid(), '{now}');
                    """);
            }
        }
        await tx.CommitAsync();
        log.WriteLine($"seeded {clients} IS members and {decisions} open offers{(postedCards ? ", each card posted in Teams and Slack" : "")} in {path}");
        return new Seeded(people, byClient, decisions, slackTs);
    }

    private static string Upper(Guid id) => id.ToString().ToUpperInvariant();

    private static async Task ExecAsync(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string TeamsInvoke(string serviceUrl, (Guid Id, string Aad, string TeamsUser, string SlackUser) person, Guid handoff) => new JsonObject
    {
        ["type"] = "invoke",
        ["name"] = "adaptiveCard/action",
        ["id"] = $"act-{Guid.NewGuid():N}",
        ["timestamp"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["serviceUrl"] = serviceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = person.TeamsUser, ["name"] = "Load member", ["aadObjectId"] = person.Aad },
        ["recipient"] = new JsonObject { ["id"] = "28:bench-bot", ["name"] = "TheModel" },
        ["conversation"] = new JsonObject { ["id"] = $"a:dm-{person.Aad}", ["conversationType"] = "personal", ["tenantId"] = "tenant-bench" },
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = "tenant-bench" } },
        ["locale"] = "en-US",
        ["replyToId"] = "card-activity",
        ["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = CardActions.Accept, ["data"] = new JsonObject { ["handoffId"] = handoff.ToString() } },
            ["trigger"] = "manual",
        },
    }.ToJsonString();

    private static (byte[] Body, string Stamp, string Signature) SlackClick((Guid Id, string Aad, string TeamsUser, string SlackUser) person, Guid handoff)
    {
        var payload = new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = person.SlackUser, ["username"] = "load", ["team_id"] = "T1" },
            ["api_app_id"] = "A1",
            ["team"] = new JsonObject { ["id"] = "T1" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = "1700000000.000001", ["channel_id"] = "CIS", ["is_ephemeral"] = false },
            ["trigger_id"] = "111.222.abc",
            ["channel"] = new JsonObject { ["id"] = "CIS" },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = "1700000000.000001", ["bot_id"] = "B1" },
            ["response_url"] = "https://hooks.slack.com/actions/T1/1/x",
            ["actions"] = new JsonArray
            {
                new JsonObject { ["action_id"] = CardActions.Accept, ["block_id"] = "b1", ["type"] = "button", ["value"] = handoff.ToString(), ["action_ts"] = "1700000001.000001" },
            },
        }.ToJsonString();
        var body = Encoding.UTF8.GetBytes("payload=" + Uri.EscapeDataString(payload));
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return (body, stamp, Sign(stamp, body));
    }

    /// <summary>Slack's v0 signature: HMAC-SHA256 over <c>v0:{timestamp}:{body}</c>.</summary>
    private static string Sign(string stamp, byte[] body)
    {
        var basis = Encoding.UTF8.GetBytes($"v0:{stamp}:").Concat(body).ToArray();
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SlackSecret), basis));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<int> WaitDecidedAsync(string path, int expected, TimeSpan limit)
    {
        var until = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var decided = 0;
        while (until.Elapsed < limit)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM Handoffs WHERE State <> 'Offered'";
            decided = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            if (decided >= expected)
            {
                break;
            }
            await Task.Delay(50);
        }
        return decided;
    }

    /// <summary>Waits until no outbox row is pending (or <paramref name="limit"/>); the pending count at the start and at the end.</summary>
    private static async Task<(int Before, int After)> WaitDrainedAsync(string path, TimeSpan limit)
    {
        var until = Stopwatch.StartNew();
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        int? before = null;
        var pending = 0;
        while (until.Elapsed < limit)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM Outbox WHERE Status = 'Pending'";
            pending = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            before ??= pending;
            if (pending == 0)
            {
                break;
            }
            await Task.Delay(50);
        }
        return (before ?? 0, pending);
    }

    /// <summary>How many outbox rows of <paramref name="kind"/> are in each status.</summary>
    private static async Task<string> OutboxStatusAsync(string path, string kind)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Status, count(*) FROM Outbox WHERE Kind = $kind GROUP BY Status ORDER BY Status";
        command.Parameters.AddWithValue("$kind", kind);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            parts.Add($"{reader.GetString(0).ToLowerInvariant()} {reader.GetInt32(1)}");
        }
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>A stand-in for Slack's Web API and the Teams Connector on loopback: every call succeeds with a fresh id.</summary>
    /// <summary>Posted Slack copy (<c>ts</c>) → when the stand-in first received its <c>chat.update</c>.</summary>
    private static readonly ConcurrentDictionary<string, long> SlackCardUpdatedAt = new();

    /// <summary>
    /// From a Slack click's due time to the update of the copy in the clicker's chat (the person sees the outcome only then:
    /// the acknowledgement carries nothing); clicks whose copy was not updated yet count as missing.
    /// </summary>
    private static (Latency Updated, int Missing) SlackCardLatency(Seeded seeded, IReadOnlyDictionary<Guid, long> due)
    {
        var samples = new List<double>();
        foreach (var (handoff, at) in due)
        {
            if (seeded.SlackTs.TryGetValue(handoff, out var ts) && SlackCardUpdatedAt.TryGetValue(ts, out var updated))
            {
                samples.Add(Stopwatch.GetElapsedTime(at, updated).TotalMilliseconds);
            }
        }
        return (Latency.Of(samples, 0), seeded.SlackTs.Count == 0 ? 0 : due.Count - samples.Count);
    }

    private static async Task<WebApplication> StartStubAsync()
    {
        // An empty content root: the default (the current directory) would watch the whole repository, data files
        // included, and take a file-system event for every commit the bot makes.
        var root = Directory.CreateTempSubdirectory("themodel-stub-");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = root.FullName, Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var n = 0;
        app.Run(async context =>
        {
            var id = Interlocked.Increment(ref n);
            if (context.Request.Path.Value?.EndsWith("chat.update", StringComparison.Ordinal) == true)
            {
                // When each posted Slack copy was first updated: what a Slack user sees after their click.
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var at = body.IndexOf("\"ts\":\"", StringComparison.Ordinal);
                if (at >= 0 && body.IndexOf('"', at + 6) is var end and > 0)
                {
                    SlackCardUpdatedAt.TryAdd(body[(at + 6)..end], Stopwatch.GetTimestamp());
                }
            }
            context.Response.ContentType = "application/json";
            context.Response.StatusCode = context.Request.Method == "POST" && context.Request.Path.StartsWithSegments("/v3") ? 201 : 200;
            var channel = context.Request.Path.Value?.EndsWith("conversations.open", StringComparison.Ordinal) == true ? $"{{\"id\":\"D{id}\"}}" : $"\"C{id}\"";
            await context.Response.WriteAsync($"{{\"ok\":true,\"id\":\"msg-{id}\",\"ts\":\"1700000000.{id:D6}\",\"channel\":{channel},\"user_id\":\"UBOT\"}}");
        });
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed class BotProcess(Process process, DateTime started) : IDisposable
    {
        public Process Process { get; } = process;
        public DateTime Started { get; } = started;

        public void Stop()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }

        public void Dispose()
        {
            Stop();
            Process.Dispose();
        }
    }

    /// <summary>
    /// The bot built beside this project (same configuration), as its own process: what an operator runs.
    /// <c>THEMODEL_BENCH_BOTDIR</c> points at another build's output (e.g. a copy of the previous commit's) for A/B runs.
    /// </summary>
    public static BotProcess StartBot(string url, string database, string stubUrl, TextWriter log, IReadOnlyDictionary<string, string>? extra = null)
    {
        var configuration = typeof(LoadCommand).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var root = RepoRoot();
        var botDir = Environment.GetEnvironmentVariable("THEMODEL_BENCH_BOTDIR") is { Length: > 0 } other
            ? Path.GetFullPath(other) : Path.Combine(root, "bot", "bin", configuration, "net10.0");
        var dll = Path.Combine(botDir, "TheModel.Bot.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The bot is not built at {dll}: `dotnet build -c {configuration} bot`.", dll);
        }
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = botDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        var env = info.Environment;
        env["ASPNETCORE_URLS"] = url;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["ConnectionStrings__TheModel"] = $"Data Source={database}";
        env["Logging__LogLevel__Default"] = "Warning";
        env["Api__Keys__0__Key"] = ApiKey;
        env["Api__Keys__0__Scopes"] = "read write";
        env["Slack__SigningSecret"] = SlackSecret;
        env["Slack__BotToken"] = "xoxb-bench";
        env["Slack__BotUserId"] = "UBOT";
        env["Slack__ApiBaseUrl"] = stubUrl.TrimEnd('/') + "/api/";
        // The load measures what the bot can do, not its per-key and per-person limits (a few clients stand in for many).
        env["RateLimits__Api__PermitLimit"] = "1000000";
        env["RateLimits__Chat__PermitLimit"] = "1000000";
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }
        var process = new Process { StartInfo = info };
        var started = DateTime.UtcNow;
        process.Start();
        var shown = 0;
        // THEMODEL_BENCH_BOTLOG=FILE keeps everything the bot prints (e.g. with --bot-env Logging__LogLevel__…=Information).
        var keep = Environment.GetEnvironmentVariable("THEMODEL_BENCH_BOTLOG") is { Length: > 0 } file ? TextWriter.Synchronized(new StreamWriter(file)) : null;
        process.Exited += (_, _) => keep?.Flush();
        process.OutputDataReceived += (_, e) =>
        {
            if (keep is not null && e.Data is not null)
            {
                keep.WriteLine(e.Data);
                keep.Flush();
            }
            if (e.Data is { Length: > 0 } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase) && Interlocked.Increment(ref shown) <= 10)
            {
                log.WriteLine($"bot: {line}");
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) { log.WriteLine($"bot!: {line}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new BotProcess(process, started);
    }

    private static async Task<double> WaitHealthyAsync(HttpClient http, Process process, DateTime started)
    {
        for (var i = 0; i < 1500; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot exited with {process.ExitCode} before it was healthy.");
            }
            try
            {
                using var response = await http.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return (DateTime.UtcNow - started).TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("The bot was not healthy within 15 s.");
    }

    internal static (long WorkingSetMb, long PrivateMb) Memory(Process process)
    {
        process.Refresh();
        return (process.WorkingSet64 / (1024 * 1024), process.PrivateMemorySize64 / (1024 * 1024));
    }

    /// <summary>Samples the process every 100 ms and keeps the peak.</summary>
    private sealed class PeakSampler
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<(long, long)> loop;

        public PeakSampler(Process process) => loop = Task.Run(async () =>
        {
            var (ws, priv) = (0L, 0L);
            while (!stop.IsCancellationRequested)
            {
                var (w, p) = Memory(process);
                (ws, priv) = (Math.Max(ws, w), Math.Max(priv, p));
                try
                {
                    await Task.Delay(100, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            return (ws, priv);
        });

        public (long, long) Stop()
        {
            stop.Cancel();
            return loop.GetAwaiter().GetResult();
        }
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TheModel.Bot.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("TheModel.Bot.sln not found above " + AppContext.BaseDirectory);
    }
}
