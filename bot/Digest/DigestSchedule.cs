using Cronos;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;

namespace TheModel.Bot.Digest;

/// <summary>
/// When the digest is due: the standard 5-field cron <c>Digest:Schedule</c> in <c>Digest:TimeZone</c>, computed by
/// Cronos (daylight saving included). The job asks for the most recent due time at or before now, so a run that starts
/// late (after downtime) still knows which week it owes.
/// </summary>
public sealed class DigestSchedule
{
    private const string Format = "a standard 5-field cron (minute hour day-of-month month day-of-week)";

    private readonly CronExpression expression;

    public DigestSchedule(DigestOptions options)
    {
        if (Problem(options.Schedule) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        Cron = options.Schedule;
        TimeZone = options.FindTimeZone();
        expression = CronExpression.Parse(options.Schedule, CronFormat.Standard);
    }

    public string Cron { get; }
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The latest due time at or before <paramref name="nowUtc"/>; null if the cron never fires.</summary>
    public DateTime? LastAtOrBefore(DateTime nowUtc) =>
        expression.GetPreviousOccurrence(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), TimeZone, inclusive: true);

    public DateTime? NextAfter(DateTime utc) =>
        expression.GetNextOccurrence(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone);

    /// <summary>Why <paramref name="cron"/> cannot be the digest's schedule, in one line naming the key; null when it can.</summary>
    public static string? Problem(string cron)
    {
        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is 6 or 7)
        {
            // A Quartz cron (seconds first, perhaps a year last) is named as one, so the fix is plain from the message.
            return $"Digest:Schedule '{cron}' is a {fields}-field Quartz cron; the digest now takes {Format}, e.g. '{DigestOptions.DefaultSchedule}'.";
        }
        try
        {
            CronExpression.Parse(cron, CronFormat.Standard);
            return null;
        }
        catch (Exception ex) when (ex is CronFormatException or MissingSeedException)
        {
            return $"Digest:Schedule '{cron}' is not {Format}, e.g. '{DigestOptions.DefaultSchedule}': {ex.Message}";
        }
    }
}

/// <summary>Refuses a digest schedule Cronos cannot read, at start, whether or not this process runs the schedules.</summary>
public sealed class DigestScheduleValidator : IValidateOptions<DigestOptions>
{
    public ValidateOptionsResult Validate(string? name, DigestOptions options) =>
        DigestSchedule.Problem(options.Schedule) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
