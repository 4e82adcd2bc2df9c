using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TheModel.Api.Common;
using TheModel.Api.People;
using TheModel.Cards;

namespace TheModel.Bot.Chat;

/// <summary>
/// Reads a chat message as a <see cref="ChatCommand"/>, in English or Japanese. Text is NFKC-normalized first
/// (full-width letters, digits and spaces become ASCII), case does not matter, and a Japanese command may run
/// straight into its argument (<c>逆算1000万</c>), as people type it.
/// </summary>
public static partial class ChatCommandParser
{
    private enum Verb
    {
        Help,
        Funnel,
        Kpi,
        MyQueue,
        Overdue,
        Lead,
        Plan,
        Digest,
        Link,
        Join,
        Approve,
        Decline,
        Contact,
        Threshold,
        Customer,
    }

    // Longest first, so "kpis" wins over "kpi" and "期限切れ" over nothing shorter.
    private static readonly IReadOnlyList<(string Word, Verb Verb)> Verbs = new (string, Verb)[]
    {
        ("help", Verb.Help), ("ヘルプ", Verb.Help), ("使い方", Verb.Help), ("?", Verb.Help),
        ("funnel", Verb.Funnel), ("ファネル", Verb.Funnel),
        ("kpis", Verb.Kpi), ("kpi", Verb.Kpi),
        ("my queue", Verb.MyQueue), ("myqueue", Verb.MyQueue), ("queue", Verb.MyQueue),
        ("マイキュー", Verb.MyQueue), ("自分のキュー", Verb.MyQueue), ("キュー", Verb.MyQueue),
        ("overdue", Verb.Overdue), ("期限切れ", Verb.Overdue), ("期限超過", Verb.Overdue), ("超過", Verb.Overdue),
        ("lead", Verb.Lead), ("リード", Verb.Lead),
        ("plan", Verb.Plan), ("逆算", Verb.Plan),
        ("digest", Verb.Digest), ("ダイジェスト", Verb.Digest),
        ("link", Verb.Link), ("リンク", Verb.Link),
        ("join", Verb.Join), ("参加", Verb.Join),
        ("approve", Verb.Approve), (JapaneseTerms.Approve, Verb.Approve),
        ("decline", Verb.Decline), (JapaneseTerms.Decline, Verb.Decline),
        ("contact", Verb.Contact), ("接触", Verb.Contact),
        ("threshold", Verb.Threshold), ("閾値", Verb.Threshold), ("しきい値", Verb.Threshold),
    }.Concat(CustomerCommands.Words.Select(w => (w.Word, Verb.Customer))).OrderByDescending(v => v.Item1.Length).ToList().AsReadOnly();

