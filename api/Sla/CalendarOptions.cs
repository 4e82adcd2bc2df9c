using System.Globalization;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Sla;

/// <summary>
/// The <c>Calendar</c> section as written; <see cref="CalendarSettings"/> is what it makes (and what an admin may
/// replace at run time). Keys left out keep <see cref="CalendarSettings"/>' defaults.
/// </summary>
public sealed class CalendarOptions
{
    public const string Section = "Calendar";

    /// <summary>IANA (or Windows) time zone id.</summary>
    public string? TimeZone { get; set; }
    /// <summary>See <see cref="Sla.WorkingHours"/> for the format.</summary>
    public string? WorkingHours { get; set; }
    /// <summary>Company days off, <c>yyyy-MM-dd</c>: <c>Holidays:0</c>, … or one comma-separated value.</summary>
    public SettingList? Holidays { get; set; }
    public bool JapaneseHolidays { get; set; } = true;
    /// <summary><c>MM-DD..MM-DD</c>; empty or <c>off</c> = none.</summary>
    public string? YearEndClosure { get; set; }

    /// <summary>The calendar these options make; throws naming every bad key (the start has checked them already).</summary>
    public static CalendarSettings Create(CalendarOptions options) =>
        TryCreate(options, out var settings, out var checks)
            ? settings
            : throw new InvalidOperationException("Calendar configuration is invalid: " + string.Join("; ", checks.Failures));

    internal static bool TryCreate(CalendarOptions options, out CalendarSettings settings, out SettingChecks checks)
    {
        checks = new SettingChecks(Section);
        var defaults = new CalendarSettings();
        var holidays = new List<DateOnly>();
        foreach (var text in options.Holidays ?? [])
        {
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                holidays.Add(day);
            }
            else
            {
                checks.Fail(nameof(Holidays), $"has \"{text}\", which is not a date (yyyy-MM-dd)");
            }
        }
        settings = new CalendarSettings
        {
            TimeZone = string.IsNullOrWhiteSpace(options.TimeZone) ? defaults.TimeZone : options.TimeZone.Trim(),
            WorkingHours = string.IsNullOrWhiteSpace(options.WorkingHours) ? defaults.WorkingHours : options.WorkingHours,
            Holidays = holidays,
            JapaneseHolidays = options.JapaneseHolidays,
            YearEndClosure = options.YearEndClosure is { Length: > 0 } closure && !closure.Equals("off", StringComparison.OrdinalIgnoreCase) ? closure : null,
        };
        // The settings API's rules (PUT /api/settings/calendar), named by the configuration's keys.
        foreach (var (field, problems) in settings.Validate())
        {
            var problem = string.Join(", ", problems);
            checks.Fail(field, problem.StartsWith("is ", StringComparison.Ordinal) ? problem : $"is not valid: {problem}");
        }
        return checks.Failures.Count == 0;
    }
}

/// <summary>Checks the <c>Calendar</c> section at start: an unknown time zone, bad hours or a bad date stop it.</summary>
public sealed class CalendarOptionsValidator : IValidateOptions<CalendarOptions>
{
    public ValidateOptionsResult Validate(string? name, CalendarOptions options)
    {
        CalendarOptions.TryCreate(options, out _, out var checks);
        return checks.Result;
    }
}
