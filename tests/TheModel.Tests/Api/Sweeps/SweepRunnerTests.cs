using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TheModel.Api.Sweeps;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Sweeps;

public class SweepRunnerTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 12, 7, 9, 30, 0, DateTimeKind.Unspecified);

    private readonly LogCapture log = new();
    private readonly ILoggerFactory loggers;
    private readonly ServiceProvider services = new ServiceCollection().AddScoped<ScopeMark>().BuildServiceProvider();
    private readonly SweepRunner runner;

    public SweepRunnerTests()
    {
        loggers = log.Factory();
        runner = new SweepRunner(services.GetRequiredService<IServiceScopeFactory>(), loggers.CreateLogger<SweepRunner>());
    }

    public void Dispose()
    {
        loggers.Dispose();
        services.Dispose();
    }

    [Fact]
    public async Task RunAsync_WhenAnotherInstanceClaimedAnItemFirst_SkipsItAndSweepsTheRest()
    {
        var sweep = new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2, 3]) { Failures = { [2] = new DbUpdateConcurrencyException("claimed") } };

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Equal([1, 3], sweep.Swept);
        Assert.Equal(2, tally.Steps);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Debug && e.Message == "Test sweep of item 2 not claimed by one: changed concurrently");
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunAsync_WhenTheItemsStepWasInsertedByAnotherInstance_TakesTheUniqueViolationAsALostClaim()
    {
        var unique = new DbUpdateException("insert", new SqliteException("SQLite Error 19: 'UNIQUE constraint failed: LeadSteps.LeadId, LeadSteps.Step'.", 19));
        var sweep = new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2, 3]) { Failures = { [1] = unique } };

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Equal([2, 3], sweep.Swept);
        Assert.Equal(2, tally.Steps);
        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task RunAsync_WhenOneItemFails_SweepsTheOthersAndLogsTheError()
    {
        var sweep = new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2, 3]) { Failures = { [2] = new InvalidOperationException("boom") } };

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Equal([1, 3], sweep.Swept);
        Assert.Equal(2, tally.Steps);
        var error = Assert.Single(log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal("Test sweep of item 2 failed; it stays due and is retried next round", error.Message);
    }

    [Fact]
    public async Task RunAsync_WhenCancelled_StopsInsteadOfLoggingAFailure()
    {
        var sweep = new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2, 3]) { Failures = { [2] = new OperationCanceledException() } };

        await Assert.ThrowsAsync<OperationCanceledException>(() => runner.RunAsync(sweep, Now, "one", CancellationToken.None));

        Assert.Equal([1], sweep.Swept);
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task RunAsync_WhenABatchIsShort_EndsTheRun()
    {
        var sweep = new ListSweep(batchSize: 2, maxPerRun: 10, [1, 2, 3]);

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Equal([2, 1], sweep.Reads.Select(r => r.Count));
        Assert.Equal([0, 1], sweep.Reads.Select(r => r.Round.Batch));
        Assert.Equal([1, 2, 3], sweep.Swept);
        Assert.Equal(3, tally.Steps);
    }

    [Fact]
    public async Task RunAsync_WhenEveryBatchIsFull_ReadsNoMoreThanTheSweepsLimit()
    {
        var sweep = new ListSweep(batchSize: 2, maxPerRun: 3, Enumerable.Range(1, 20));

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Equal(3, sweep.Reads.Count);
        Assert.Equal([1, 2, 3, 4, 5, 6], sweep.Swept);
        Assert.Equal(6, tally.Steps);
    }

    [Fact]
    public async Task RunAsync_WhenTheSweepDeclinesAfterAFullBatch_EndsTheRun()
    {
        // Every item of the first page fails: the sweep says the page would be read again as it is.
        var sweep = new ListSweep(batchSize: 2, maxPerRun: 10, [1, 2, 3, 4], readsOnAfterNothing: false)
        {
            Failures = { [1] = new InvalidOperationException("boom"), [2] = new InvalidOperationException("boom") },
        };

        var tally = await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        Assert.Single(sweep.Reads);
        Assert.Equal(0, tally.Steps);
    }

    [Fact]
    public async Task RunAsync_EachItem_IsSweptInAScopeOfItsOwnAtTheRunsUtcNow()
    {
        var sweep = new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2, 3]);

        await runner.RunAsync(sweep, Now, "one", CancellationToken.None);

        var scopes = sweep.Scopes.Prepend(sweep.Reads[0].Scope).ToList();
        Assert.Equal(4, scopes.Distinct().Count());
        Assert.All(sweep.Rounds, r => Assert.Equal((DateTimeKind.Utc, Now, "one"), (r.Now.Kind, r.Now, r.InstanceId)));
    }

    [Fact]
    public async Task RunAsync_WhenStepsWereDone_LogsTheTallyInTheSweepsWords()
    {
        await runner.RunAsync(new ListSweep(batchSize: 10, maxPerRun: 1, [1, 2]), Now, "one", CancellationToken.None);
        var done = log.Entries.Where(e => e.Level == LogLevel.Information).Select(e => e.Message).ToList();
        log.Clear();
        await runner.RunAsync(new ListSweep(batchSize: 10, maxPerRun: 1, []), Now, "one", CancellationToken.None);

        Assert.Equal(["Test sweep: 2 items"], done);
        Assert.DoesNotContain(log.Entries, e => e.Level == LogLevel.Information);
    }

    private sealed class ScopeMark;

    /// <summary>
    /// A sweep over a list: an item is due until it is swept, so a failed one is read again, like a row whose step is
    /// not claimed. Records what the runner asked of it.
    /// </summary>
    private sealed class ListSweep(int batchSize, int maxPerRun, IEnumerable<int> items, bool readsOnAfterNothing = true) : ISweep<int, SweepCount>
    {
        private readonly List<int> due = [.. items];

        public Dictionary<int, Exception> Failures { get; } = [];
        public List<int> Swept { get; } = [];
        public List<(int Count, SweepRound Round, ScopeMark Scope)> Reads { get; } = [];
        public List<ScopeMark> Scopes { get; } = [];
        public List<SweepRound> Rounds { get; } = [];

        public string Name => "Test";

        public SweepBatches Batches => new(batchSize, maxPerRun);

        public Task<IReadOnlyList<int>> DueAsync(IServiceProvider services, SweepRound round, CancellationToken ct)
        {
            IReadOnlyList<int> page = due.Take(batchSize).ToList();
            Reads.Add((page.Count, round, services.GetRequiredService<ScopeMark>()));
            return Task.FromResult(page);
        }

        public Task<SweepCount> SweepAsync(IServiceProvider services, int item, SweepRound round, CancellationToken ct)
        {
            Scopes.Add(services.GetRequiredService<ScopeMark>());
            Rounds.Add(round);
            if (Failures.TryGetValue(item, out var failure))
            {
                throw failure;
            }
            due.Remove(item);
            Swept.Add(item);
            return Task.FromResult(SweepCount.One);
        }

        public string Describe(int item) => $"item {item}";

        public string Words(SweepCount tally) => $"{tally.Steps} items";

        public bool ReadsOnAfter(SweepCount batch) => readsOnAfterNothing || batch.Steps > 0;
    }
}
