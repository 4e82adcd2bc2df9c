using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TheModel.Api.Sweeps;

/// <summary>How much one run of a sweep reads: batches of <see cref="Size"/> due items, at most <see cref="MaxPerRun"/> of them.</summary>
public readonly record struct SweepBatches(int Size, int MaxPerRun);

/// <summary>The moment a run sweeps at (UTC), the instance it claims steps as, and which batch it is reading (0 first).</summary>
public readonly record struct SweepRound(DateTime Now, string InstanceId, int Batch);

/// <summary>What a sweep did, added up item by item; only what committed is added.</summary>
public interface ISweepTally<TSelf> where TSelf : ISweepTally<TSelf>
{
    static abstract TSelf Zero { get; }

    static abstract TSelf operator +(TSelf left, TSelf right);

    /// <summary>How many steps were done; a run that did none logs nothing.</summary>
    int Steps { get; }
}

/// <summary>A tally that only counts steps, for a sweep whose step is all of one kind.</summary>
public sealed record SweepCount(int Steps) : ISweepTally<SweepCount>
{
    public static SweepCount Zero { get; } = new(0);
    public static SweepCount One { get; } = new(1);

    public static SweepCount operator +(SweepCount left, SweepCount right) => new(left.Steps + right.Steps);
}

/// <summary>
/// One scheduled sweep's own rules: what is due, and what sweeping one item does. <see cref="SweepRunner"/> does the
/// rest — batches, a scope per item, claim conflicts, errors, the tally — the same way for every sweep.
/// </summary>
public interface ISweep<TItem, TTally> where TTally : ISweepTally<TTally>
{
    /// <summary>The sweep as log lines name it (<c>SLA</c> → "SLA sweep: …").</summary>
    string Name { get; }

    SweepBatches Batches { get; }

    /// <summary>The next batch of due items (at most <see cref="SweepBatches.Size"/>), read in a scope of its own.</summary>
    Task<IReadOnlyList<TItem>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct);

    /// <summary>
    /// Sweeps one item in a scope of its own: claims its step and commits it with its effects in one SaveChanges, or
    /// throws and commits nothing. Returns what it did (<see cref="ISweepTally{TSelf}.Zero"/> when nothing was due).
    /// </summary>
    Task<TTally> SweepAsync(IServiceProvider services, TItem item, SweepRound round, CancellationToken ct);

    /// <summary>The item as log lines name it (<c>handoff 3f2…</c>).</summary>
    string Describe(TItem item);

    /// <summary>A run's tally as its log line says it (<c>2 reminders, 1 escalations</c>).</summary>
    string Words(TTally tally);

    /// <summary>Whether a full batch that did <paramref name="batch"/> is worth reading the next one after.</summary>
    bool ReadsOnAfter(TTally batch) => true;
}

/// <summary>A sweep as the sweep job runs it: one run at the given moment.</summary>
public interface IScheduledSweep
{
    Task RunAsync(DateTime nowUtc, string instanceId, CancellationToken ct);
}

public static class SweepExtensions
{
    /// <summary>
    /// Registers a sweep (once, however often its feature is added) and the runner. The sweep job runs the sweeps in
    /// the order they are registered here.
    /// </summary>
    public static IServiceCollection AddSweep<TSweep>(this IServiceCollection services) where TSweep : class, IScheduledSweep
    {
        services.TryAddSingleton<SweepRunner>();
        if (services.Any(d => d.ServiceType == typeof(TSweep)))
        {
            return services;
        }
        services.AddSingleton<TSweep>();
        services.AddSingleton<IScheduledSweep>(sp => sp.GetRequiredService<TSweep>());
        return services;
    }
}
