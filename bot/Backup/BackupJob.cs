using System.Globalization;
using Coravel.Invocable;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Bot.Backup;

/// <summary>
/// The daily backup: Coravel invokes it every minute; it writes a copy when the day's <c>Backup:At</c> has passed
/// since the newest copy in <c>Backup:Directory</c> (so a day missed while the bot was down is made up once, at
/// start), then deletes all but the newest <c>Backup:Keep</c> copies. The folder is its memory: a restart or a clock
/// change needs nothing else. On PostgreSQL it does nothing (pg_dump is the tool there) and says so once.
/// </summary>
public sealed class BackupJob(
    IServiceScopeFactory scopes, IBusinessCalendar calendar, IOptions<BackupOptions> options, TimeProvider time,
    IHostApplicationLifetime lifetime, ILogger<BackupJob> logger) : IInvocable
{
    public const string Name = "store-backup";
    private const string Prefix = "themodel-";
    private const string Suffix = ".db";
    private const string StampFormat = "yyyyMMdd'T'HHmmss'Z'";

    private bool toldPostgres;

    public async Task Invoke()
    {
        try
        {
            await RunAsync(lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            // Nothing was written under a backup's name, so the next minute tries again.
            logger.LogError(ex, "Scheduled backup failed");
        }
    }

    /// <summary>The copy written, or null when none was due (or there is no scheduled backup).</summary>
    public async Task<string?> RunAsync(CancellationToken ct = default)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var folder = Path.GetFullPath(settings.Directory!);
        if (Backups(folder).FirstOrDefault() is { } newest && newest.At >= LastDue(now, settings.At, calendar.TimeZone))
        {
            return null;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        if (!db.Database.IsSqlite())
        {
            if (!toldPostgres)
            {
                toldPostgres = true;
                logger.LogWarning("Backup:Directory is set, but the store is PostgreSQL: there is no scheduled backup; use pg_dump");
            }
            return null;
        }
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, Prefix + now.ToString(StampFormat, CultureInfo.InvariantCulture) + Suffix);
        var written = await SqliteBackup.WriteAsync(db.Database.GetConnectionString()!, target, ct);
        logger.LogInformation("Backup written: {Path} ({Bytes} bytes)", written.Path, written.Bytes);
        foreach (var old in Backups(folder).Skip(settings.Keep))
        {
            File.Delete(old.Path);
            logger.LogInformation("Old backup deleted: {Path}", old.Path);
        }
        return written.Path;
    }

    /// <summary>The most recent <paramref name="at"/> in <paramref name="zone"/> at or before <paramref name="nowUtc"/>, in UTC.</summary>
    internal static DateTime LastDue(DateTime nowUtc, TimeOnly at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
        var due = local.Date + at.ToTimeSpan();
        if (due > local)
        {
            due = due.AddDays(-1);
        }
        // A time the clocks skip (a DST change) happens an hour later that day.
        if (zone.IsInvalidTime(due))
        {
            due = due.AddHours(1);
        }
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(due, DateTimeKind.Unspecified), zone);
    }

    /// <summary>The copies in <paramref name="folder"/> (only files of our naming pattern), newest first.</summary>
    internal static IEnumerable<(string Path, DateTime At)> Backups(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, Prefix + "*" + Suffix)
            .Select(path => (Path: path, Stamp: Path.GetFileName(path)[Prefix.Length..^Suffix.Length]))
            .Select(f => (f.Path, Ok: DateTime.TryParseExact(f.Stamp, StampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at), At: at))
            .Where(f => f.Ok)
            .Select(f => (f.Path, f.At))
            .OrderByDescending(f => f.At)
            .ToList();
    }
}
