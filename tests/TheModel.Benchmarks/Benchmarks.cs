using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Kpis;
using TheModel.Api.Sla;

namespace TheModel.Benchmarks;

/// <summary>Where the BenchmarkDotNet classes find their data: <c>THEMODEL_BENCH_DB</c> (set by the <c>bench</c> command).</summary>
public static class BenchData
{
    public const string Variable = "THEMODEL_BENCH_DB";

    public static string Path => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path
        ? path
        : throw new InvalidOperationException($"{Variable} is not set: run `bench --db FILE`.");
}

/// <summary>A quarter's figures through <see cref="IKpiQueries"/> against the same aggregates in hand-written SQL (the baseline).</summary>
[MemoryDiagnoser]
public class KpiQueryBenchmarks
{
    private Scenarios scenarios = null!;

    [GlobalSetup]
    public async Task SetupAsync() => scenarios = await Scenarios.OpenAsync(BenchData.Path);

    [GlobalCleanup]
    public async Task CleanupAsync() => await scenarios.DisposeAsync();

    [Benchmark(Baseline = true, Description = "funnel, raw SQL on the file")]
    public Task<long> RawFunnel() => scenarios.RawFunnelAsync();

    [Benchmark(Description = "funnel, IKpiQueries.FunnelAsync")]
    public Task<FunnelReport> Funnel() => scenarios.FunnelAsync();

    [Benchmark(Description = "all KPIs, raw SQL on the file")]
    public Task<long> RawKpis() => scenarios.RawKpisAsync();

    [Benchmark(Description = "all KPIs, IKpiQueries.KpisAsync")]
    public Task<KpiReport> Kpis() => scenarios.KpisAsync();
}

/// <summary>The SLA sweep over the generated open handoffs, none of them due.</summary>
[MemoryDiagnoser]
public class SlaSweepBenchmarks
{
    private Scenarios scenarios = null!;

    [GlobalSetup]
    public async Task SetupAsync() => scenarios = await Scenarios.OpenAsync(BenchData.Path);

    [GlobalCleanup]
    public async Task CleanupAsync() => await scenarios.DisposeAsync();

    [Benchmark(Description = "SlaSweeper.RunAsync, nothing due")]
    public Task<SlaSweepResult> Sweep() => scenarios.SweepAsync();
}

/// <summary>Batch intake of 1,000 new leads (30 % MQLs, routed and offered) through the domain, one SaveChanges.</summary>
[MemoryDiagnoser]
public class IntakeBenchmarks
{
    private IHost host = null!;
    private int seed;
    private List<TheModel.Api.Leads.LeadInput> batch = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(BenchData.Path)!, "intake-bench.db");
        host = await IntakeDatabase.CreateAsync(path);
    }

    [IterationSetup]
    public void NextBatch() => batch = Scenarios.Batch(1000, Interlocked.Increment(ref seed));

    [GlobalCleanup]
    public void Cleanup() => host.Dispose();

    [Benchmark(Description = "LeadIntake, batch of 1,000", OperationsPerInvoke = 1000)]
    public Task<int> Intake() => Scenarios.IntakeBatchAsync(host.Services, batch);
}
