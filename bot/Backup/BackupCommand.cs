using TheModel.Api.Common;
using TheModel.Api.Store;

namespace TheModel.Bot.Backup;

/// <summary>
/// <c>--backup FILE</c>: writes a consistent copy of the configured SQLite store to FILE and exits — 0 with one line
/// saying what was written, 1 with one line saying why not. Runs before the host is built: it serves nothing, starts no
/// hosted service and applies no migration, so it is safe beside the running bot.
/// </summary>
public static class BackupCommand
{
    public const string Switch = "--backup";

    /// <summary>The command line without the switch and its value, for the host's configuration (like <c>--seed-demo</c>).</summary>
    public static string[] WithoutSwitch(string[] args)
    {
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Switch)
            {
                i++;
                continue;
            }
            if (!args[i].StartsWith(Switch + "=", StringComparison.Ordinal))
            {
                rest.Add(args[i]);
            }
        }
        return rest.ToArray();
    }

    /// <summary>Runs the backup when the switch is on the command line; false when it is not (the bot starts as usual).</summary>
    public static async Task<bool> RunIfAskedAsync(IConfiguration configuration, string[] args)
    {
        if (!Asked(args, out var target))
        {
            return false;
        }
        var (code, line) = await RunAsync(configuration, target);
        (code == 0 ? Console.Out : Console.Error).WriteLine(line);
        Environment.ExitCode = code;
        return true;
    }

    /// <summary>Whether the switch is given; <paramref name="target"/> is its value (empty when it has none).</summary>
    public static bool Asked(string[] args, out string target)
    {
        target = "";
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == Switch)
            {
                target = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[i + 1] : "";
                return true;
            }
            if (args[i].StartsWith(Switch + "=", StringComparison.Ordinal))
            {
                target = args[i][(Switch.Length + 1)..];
                return true;
            }
        }
        return false;
    }

    /// <summary>The exit code and the one line to print.</summary>
    public static async Task<(int Code, string Line)> RunAsync(IConfiguration configuration, string target, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            return (1, $"Backup not written: {Switch} needs a file name ({Switch} backups/themodel-copy.db).");
        }
        switch (configuration.Peek<StoreOptions>(StoreOptions.Section).Kind)
        {
            case null:
                return (1, $"Backup not written: {StoreOptions.ProviderError}");
            case StoreProvider.Postgres:
                return (1, "Backup not written: the store is PostgreSQL; back it up with pg_dump (see the README, \"Backup and restore\").");
        }
        try
        {
            var connectionString = configuration.GetConnectionString(StoreExtensions.ConnectionName) ?? StoreExtensions.DefaultSqlite;
            var written = await SqliteBackup.WriteAsync(connectionString, target, ct);
            return (0, $"Backup written: {written.Path} ({written.Bytes} bytes).");
        }
        catch (BackupRefusedException ex)
        {
            return (1, $"Backup not written: {ex.Message}");
        }
    }
}