    private static readonly FrozenDictionary<string, Department> Departments = new Dictionary<string, Department>(StringComparer.Ordinal)
    {
        ["mk"] = Department.MK, ["marketing"] = Department.MK, ["マーケ"] = Department.MK, ["マーケティング"] = Department.MK,
        ["is"] = Department.IS, ["insidesales"] = Department.IS, ["インサイドセールス"] = Department.IS, ["インサイド"] = Department.IS,
        ["fs"] = Department.FS, ["fieldsales"] = Department.FS, ["フィールドセールス"] = Department.FS, ["フィールド"] = Department.FS,
        ["cs"] = Department.CS, ["customersuccess"] = Department.CS, ["カスタマーサクセス"] = Department.CS,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> NamedPeriods = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["this-week"] = "this-week", ["this week"] = "this-week", ["thisweek"] = "this-week", ["今週"] = "this-week",
        ["last-week"] = "last-week", ["last week"] = "last-week", ["lastweek"] = "last-week", ["先週"] = "last-week",
        ["this-month"] = "this-month", ["this month"] = "this-month", ["thismonth"] = "this-month", ["今月"] = "this-month",
        ["last-month"] = "last-month", ["last month"] = "last-month", ["lastmonth"] = "last-month", ["先月"] = "last-month",
        ["last-30-days"] = "last-30-days", ["last 30 days"] = "last-30-days", ["30d"] = "last-30-days",
        ["直近30日"] = "last-30-days", ["過去30日"] = "last-30-days",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>How much of an unreadable message is quoted back to its sender.</summary>
    public const int MaxEcho = 100;

    public static ChatCommand Parse(string? text) => ParseCommand(text) switch
    {
        // A 10,000-character message is not worth repeating in full.
        ChatCommand.Invalid i => i with { Argument = TextClip.Clip(i.Argument, MaxEcho) },
        ChatCommand.Unknown u => u with { Text = TextClip.Clip(u.Text, MaxEcho) },
        var command => command,
    };

    private static ChatCommand ParseCommand(string? text)
    {
        var normalized = Normalize(text);
        if (normalized.Length == 0)
        {
            return new ChatCommand.Help();
        }
        var lower = normalized.ToLowerInvariant();
        foreach (var (word, verb) in Verbs)
        {
            if (!lower.StartsWith(word, StringComparison.Ordinal))
            {
                continue;
            }
            var boundary = lower.Length == word.Length || lower[word.Length] == ' ' || !IsAsciiWord(word) || !IsAsciiWord(lower[word.Length].ToString());
            if (boundary)
            {
                return Build(verb, word, normalized[word.Length..].Trim());
            }
        }
        return new ChatCommand.Unknown(normalized);
    }

    private static ChatCommand Build(Verb verb, string word, string args) => verb switch
    {
        Verb.Help => new ChatCommand.Help(),
        Verb.MyQueue => new ChatCommand.MyQueue(),
        Verb.Overdue => new ChatCommand.Overdue(),
        Verb.Digest => new ChatCommand.Digest(),
        Verb.Funnel => args.Length == 0 ? new ChatCommand.Funnel(null)
            : TryParsePeriod(args, out var period) ? new ChatCommand.Funnel(period)
            : new ChatCommand.Invalid(word, args),
        Verb.Kpi => ParseKpi(word, args),
        // The same limit as the REST search's q (README "Limits"): a longer one is answered privately, never run.
        Verb.Lead => args is { Length: > 0 and <= InputLimits.SearchQuery } query ? new ChatCommand.LeadLookup(query) : new ChatCommand.Invalid(word, args),
        Verb.Plan => ParsePlan(word, args),
        Verb.Link => args.ToLowerInvariant() is "digest" or "ダイジェスト" ? new ChatCommand.Link(null)
            : TryParseDepartment(args, out var linked) ? new ChatCommand.Link(linked)
            : new ChatCommand.Invalid(word, args),
        Verb.Join => TryParseDepartment(args, out var joined) ? new ChatCommand.Join(joined) : new ChatCommand.Invalid(word, args),
        Verb.Approve => RequestCode(args) is { } approved ? new ChatCommand.DecideJoin(approved, true) : new ChatCommand.Invalid(word, args),
        Verb.Decline => RequestCode(args) is { } declined ? new ChatCommand.DecideJoin(declined, false) : new ChatCommand.Invalid(word, args),
        Verb.Contact => ParseContact(word, args),
        Verb.Threshold => args.Length == 0 ? new ChatCommand.Threshold(null)
            : int.TryParse(args.Normalize(System.Text.NormalizationForm.FormKC), System.Globalization.NumberStyles.AllowLeadingSign,
                System.Globalization.CultureInfo.InvariantCulture, out var threshold) ? new ChatCommand.Threshold(threshold)
            : new ChatCommand.Invalid(word, args),
        Verb.Customer => CustomerCommands.Parse(word, args),
        _ => new ChatCommand.Unknown(args),
    };

    private static readonly FrozenDictionary<string, Api.Leads.ActivityKind> ContactKinds = new Dictionary<string, Api.Leads.ActivityKind>(StringComparer.Ordinal)
    {
        ["call"] = Api.Leads.ActivityKind.Call, ["phone"] = Api.Leads.ActivityKind.Call, ["電話"] = Api.Leads.ActivityKind.Call,
        ["email"] = Api.Leads.ActivityKind.Email, ["mail"] = Api.Leads.ActivityKind.Email, ["メール"] = Api.Leads.ActivityKind.Email,
        ["meeting"] = Api.Leads.ActivityKind.Meeting, ["商談"] = Api.Leads.ActivityKind.Meeting, ["面談"] = Api.Leads.ActivityKind.Meeting,
        ["chat"] = Api.Leads.ActivityKind.Chat, ["チャット"] = Api.Leads.ActivityKind.Chat,
        ["note"] = Api.Leads.ActivityKind.Note, ["メモ"] = Api.Leads.ActivityKind.Note,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Api.Leads.ActivityOutcome> ContactOutcomes = new Dictionary<string, Api.Leads.ActivityOutcome>(StringComparer.Ordinal)
    {
        ["reached"] = Api.Leads.ActivityOutcome.Reached, ["通話できた"] = Api.Leads.ActivityOutcome.Reached,
        ["つながった"] = Api.Leads.ActivityOutcome.Reached, ["繋がった"] = Api.Leads.ActivityOutcome.Reached,
        ["no_answer"] = Api.Leads.ActivityOutcome.NoAnswer, ["noanswer"] = Api.Leads.ActivityOutcome.NoAnswer,
        ["no-answer"] = Api.Leads.ActivityOutcome.NoAnswer, ["不在"] = Api.Leads.ActivityOutcome.NoAnswer,
        ["sent"] = Api.Leads.ActivityOutcome.Sent, ["送信"] = Api.Leads.ActivityOutcome.Sent,
        ["booked"] = Api.Leads.ActivityOutcome.Booked, ["予約"] = Api.Leads.ActivityOutcome.Booked,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// <c>contact &lt;email|company&gt; &lt;kind&gt; &lt;outcome&gt; [note]</c>: the lead is everything before the first kind
    /// followed by an outcome (a company name may have spaces), the note everything after.
    /// </summary>
    private static ChatCommand ParseContact(string word, string args)
    {
        var tokens = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i + 1 < tokens.Length; i++)
        {
            if (!ContactKinds.TryGetValue(tokens[i].ToLowerInvariant(), out var kind))
            {
                continue;
            }
            var outcomeWord = tokens[i + 1].ToLowerInvariant();
            var used = 2;
            // "no answer" as two words.
            if (outcomeWord == "no" && i + 2 < tokens.Length && tokens[i + 2].Equals("answer", StringComparison.OrdinalIgnoreCase))
            {
                outcomeWord = "no_answer";
                used = 3;
            }
            if (!ContactOutcomes.TryGetValue(outcomeWord, out var outcome))
            {
                continue;
            }
            var query = string.Join(' ', tokens[..i]);
            var note = string.Join(' ', tokens[(i + used)..]);
            return query.Length <= InputLimits.SearchQuery && note.Length <= InputLimits.Note
                ? new ChatCommand.Contact(query, kind, outcome, note.Length == 0 ? null : note)
                : new ChatCommand.Invalid(word, args);
        }
        return new ChatCommand.Invalid(word, args);
    }

    /// <summary>A join request's code (8 hex digits) or full id.</summary>
    private static string? RequestCode(string args) =>
        args.Trim().TrimStart('#') is var code && (RequestCodePattern().IsMatch(code) || Guid.TryParse(code, out _)) ? code.ToLowerInvariant() : null;

    /// <summary><c>kpi [dept] [period]</c> in either order, with or without a space between them (<c>IS先月</c>).</summary>
    private static ChatCommand ParseKpi(string word, string args)
    {
        Department? department = null;
        string? period = null;
        var tokens = args.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        // Multi-word periods first ("last 30 days", "this month").
        for (var n = 3; n >= 1; n--)
        {
            for (var i = 0; period is null && i + n <= tokens.Count; i++)
            {
                if (TryParsePeriod(string.Join(' ', tokens.Skip(i).Take(n)), out var p))
                {
                    period = p;
                    tokens.RemoveRange(i, n);
                }
            }
        }
        var rest = string.Join(' ', tokens);
        if (rest.Length > 0)
        {
            if (TryParseDepartment(rest, out var d))
            {
                department = d;
            }
            else if (period is null && SplitDepartmentAndPeriod(rest, out d, out var p))
            {
                department = d;
                period = p;
            }
            else
            {
                return new ChatCommand.Invalid(word, args);
            }
        }
        return new ChatCommand.Kpi(department, period);
    }

    private static bool SplitDepartmentAndPeriod(string text, out Department department, out string period)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (TryParseDepartment(text[..i], out department) && TryParsePeriod(text[i..], out period))
            {
                return true;
            }
            if (TryParsePeriod(text[..i], out period) && TryParseDepartment(text[i..], out department))
            {
                return true;
            }
        }
        department = default;
        period = "";
        return false;
    }

