using System.Collections.ObjectModel;

namespace TheModel.Api.Sla;

/// <summary>
/// Japanese public holidays (国民の祝日) under the law as amended for 2020 onwards: fixed days, Happy Mondays,
/// the equinox days, substitute holidays (振替休日) and citizens' holidays (国民の休日), plus the one-off moves for
/// the Tokyo Olympics in 2020 and 2021. Verified against the Cabinet Office lists for 2020–2027; later years follow
/// the same rules (the equinox days are only fixed by the Cabinet Office each February for the next year, so the
/// standard formula is used, valid 1980–2099).
/// </summary>
public static class JapaneseHolidays
{
    public const int FirstYear = 2020;
    public const int LastYear = 2099;

    /// <summary>Every year's holidays, worked out once (80 small dictionaries) rather than cached as asked for.</summary>
    private static readonly IReadOnlyList<IReadOnlyDictionary<DateOnly, string>> Years =
        Enumerable.Range(FirstYear, LastYear - FirstYear + 1).Select(y => (IReadOnlyDictionary<DateOnly, string>)new ReadOnlyDictionary<DateOnly, string>(Compute(y))).ToList().AsReadOnly();

    public static bool IsHoliday(DateOnly date) => For(date.Year).ContainsKey(date);

    /// <summary>Every holiday of <paramref name="year"/> in date order; empty outside 2020–2099 (the rules differ before 2020).</summary>
    public static IReadOnlyDictionary<DateOnly, string> For(int year) =>
        year is < FirstYear or > LastYear ? ReadOnlyDictionary<DateOnly, string>.Empty : Years[year - FirstYear];

    private static SortedDictionary<DateOnly, string> Compute(int year)
    {
        var national = new SortedDictionary<DateOnly, string>
        {
            [new(year, 1, 1)] = "元日",
            [NthMonday(year, 1, 2)] = "成人の日",
            [new(year, 2, 11)] = "建国記念の日",
            [new(year, 2, 23)] = "天皇誕生日",
            [new(year, 3, VernalEquinoxDay(year))] = "春分の日",
            [new(year, 4, 29)] = "昭和の日",
            [new(year, 5, 3)] = "憲法記念日",
            [new(year, 5, 4)] = "みどりの日",
            [new(year, 5, 5)] = "こどもの日",
            [NthMonday(year, 9, 3)] = "敬老の日",
            [new(year, 9, AutumnalEquinoxDay(year))] = "秋分の日",
            [new(year, 11, 3)] = "文化の日",
            [new(year, 11, 23)] = "勤労感謝の日",
        };
        // The Olympic special measures act moved three holidays in 2020 and 2021.
        var (marine, sports, mountain) = year switch
        {
            2020 => (new DateOnly(2020, 7, 23), new DateOnly(2020, 7, 24), new DateOnly(2020, 8, 10)),
            2021 => (new DateOnly(2021, 7, 22), new DateOnly(2021, 7, 23), new DateOnly(2021, 8, 8)),
            _ => (NthMonday(year, 7, 3), NthMonday(year, 10, 2), new DateOnly(year, 8, 11)),
        };
        national[marine] = "海の日";
        national[sports] = "スポーツの日";
        national[mountain] = "山の日";

        var all = new SortedDictionary<DateOnly, string>(national);
        // 国民の休日: a weekday squeezed between two national holidays (art. 3(3)); only ever happens in September now.
        foreach (var day in national.Keys.ToList())
        {
            var next = day.AddDays(1);
            if (national.ContainsKey(day.AddDays(2)) && !national.ContainsKey(next) && next.DayOfWeek != DayOfWeek.Sunday)
            {
                all[next] = "国民の休日";
            }
        }
        // 振替休日: a national holiday on a Sunday moves to the nearest following day that is not a national holiday (art. 3(2)).
        foreach (var day in national.Keys.Where(d => d.DayOfWeek == DayOfWeek.Sunday).ToList())
        {
            var substitute = day.AddDays(1);
            while (national.ContainsKey(substitute))
            {
                substitute = substitute.AddDays(1);
            }
            all[substitute] = "振替休日";
        }
        return all;
    }

    /// <summary>The standard approximation used for the Cabinet Office's announcements, valid 1980–2099.</summary>
    internal static int VernalEquinoxDay(int year) => (int)Math.Floor(20.8431 + 0.242194 * (year - 1980) - Math.Floor((year - 1980) / 4.0));

    internal static int AutumnalEquinoxDay(int year) => (int)Math.Floor(23.2488 + 0.242194 * (year - 1980) - Math.Floor((year - 1980) / 4.0));

    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + 7 * (n - 1));
    }
}
