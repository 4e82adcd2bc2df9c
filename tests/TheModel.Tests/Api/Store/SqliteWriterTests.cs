using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Settings;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>Units of work on one SQLite file commit one after another on the file's writer thread.</summary>
public class SqliteWriterTests : IAsyncLifetime
{
    private readonly string path = SqliteFiles.NewPath("writer");
    private readonly SqliteWriters writers = new();

    private TheModelDb Open()
    {
        var options = new DbContextOptionsBuilder<SqliteTheModelDb>();
        StoreExtensions.Configure(options, StoreProvider.Sqlite, $"Data Source={path}", writers: writers);
        return new SqliteTheModelDb(options.Options);
    }

    public async Task InitializeAsync()
    {
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    [Fact]
    public async Task SaveChanges_ManyUnitsOfWorkAtOnce_EveryOneCommits()
    {
        var saves = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            await using var db = Open();
            db.Settings.Add(new Setting { Key = $"writer-{i}", Json = $"{{\"n\":{i}}}", UpdatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        }));

        var written = await Task.WhenAll(saves);

        Assert.All(written, n => Assert.Equal(1, n));
        await using var check = Open();
        Assert.Equal(40, await check.Settings.CountAsync(s => s.Key.StartsWith("writer-")));
    }

    [Fact]
    public async Task SaveChanges_OneUnitOfWorkFails_ItAloneThrowsAndTheOthersCommit()
    {
        await using (var first = Open())
        {
            first.Settings.Add(new Setting { Key = "taken", Json = "{}", UpdatedAt = DateTime.UtcNow });
            await first.SaveChangesAsync();
        }
        var saves = new[] { "taken", "free-1", "free-2" }.Select(key => Task.Run(async () =>
        {
            await using var db = Open();
            db.Settings.Add(new Setting { Key = key, Json = "{\"again\":true}", UpdatedAt = DateTime.UtcNow });
            try
            {
                await db.SaveChangesAsync();
                return (key, ok: true);
            }
            catch (DbUpdateException)
            {
                return (key, ok: false);
            }
        }));

        var outcomes = await Task.WhenAll(saves);

        Assert.Equal([("taken", false), ("free-1", true), ("free-2", true)], outcomes);
        await using var check = Open();
        Assert.Equal("{}", (await check.Settings.SingleAsync(s => s.Key == "taken")).Json);
        Assert.Equal(3, await check.Settings.CountAsync(s => s.Key == "taken" || s.Key.StartsWith("free-")));
    }

    [Fact]
    public async Task SaveChanges_CancelledBeforeItsTurn_WritesNothing()
    {
        await using var db = Open();
        db.Settings.Add(new Setting { Key = "cancelled", Json = "{}", UpdatedAt = DateTime.UtcNow });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.SaveChangesAsync(cancelled.Token));

        await using var check = Open();
        Assert.False(await check.Settings.AnyAsync(s => s.Key == "cancelled"));
    }

    [Fact]
    public async Task WriteAsync_SetBasedUpdate_WaitsForTheWritersTurn()
    {
        await using (var seed = Open())
        {
            seed.Settings.Add(new Setting { Key = "claimed", Json = "{}", UpdatedAt = DateTime.UtcNow });
            await seed.SaveChangesAsync();
        }
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var release = new ManualResetEventSlim();
        await using var db = Open();
        // Another unit of work holds the writer's turn (SQLite calls run synchronously on the writer thread).
        var held = writers.For(db.Database.GetConnectionString()!).RunAsync(() =>
        {
            release.Wait(TimeSpan.FromSeconds(30));
            order.Enqueue("held unit of work");
            return Task.FromResult(0);
        }, CancellationToken.None);

        var write = db.WriteAsync(token =>
        {
            order.Enqueue("set-based update");
            return db.Settings.Where(s => s.Key == "claimed").ExecuteUpdateAsync(u => u.SetProperty(s => s.Json, "{\"by\":1}"), token);
        });
        release.Set();

        Assert.Equal(1, await write);
        await held;
        Assert.Equal(["held unit of work", "set-based update"], order);
        await using var check = Open();
        Assert.Equal("{\"by\":1}", (await check.Settings.SingleAsync(s => s.Key == "claimed")).Json);
    }

    [Fact]
    public async Task Dispose_WriterIdle_ItsThreadEndsAtOnce()
    {
        await using (var db = Open())
        {
            db.Settings.Add(new Setting { Key = "before-dispose", Json = "{}", UpdatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync();
        }
        var writer = writers.For($"Data Source={path}");
        Assert.False(writer.WaitUntilEnded(TimeSpan.Zero)); // the save's writer, its thread idling

        writers.Dispose();

        // Without the stop the thread idles for 10 s before it ends.
        Assert.True(writer.WaitUntilEnded(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Hosts_TwoInOneProcess_EachHasItsOwnWriters()
    {
        await using var first = new TheModelApp();
        await using var second = new TheModelApp();

        var firstWriters = first.Services.GetRequiredService<SqliteWriters>();
        Assert.NotSame(firstWriters, second.Services.GetRequiredService<SqliteWriters>());
        if (!TheModelApp.OnPostgres)
        {
            using var scope = first.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
            Assert.Same(firstWriters, db.GetService<IDbContextOptions>().FindExtension<SqliteWritersExtension>()?.Writers);
        }
    }

    public Task DisposeAsync()
    {
        writers.Dispose();
        SqliteFiles.Delete(path);
        return Task.CompletedTask;
    }
}