    /// <summary>Department codes and names: <c>IS</c>, <c>inside sales</c>, <c>インサイドセールス</c>, <c>マーケ</c>, <c>FS部</c> ….</summary>
    public static bool TryParseDepartment(string? text, out Department department)
    {
        var key = Normalize(text).ToLowerInvariant().Replace(" ", "").Replace("-", "").Replace("_", "");
        foreach (var suffix in new[] { "部門", "部", "チーム", "team" })
        {
            if (key.Length > suffix.Length && key.EndsWith(suffix, StringComparison.Ordinal))
            {
                key = key[..^suffix.Length];
                break;
            }
        }
        return Departments.TryGetValue(key, out department);
    }

    /// <summary>
    /// A period in the API syntax: <c>this-week|last-week|this-month|last-month|last-30-days|YYYY-MM|YYYY-Www</c>, from
    /// English or Japanese words (<c>今月</c>, <c>先週</c>, <c>直近30日</c>, <c>2026年10月</c>, <c>2026/10</c>).
    /// </summary>
    public static bool TryParsePeriod(string? text, out string period)
    {
        var s = Normalize(text).ToLowerInvariant();
        period = "";
        if (NamedPeriods.TryGetValue(s, out var named))
        {
            period = named;
            return true;
        }
        if (MonthPattern().Match(s) is { Success: true } m
            && int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) is var year and >= 2000 and <= 2999
            && int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) is var month and >= 1 and <= 12)
        {
            period = $"{year:D4}-{month:D2}";
            return true;
        }
        if (WeekPattern().Match(s) is { Success: true } w
            && int.Parse(w.Groups["y"].Value, CultureInfo.InvariantCulture) is var wYear and >= 2000 and <= 2999
            && int.Parse(w.Groups["w"].Value, CultureInfo.InvariantCulture) is var week and >= 1 and <= 53)
        {
            period = $"{wYear:D4}-W{week:D2}";
            return true;
        }
        return false;
    }

    /// <summary>
    /// A yen amount: <c>1000万</c>, <c>1億</c>, <c>1.5億</c>, <c>1億5000万</c>, <c>10,000,000</c>, <c>10m</c>, <c>1.5m</c>,
    /// <c>500k</c>, <c>¥10,000,000</c>, <c>1000万円</c>. Must be positive.
    /// </summary>
    /// <summary><c>plan 1000万</c>, <c>plan 10000000 recurring</c>, <c>逆算 1000万 継続</c>.</summary>
    private static ChatCommand ParsePlan(string word, string args)
    {
        var text = args.Trim();
        var recurring = false;
        foreach (var marker in new[] { "recurring", "継続" })
        {
            if (text.EndsWith(marker, StringComparison.OrdinalIgnoreCase))
            {
                text = text[..^marker.Length].Trim();
                recurring = true;
                break;
            }
        }
        return TryParseAmount(text, out var amount) ? new ChatCommand.Plan(amount, recurring) : new ChatCommand.Invalid(word, args);
    }

    public static bool TryParseAmount(string? text, out decimal amount)
    {
        amount = 0;
        var s = Normalize(text).ToLowerInvariant().Replace(" ", "");
        s = s.TrimStart('¥', '\\', '$');
        foreach (var prefix in new[] { "jpy" })
        {
            if (s.StartsWith(prefix, StringComparison.Ordinal))
            {
                s = s[prefix.Length..];
            }
        }
        foreach (var suffix in new[] { "円", "yen", "jpy" })
        {
            if (s.EndsWith(suffix, StringComparison.Ordinal))
            {
                s = s[..^suffix.Length];
                break;
            }
        }
        if (s.Length == 0 || BadComma().IsMatch(s))
        {
            return false;
        }
        s = s.Replace(",", "");
        try
        {
            return TryReadAmount(s, out amount);
        }
        catch (OverflowException)
        {
            // More digits than a decimal holds: not a revenue target anyone means.
            return false;
        }
    }

    private static bool TryReadAmount(string s, out decimal amount)
    {
        amount = 0;
        decimal value;
        if (EnglishAmount().Match(s) is { Success: true } e)
        {
            var number = decimal.Parse(e.Groups["n"].Value, CultureInfo.InvariantCulture);
            value = number * e.Groups["u"].Value switch
            {
                "k" => 1_000m,
                "m" or "mn" => 1_000_000m,
                "b" or "bn" => 1_000_000_000m,
                _ => 1m,
            };
        }
        else if (JapaneseAmount().Match(s) is { Success: true } j && (j.Groups["cho"].Success || j.Groups["oku"].Success || j.Groups["senman"].Success || j.Groups["man"].Success || j.Groups["sen"].Success || j.Groups["rest"].Success))
        {
            value = Part(j, "cho") * 1_000_000_000_000m + Part(j, "oku") * 100_000_000m + Part(j, "senman") * 10_000_000m + Part(j, "man") * 10_000m
                + Part(j, "sen") * 1_000m + Part(j, "rest");
        }
        else
        {
            return false;
        }
        value = decimal.Round(value, 0, MidpointRounding.AwayFromZero);
        if (value <= 0 || value > 1_000_000_000_000_000m)
        {
            return false;
        }
        amount = value;
        return true;
    }

    private static decimal Part(Match m, string group) =>
        m.Groups[group].Success ? decimal.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0m;

    /// <summary>NFKC, one space between words, no bot mention or slash command in front, no trailing full stop.</summary>
    internal static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var s = text.Normalize(NormalizationForm.FormKC);
        s = Whitespace().Replace(s, " ").Trim();
        // Slash commands may arrive with their name.
        if (s.StartsWith("/baton", StringComparison.OrdinalIgnoreCase))
        {
            s = s["/baton".Length..];
        }
        s = s.Trim();
        if (s.Length > 1)
        {
            s = s.TrimEnd('.', '!', '。', '?').TrimEnd();
        }
        return s;
    }

    private static bool IsAsciiWord(string s) => s.All(c => c < 128 && (char.IsLetterOrDigit(c) || c == '-'));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^[0-9a-fA-F]{8}$")]
    private static partial Regex RequestCodePattern();

    [GeneratedRegex(@"^(?<y>\d{4})(?:-|/|年)(?<m>\d{1,2})月?$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex(@"^(?<y>\d{4})-?w(?<w>\d{1,2})$")]
    private static partial Regex WeekPattern();

    [GeneratedRegex(@",(?!\d{3}(?!\d))|^,|,,")]
    private static partial Regex BadComma();

    [GeneratedRegex(@"^(?<n>\d+(?:\.\d+)?)(?<u>k|m|mn|b|bn)?$")]
    private static partial Regex EnglishAmount();

    [GeneratedRegex(@"^(?:(?<cho>\d+(?:\.\d+)?)兆)?(?:(?<oku>\d+(?:\.\d+)?)億)?(?:(?<senman>\d+(?:\.\d+)?)千万)?(?:(?<man>\d+(?:\.\d+)?)万)?(?:(?<sen>\d+(?:\.\d+)?)千)?(?<rest>\d+)?$")]
    private static partial Regex JapaneseAmount();
}
