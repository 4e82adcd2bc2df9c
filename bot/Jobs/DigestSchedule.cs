using Quartz;
using TheModel.Api.Digests;

namespace TheModel.Bot.Jobs;

/// <summary>
/// When the digest is due: the Quartz cron <c>Digest:Schedule</c> in <c>Digest:TimeZone</c>. The job asks for the most
/// recent due time at or before now, so a run that starts late (after downtime) still knows which week it owes.
/// </summary>
public sealed class DigestSchedule
{
    // Smallest window first: the most recent due time lies in the smallest window that holds any, and a frequent
    // cron never walks a long window.
    private static readonly TimeSpan[] LookBack =
        [TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(8), TimeSpan.FromDays(32), TimeSpan.FromDays(367)];

    private readonly CronExpression expression;

    public DigestSchedule(DigestOptions options)
    {
        if (!CronExpression.TryParse(options.Schedule, out var parsed) || parsed is null)
        {
            throw new InvalidOperationException(
                $"Digest:Schedule '{options.Schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week), e.g. '{DigestOptions.DefaultSchedule}'.");
        }
        Cron = options.Schedule;
        TimeZone = options.TimeZone;
        expression = parsed.WithTimeZone(options.TimeZone);
    }

    public string Cron { get; }
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The latest due time at or before <paramref name="nowUtc"/>; null if none in the past year.</summary>
    public DateTime? LastAtOrBefore(DateTime nowUtc)
    {
        var now = new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc));
        foreach (var window in LookBack)
        {
            DateTimeOffset? last = null;
            // GetTimeAfter is strictly after, so start just before the window to include its first instant.
            var next = expression.GetNextValidTimeAfter(now - window - TimeSpan.FromSeconds(1));
            while (next is { } at && at <= now)
            {
                last = at;
                next = expression.GetNextValidTimeAfter(at);
            }
            if (last is { } found)
            {
                return found.UtcDateTime;
            }
        }
        return null;
    }

    public DateTime? NextAfter(DateTime utc) =>
        expression.GetNextValidTimeAfter(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)))?.UtcDateTime;
}
