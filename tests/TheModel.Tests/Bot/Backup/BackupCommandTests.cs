using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using TheModel.Api.Conversations;
using TheModel.Bot.Backup;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Backup;

public class BackupCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("themodel-backup-").FullName;

    private static IConfiguration Configuration(string connectionString, string? provider = null) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:TheModel"] = connectionString,
            ["Store:Provider"] = provider,
        }).Build();

    /// <summary>
    /// One unit of work: <paramref name="count"/> receipts and their work rows, so a consistent copy always holds as many
    /// of one as of the other.
    /// </summary>
    private static Task ReceiveAsync(TheModelApp app, int first, int count = 1) => app.WithDbAsync(async db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        for (var i = first; i < first + count; i++)
        {
            db.InboundReceipts.Add(new InboundReceipt { Channel = ChatPlatform.Slack, EventId = $"Ev{i}", ReceivedAt = now });
            db.InboundWork.Add(new InboundWork { Channel = ChatPlatform.Slack, Kind = "slack.event", Payload = new string('x', 500), CreatedAt = now, NextAttemptAt = now });
        }
        await db.SaveChangesAsync();
    });

    /// <summary>Every table's row count, read with a connection of its own.</summary>
    internal static Dictionary<string, long> RowCounts(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        var names = new List<string>();
        using (var reader = tables.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }
        return names.ToDictionary(name => name, name =>
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{name}\"";
            return (long)count.ExecuteScalar()!;
        });
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    [SqliteOnlyFact("a copy of the SQLite file")]
    public async Task Run_WhileAWriterCommits_WritesAConsistentCopyWithTheSourcesRowCounts()
    {
        await using var app = new TheModelApp();
        // Enough that the copy takes a while, so that the writer commits while it runs.
        await ReceiveAsync(app, 0, 5_000);
        var before = RowCounts(app.DatabasePath);
        var target = Path.Combine(folder, "copy.db");
        using var stop = new CancellationTokenSource();
        var written = 5_000;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await ReceiveAsync(app, written);
                written++;
            }
        });

        var (code, line) = await BackupCommand.RunAsync(Configuration(app.ConnectionString), target);
        await stop.CancelAsync();
        await writer;

        Assert.Equal((0, $"Backup written: {target} ({new FileInfo(target).Length} bytes)."), (code, line));
        Assert.Equal("ok", IntegrityCheck(target));
        var copy = RowCounts(target);
        // Whole units of work only, none lost from before the backup, none from after the writer stopped.
        Assert.Equal(copy["InboundReceipts"], copy["InboundWork"]);
        Assert.InRange(copy["InboundWork"], 5_000, written);
        // Every other table as in the source.
        var after = RowCounts(app.DatabasePath);
        Assert.Equal(after.Keys, copy.Keys);
        Assert.All(copy.Where(t => t.Key is not ("InboundReceipts" or "InboundWork")), t => Assert.Equal(before[t.Key], t.Value));
    }

    [SqliteOnlyFact("a copy of the SQLite file")]
    public async Task Run_QuietStore_CopyHasEveryTablesRowCount()
    {
        await using var app = new TheModelApp();
        await ReceiveAsync(app, 1);
        var target = Path.Combine(folder, "quiet.db");

        var (code, _) = await BackupCommand.RunAsync(Configuration(app.ConnectionString), target);

        Assert.Equal(0, code);
        Assert.Equal(RowCounts(app.DatabasePath), RowCounts(target));
    }

    [SqliteOnlyFact("a copy of the SQLite file")]
    public async Task Run_TargetExists_RefusesAndLeavesItAlone()
    {
        await using var app = new TheModelApp();
        await ReceiveAsync(app, 1);
        var target = Path.Combine(folder, "existing.db");
        await File.WriteAllTextAsync(target, "yesterday's backup");

        var (code, line) = await BackupCommand.RunAsync(Configuration(app.ConnectionString), target);

        Assert.Equal((1, $"Backup not written: {target} already exists; name a new file."), (code, line));
        Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(target));
        Assert.Equal([target], Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Run_NoStoreAtThePath_RefusesWithoutCreatingOne()
    {
        var missing = Path.Combine(folder, "missing.db");

        var (code, line) = await BackupCommand.RunAsync(Configuration($"Data Source={missing}"), Path.Combine(folder, "copy.db"));

        Assert.Equal(1, code);
        Assert.Equal($"Backup not written: there is no store at {missing} (ConnectionStrings:TheModel).", line);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Run_OnPostgres_SaysToUsePgDump_AndFails()
    {
        var (code, line) = await BackupCommand.RunAsync(Configuration("Host=localhost;Database=themodel", "Postgres"), Path.Combine(folder, "copy.db"));

        Assert.Equal(1, code);
        Assert.Contains("pg_dump", line);
        Assert.DoesNotContain('\n', line);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Theory]
    [InlineData(new[] { "--backup", "x.db", "--urls", "http://127.0.0.1:5055" }, new[] { "--urls", "http://127.0.0.1:5055" })]
    [InlineData(new[] { "--urls", "http://x", "--backup=x.db" }, new[] { "--urls", "http://x" })]
    [InlineData(new[] { "--Outbox:BatchSize", "5" }, new[] { "--Outbox:BatchSize", "5" })]
    public void WithoutSwitch_RemovesTheSwitchAndItsValue_KeepingTheRestInOrder(string[] args, string[] expected)
    {
        Assert.Equal(expected, BackupCommand.WithoutSwitch(args));
        var configuration = new ConfigurationBuilder().AddCommandLine(BackupCommand.WithoutSwitch(args)).Build();
        Assert.Null(configuration["backup"]);
    }

    [Theory]
    [InlineData(new[] { "--backup", "x.db" }, true, "x.db")]
    [InlineData(new[] { "--backup=x.db" }, true, "x.db")]
    [InlineData(new[] { "--backup" }, true, "")]
    [InlineData(new[] { "--urls", "http://x" }, false, "")]
    public void Asked_ReadsTheTarget(string[] args, bool asked, string target)
    {
        Assert.Equal((asked, target), (BackupCommand.Asked(args, out var value), value));
    }

    [SqliteOnlyFact("a copy of the SQLite file")]
    public async Task BotProgram_WithBackupSwitch_WritesTheFileAndExitsZero_ServingNothing()
    {
        await using var app = new TheModelApp();
        await ReceiveAsync(app, 1);
        var target = Path.Combine(folder, "from-the-bot.db");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A port the bot would take if it served: it must not.
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "TheModel.Bot.dll"), "--backup", target, "--urls", "http://127.0.0.1:1" },
            Environment = { ["ConnectionStrings__TheModel"] = app.ConnectionString, ["DOTNET_ENVIRONMENT"] = "Production" },
        };

        using var bot = Process.Start(start)!;
        var output = bot.StandardOutput.ReadToEndAsync();
        var errors = bot.StandardError.ReadToEndAsync();
        await bot.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(bot.ExitCode == 0, $"exit code {bot.ExitCode}: {await errors}");
        Assert.Equal($"Backup written: {target} ({new FileInfo(target).Length} bytes).", (await output).Trim());
        Assert.Equal(RowCounts(app.DatabasePath), RowCounts(target));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
