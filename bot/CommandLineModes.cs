using TheModel.Api.Store;
using TheModel.Bot.Backup;
using TheModel.Bot.Demo;

namespace TheModel.Bot;

/// <summary>
/// The bot's two one-off modes besides serving: <c>--backup</c> (copies the SQLite file and exits, before any service
/// is built) and <c>--seed-demo</c> (fills an empty database once it is migrated, then serves).
/// </summary>
internal static class CommandLineModes
{
    /// <summary>
    /// The host's arguments: the mode switches removed. Settings are read at start: watching the content root for
    /// appsettings changes would also wake the process on every write to a SQLite file kept beside it (the default
    /// themodel.db): a file-system event per commit.
    /// </summary>
    public static string[] HostArguments(string[] args) =>
        ["--hostBuilder:reloadConfigOnChange=false", .. BackupCommand.WithoutSwitch(DemoSeeder.WithoutSwitch(args))];

    /// <summary>Runs the backup when asked; true means it ran and the process ends.</summary>
    public static Task<bool> BackupIfAskedAsync(IConfiguration configuration, string[] args) =>
        BackupCommand.RunIfAskedAsync(configuration, args);

    /// <summary>
    /// Before serving: the settings are valid (else their errors are printed), the store is migrated, and the demo data
    /// is seeded when asked. False means stop.
    /// </summary>
    public static async Task<bool> ReadyToServeAsync(IServiceProvider services, string[] args)
    {
        if (!StartupErrors.SettingsAreValid(services))
        {
            return false;
        }
        await services.MigrateTheModelStoreAsync();
        return await DemoSeeder.RunIfAskedAsync(services, args);
    }
}
