using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace TheModel.Benchmarks;

public sealed record MeasureResult(int FunnelInquiries, int SweepChecked);

/// <summary>
/// Stopwatch figures (median of N runs after three warm-up runs) for the in-process targets, for a quick look and for the smoke run;
/// BenchmarkDotNet (<c>bench</c>) gives the same with statistics.
/// </summary>
public static class Measure
{
    /// <param name="only">"intake": only the intake and decision figures (no KPI data file needed); "kpi": only the KPI figures.</param>
    public static async Task<MeasureResult> RunAsync(string path, int runs, TextWriter log, string? only = null)
    {
        var result = new MeasureResult(0, 0);
        if (only != "intake")
        {
            await using var scenarios = await Scenarios.OpenAsync(path);
            var funnel = await TimeAsync("funnel, IKpiQueries.FunnelAsync", runs, scenarios.FunnelAsync, log);
            var rawFunnel = await TimeAsync("funnel, raw SQL on the file", runs, scenarios.RawFunnelAsync, log);
            var kpis = await TimeAsync("all KPIs, IKpiQueries.KpisAsync", runs, scenarios.KpisAsync, log);
            var rawKpis = await TimeAsync("all KPIs, raw SQL on the file", runs, scenarios.RawKpisAsync, log);
            log.WriteLine($"ratio funnel EF/raw = {funnel.Median / rawFunnel.Median:N2}; all KPIs EF/raw = {kpis.Median / rawKpis.Median:N2}");
            if (only == "kpi")
            {
                return new MeasureResult(funnel.Last.Inquiries, 0);
            }
            var sweep = await TimeAsync("SlaSweeper.RunAsync, nothing due", runs, scenarios.SweepAsync, log);
            result = new MeasureResult(funnel.Last.Inquiries, sweep.Last.Checked);
        }
        SqliteConnection.ClearAllPools();
        using var host = await IntakeDatabase.CreateAsync(Path.Combine(Path.GetDirectoryName(path)!, "intake.db"));
        var seed = 0;
        var intake = await TimeAsync("LeadIntake, batch of 1,000 (30 % MQL)", runs, () => Scenarios.IntakeBatchAsync(host.Services, Scenarios.Batch(1000, ++seed)), log);
        log.WriteLine($"intake: {1000 / (intake.Median / 1000):N0} leads/s (median batch)");
        // One decision through the domain (no HTTP): the floor under the Teams/Slack endpoint figures.
        var open = await Scenarios.OpenOffersAsync(host.Services, (runs + 3) * 100);
        var next = 0;
        var decision = await TimeAsync("HandoffService.AcceptAsync × 100, sequential", runs, async () =>
        {
            for (var i = 0; i < 100; i++, next++)
            {
                await Scenarios.AcceptAsync(host.Services, open[next]);
            }
            return next;
        }, log);
        log.WriteLine($"decision through the domain: {decision.Median / 100:N2} ms each, {100_000 / decision.Median:N0}/s on one thread");

        return result;
    }

    private sealed record Timing<T>(double Median, double Min, double CpuMedian, T Last);

    private static async Task<Timing<T>> TimeAsync<T>(string name, int runs, Func<Task<T>> action, TextWriter log)
    {
        // Three runs not counted: the JIT's optimised tiers replace the first code only after some calls.
        var last = await action();
        last = await action();
        last = await action();
        var samples = new List<double>(runs);
        // CPU time of the whole process (all threads): the work done, much less moved by other load on the machine than wall time.
        var cpu = new List<double>(runs);
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            last = await action();
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        samples.Sort();
        cpu.Sort();
        var timing = new Timing<T>(samples[samples.Count / 2], samples[0], cpu[cpu.Count / 2], last);
        log.WriteLine($"{name,-45} median {timing.Median,9:N2} ms  min {timing.Min,9:N2} ms  cpu median {timing.CpuMedian,9:N2} ms  ({runs} runs, load {Machine.Load()})");
        return timing;
    }
}

public static class Report
{
    public static void Load(LoadResult r, TextWriter log)
    {
        log.WriteLine($"start → healthy        {r.StartToHealthyMs:N0} ms");
        log.WriteLine($"memory idle            working set {r.IdleWorkingSetMb} MB, private {r.IdlePrivateMb} MB");
        log.WriteLine($"memory loaded (peak)   working set {r.LoadedWorkingSetMb} MB, private {r.LoadedPrivateMb} MB");
        log.WriteLine($"Teams invoke latency   {r.Teams}   (closed loop, saturated)");
        log.WriteLine($"Slack click latency    {r.Slack}   (closed loop, saturated)");
        log.WriteLine($"decisions              {r.DecisionsPerSecond:N0}/s closed loop (requests sent → all stored); bot CPU {r.CpuMsPerDecision:N2} ms per decision");
        if (r.PacedTeams is { } teams && r.PacedSlack is { } slack)
        {
            log.WriteLine($"Teams invoke latency   {teams}   (paced, {r.PacedDecided} decisions stored at {r.PacedRate:N0}/s)");
            log.WriteLine($"Slack click latency    {slack}   (paced)");
        }
        if (r.PacedPhases is { Count: > 1 } phases)
        {
            foreach (var phase in phases)
            {
                log.WriteLine($"paced                  {phase}");
            }
        }
        log.WriteLine($"decisions stored       {r.Decided} of {r.Expected} offered");
        log.WriteLine($"batch intake (HTTP)    {r.IntakeLeads} leads at {r.IntakeLeadsPerSecond:N0} leads/s; per batch {r.IntakeBatch}");
    }
}
