using System.Globalization;
using System.Text.RegularExpressions;

namespace TheModel.Cards;

/// <summary>
/// A period's label (<c>this-week</c>, <c>last-90-days</c>, <c>2026-11</c>, <c>2026-W48</c>, <c>from..to</c>) as a reader
/// says it: 先週, 直近90日, 2026年11月, 2026年第48週; "last week", "last 90 days". Dated labels stay as they are in English
/// (ISO months and weeks read well there). The one place figures, plan and digest titles word a period.
/// </summary>
public static partial class PeriodLabels
{
    public static string For(string label, string? language)
    {
        var ja = language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase);
        switch (label)
        {
            case "this-week": return ja ? "今週" : "this week";
            case "last-week": return ja ? "先週" : "last week";
            case "this-month": return ja ? "今月" : "this month";
            case "last-month": return ja ? "先月" : "last month";
        }
        if (TrailingDays().Match(label) is { Success: true } days)
        {
            var n = int.Parse(days.Groups[1].Value, CultureInfo.InvariantCulture);
            return ja ? $"直近{n}日" : $"last {n} day{(n == 1 ? "" : "s")}";
        }
        if (!ja)
        {
            return label.Contains("..", StringComparison.Ordinal) ? label.Replace("..", " to ", StringComparison.Ordinal) : label;
        }
        if (Month().Match(label) is { Success: true } month)
        {
            return $"{month.Groups[1].Value}年{int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture)}月";
        }
        if (Week().Match(label) is { Success: true } week)
        {
            return $"{week.Groups[1].Value}年第{int.Parse(week.Groups[2].Value, CultureInfo.InvariantCulture)}週";
        }
        return label.Replace("..", "〜", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^last-(\d{1,4})-days$")]
    private static partial Regex TrailingDays();

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex Month();

    [GeneratedRegex(@"^(\d{4})-[Ww](\d{2})$")]
    private static partial Regex Week();
}
