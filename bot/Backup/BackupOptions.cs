using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Bot.Backup;

/// <summary>The <c>Backup</c> section: a daily copy of the SQLite store into <see cref="Directory"/>, the last <see cref="Keep"/> kept.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>Where the daily copies go; unset (the default), there is no scheduled backup.</summary>
    public string? Directory { get; set; }
    /// <summary>How many copies to keep; older ones of our naming pattern are deleted, nothing else in the folder is.</summary>
    public int Keep { get; set; } = 7;
    /// <summary>Time of day, in the business calendar's time zone (<c>Calendar:TimeZone</c>).</summary>
    public TimeOnly At { get; set; } = new(3, 0);

    public bool Enabled => !string.IsNullOrWhiteSpace(Directory);
}

public sealed class BackupOptionsValidator : IValidateOptions<BackupOptions>
{
    public ValidateOptionsResult Validate(string? name, BackupOptions options)
    {
        var checks = new SettingChecks(BackupOptions.Section);
        if (options.Enabled)
        {
            checks.AtLeast(nameof(options.Keep), options.Keep, 1);
        }
        return checks.Result;
    }
}
