using System.Diagnostics;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using TheModel.Benchmarks;

// Commands (see PERFORMANCE.md):
//   generate [--db PATH] [--leads N] [--events N]        the data set (default 1,000,000 leads / 5,000,000 events)
//   measure  [--db PATH] [--runs N] [--only kpi|intake]   stopwatch figures for KPI / raw SQL / SLA sweep / intake
//   bench    [--db PATH] [BenchmarkDotNet arguments]      the same through BenchmarkDotNet (in-process toolchain)
//   load     [--clients N] [--warmup N] [--count N] [--paced N] [--rate N] [--batches N] [--batch-size N] [--intake-warmup N] [--intake-clients N] [--posted-cards 1|0] [--rates N,N,…] [--bot-env K=V]
//                                                         HTTP load on the real bot process
//   --smoke                                               all of it, small, in well under a minute (CI)
var arguments = args.ToList();
var command = arguments.Count > 0 ? arguments[0] : "--help";
var root = LoadCommand.RepoRoot();
var work = Path.Combine(root, "tests", "TheModel.Benchmarks", "data");
Directory.CreateDirectory(work);
string Option(string name, string fallback)
{
    var i = arguments.IndexOf(name);
    return i >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : fallback;
}
int Int(string name, int fallback) => int.Parse(Option(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);
var db = Path.GetFullPath(Option("--db", Path.Combine(work, "bench.db")));
// measure and bench read the generated data set; without it they would fail deep inside a query.
if (command is "measure" or "bench" && !File.Exists(db))
{
    Console.Error.WriteLine($"No data file at {db}: generate it first with " +
        $"`dotnet run -c Release --project tests/TheModel.Benchmarks -- generate --db {db}` (see PERFORMANCE.md).");
    return 2;
}

Console.WriteLine(Machine.Describe());
switch (command)
{
    case "generate":
        await DataGenerator.GenerateAsync(db, Int("--leads", 1_000_000), Int("--events", 5_000_000), Console.Out);
        return 0;
    case "measure":
        await Measure.RunAsync(db, Int("--runs", 10), Console.Out, Option("--only", "") is { Length: > 0 } only ? only : null);
        return 0;
    case "bench":
    {
        Environment.SetEnvironmentVariable(BenchData.Variable, db);
        var rest = arguments.Skip(1).Where((a, i) => a != "--db" && (i == 0 || arguments[i] != "--db")).ToArray();
        // In-process: the data file and the product assemblies are already here; no generated project to build.
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
        BenchmarkSwitcher.FromAssembly(typeof(Scenarios).Assembly).Run(rest, config);
        return 0;
    }
    case "load":
    {
        // --bot-env KEY=VALUE (repeatable): settings for the bot process, e.g. DOTNET_gcServer=0.
        var botEnv = arguments.Select((a, i) => (a, i)).Where(x => x.a == "--bot-env" && x.i + 1 < arguments.Count)
            .Select(x => arguments[x.i + 1].Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length > 1 ? kv[1] : "");
        var result = await LoadCommand.RunAsync(new LoadOptions(Int("--clients", 50), Int("--count", 10000), Int("--batches", 20), Int("--batch-size", 1000), work, botEnv,
            WarmUp: Int("--warmup", 5000), Paced: Int("--paced", 10000), Rate: Int("--rate", 800),
            IntakeWarmUp: Int("--intake-warmup", 5), IntakeClients: Int("--intake-clients", 1), PostedCards: Int("--posted-cards", 1) != 0,
            Rates: Option("--rates", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(r => int.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Drain: arguments.Contains("--drain")), Console.Out);
        Report.Load(result, Console.Out);
        return Failures(result) == 0 && result.Decided == result.Expected ? 0 : 1;
    }
    case "--smoke":
    case "smoke":
    {
        // Small sizes, every path exercised once; the figures printed are not the targets' (those need the full data set).
        var watch = Stopwatch.StartNew();
        var smokeDb = Path.Combine(work, "smoke.db");
        var data = await DataGenerator.GenerateAsync(smokeDb, 20_000, 100_000, Console.Out);
        var measured = await Measure.RunAsync(smokeDb, 1, Console.Out);
        var load = await LoadCommand.RunAsync(new LoadOptions(10, 300, 3, 1000, work, WarmUp: 50, Paced: 100, Rate: 100, IntakeWarmUp: 1, IntakeClients: 2,
            Rates: [50, 100]), Console.Out);
        Report.Load(load, Console.Out);
        var ok = data.Events == 100_000 && measured.FunnelInquiries > 0 && measured.SweepChecked == 0
            && load.Decided == 550 && load.Expected == 550 && load.PacedPhases is { Count: 2 } && Failures(load) == 0 && load.IntakeLeads == 3000;
        Console.WriteLine($"smoke {(ok ? "passed" : "FAILED")} in {watch.Elapsed.TotalSeconds:N1} s");
        return ok ? 0 : 1;
    }
    default:
        Console.WriteLine("usage: generate | measure | bench | load | --smoke   (see PERFORMANCE.md)");
        return command is "--help" or "-h" ? 0 : 2;
}

static int Failures(LoadResult r) =>
    r.Teams.Failures + r.Slack.Failures + r.IntakeBatch.Failures + (r.PacedTeams?.Failures ?? 0) + (r.PacedSlack?.Failures ?? 0);

internal static class Machine
{
    public static string Describe()
    {
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim() : "?";
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() : "?";
        return $"machine: {Environment.ProcessorCount} cores ({cpu}), {memory} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load {Load()}";
    }

    public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
}
