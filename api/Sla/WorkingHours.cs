using System.Collections.Immutable;
using System.Globalization;

namespace TheModel.Api.Sla;

/// <summary>
/// Working days and hours, written as <c>Mon-Fri 09:00-18:00</c>. Several segments are separated by <c>;</c>, days
/// by <c>,</c> or given as ranges, and a day may have several time ranges (a lunch break):
/// <c>Mon-Thu 09:00-12:00,13:00-18:00; Fri 09:00-15:00</c>. A day named again later replaces its earlier hours.
/// Times are local wall-clock times in the calendar's time zone, <c>HH:mm</c>, end after start, <c>24:00</c> allowed.
/// </summary>
public sealed class WorkingHours
{
    private static readonly ImmutableArray<string> DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private readonly IReadOnlyList<(TimeSpan Start, TimeSpan End)>[] days;

    private WorkingHours(IReadOnlyList<(TimeSpan, TimeSpan)>[] days) => this.days = days;

    public const string Default = "Mon-Fri 09:00-18:00";

    /// <summary>Local (start, end) ranges worked on <paramref name="day"/>, in order.</summary>
    public IReadOnlyList<(TimeSpan Start, TimeSpan End)> On(DayOfWeek day) => days[(int)day];

    public static bool TryParse(string? text, out WorkingHours hours, out string error)
    {
        hours = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"is empty; expected e.g. \"{Default}\"";
            return false;
        }
        var table = new IReadOnlyList<(TimeSpan, TimeSpan)>[7];
        for (var i = 0; i < 7; i++)
        {
            table[i] = [];
        }
        foreach (var segment in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = segment.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                error = $"segment \"{segment}\" needs days and times, e.g. \"{Default}\"";
                return false;
            }
            if (!TryParseDays(parts[0], out var dayList, out error) || !TryParseRanges(parts[1], out var ranges, out error))
            {
                error = $"segment \"{segment}\": {error}";
                return false;
            }
            foreach (var day in dayList)
            {
                table[(int)day] = ranges;
            }
        }
        if (table.All(t => t.Count == 0))
        {
            error = "has no working time at all";
            return false;
        }
        hours = new WorkingHours(table);
        return true;
    }

    private static bool TryParseDays(string text, out List<DayOfWeek> result, out string error)
    {
        result = [];
        error = "";
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = item.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || bounds.Any(b => DayIndex(b) < 0))
            {
                error = $"\"{item}\" is not a day or day range (Mon, Tue, Wed, Thu, Fri, Sat, Sun; e.g. Mon-Fri)";
                return false;
            }
            var first = DayIndex(bounds[0]);
            var last = DayIndex(bounds[^1]);
            // Ranges run forward through the week, so Sat-Mon means Saturday, Sunday, Monday.
            for (var d = first; ; d = (d + 1) % 7)
            {
                result.Add((DayOfWeek)d);
                if (d == last)
                {
                    break;
                }
            }
        }
        if (result.Count == 0)
        {
            error = "no days given";
            return false;
        }
        return true;
    }

    private static bool TryParseRanges(string text, out IReadOnlyList<(TimeSpan, TimeSpan)> result, out string error)
    {
        var ranges = new List<(TimeSpan Start, TimeSpan End)>();
        result = ranges;
        error = "";
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = item.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length != 2 || !TryParseTime(bounds[0], out var start) || !TryParseTime(bounds[1], out var end))
            {
                error = $"\"{item}\" is not a time range HH:mm-HH:mm";
                return false;
            }
            if (end <= start)
            {
                error = $"\"{item}\" ends before it starts (overnight hours are not supported)";
                return false;
            }
            if (ranges.Count > 0 && start < ranges[^1].End)
            {
                error = $"\"{item}\" overlaps or comes before the previous range";
                return false;
            }
            ranges.Add((start, end));
        }
        if (ranges.Count == 0)
        {
            error = "no time ranges given";
            return false;
        }
        return true;
    }

    private static bool TryParseTime(string text, out TimeSpan time)
    {
        time = default;
        if (text == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }
        if (TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            time = t.ToTimeSpan();
            return true;
        }
        return false;
    }

    private static int DayIndex(string name) => DayNames.IndexOf(name, 0, DayNames.Length, StringComparer.OrdinalIgnoreCase);
}
