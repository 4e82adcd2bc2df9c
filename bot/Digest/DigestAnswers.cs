using System.Globalization;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Sla;
using TheModel.Bot.Chat;
using TheModel.Bot.HandoffCards;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Digest;

/// <summary>
/// Maps the weekly digest to a localized <see cref="FiguresCardModel"/> (funnel chain chart, the bottleneck as call-out,
/// a section per topic) and its text. Chat, the channel post and the card all come from here, and the text is written
/// from the model (<see cref="FiguresAnswers.ToText"/>), so every place shows the same numbers.
/// </summary>
public static class DigestAnswers
{
    /// <remarks><paramref name="zone"/>: the reader's time zone (a channel: the calendar's) for the dropped balls' deadlines; UTC when not given.</remarks>
    public static FiguresCardModel Figures(DigestFigures digest, ChatTexts t, bool late = false, TimeZoneInfo? zone = null)
    {
        var d = new DigestTexts(t);
        var sections = new List<FigureSection>
        {
            FunnelSection(digest.Funnel, t, d),
        };
        // Department and SLA rows carry their change inside the value: a Teams table per section would not fit the
        // card's size limit next to the chain, while a fact set does (and the text reads the same either way).
        sections.AddRange(digest.Departments.Select(dep => new FigureSection(t.DepartmentName(dep.Department),
            dep.Values.Select(v => Inline(Row(d.KpiLabel(v.Key), v, t))).ToList())));
        sections.Add(new(d.SlaTitle, digest.Handoffs.Select(h => Inline(new FigureRow(
            ChatTexts.KindLabel(h.Kind),
            d.SlaLine(t.Percent(h.SlaCompliance.Value), t.Hours(h.ResponseTime.MedianBusinessHours), t.Hours(h.ResponseTime.P90BusinessHours),
                t.Percent(h.AcceptanceRate)),
            Change(h.SlaCompliance, t)))).ToList()));
        var droppedSection = DroppedSection(digest.DroppedBalls, t, d, zone ?? TimeZoneInfo.Utc);
        sections.Add(droppedSection);
        var feedback = digest.Rejections.Where(r => r.Rejected > 0)
            .Select(r => new FigureRow(d.FeedbackTo(t.DepartmentName(r.To), ChatTexts.KindLabel(r.Kind)),
                $"{d.Rejected(r.Rejected)}: {string.Join(", ", r.TopReasons.Select(x => $"{t.Reason(x.Reason)} {t.Count(x.Count)}"))}"))
            .ToList();
        sections.Add(new(d.FeedbackTitle, feedback.Count > 0 ? feedback : [new(d.NoRejections, t.Count(0))]));
        var nurture = new List<FigureRow> { new(d.RecycledTotal, t.Count(digest.Recycled.Total)) };
        nurture.AddRange(digest.Recycled.Reasons.Select(r => new FigureRow(t.Reason(r.Reason), t.Count(r.Count))));
        nurture.Add(new(d.RecycledBack, t.Count(digest.Recycled.Back.RecycledBack)));
        nurture.Add(new(d.RecycledConverted, t.Count(digest.Recycled.Back.RecycledConverted)));
        nurture.Add(new(t.LeadNeglectRate, t.Percent(digest.LeadNeglectRate)));
        // The neglected SQLs themselves, under their rate (like the dropped balls: one row per lead, so a manager can
        // name whom to ask); the section already is the neglect one, so the digest keeps its sections.
        nurture.AddRange(digest.Neglected.Select(n => new FigureRow(
            string.IsNullOrWhiteSpace(n.Contact) ? n.Company : $"{n.Company} — {n.Contact}",
            $"{d.NeglectedRow} · {n.Owner ?? t.Queue} · {d.DaysSilent(n.Days)}")));
        sections.Add(new(d.NurtureTitle, nurture));
        sections.Add(BacklogSection(digest.Backlog, t, d));

        var f = digest.Funnel;
        var heading = new Heading(
            d.Title(t.PeriodLabel(digest.Week.Label)),
            late ? $"{d.Dates(digest.FirstDay, digest.LastDay)} · {d.Late}" : d.Dates(digest.FirstDay, digest.LastDay),
            digest.Bottleneck is { } b
                ? d.BottleneckCallout(d.RateLabel(b.Key), t.Percent(b.Value), t.Percent(b.Baseline), b.BaselineKind == Bottleneck.TargetBaseline,
                    Signed(-b.RelativeDrop * 100, "0.0", "%"))
                : null);
        return new FiguresCardModel
        {
            Title = heading.Title,
            Subtitle = heading.Subtitle,
            Callout = heading.Callout,
            ChartTitle = d.ChainTitle,
            Chart =
            [
                Bar(t.Inquiries, f.Inquiries, t),
                Bar(t.Mqls, f.Mqls, t),
                Bar(t.Sqls, f.Sqls, t),
                Bar(t.Won, f.Won, t),
            ],
            Sections = sections,
            Language = t.Language,
            Digest = Card(digest, t, d, heading, zone ?? TimeZoneInfo.Utc, sections.Where(x => !ReferenceEquals(x, droppedSection)).ToList()),
        };
    }

    /// <summary>The week, its dates and the bottleneck: the same on the figures card and the headline-first card.</summary>
    private sealed record Heading(string Title, string Subtitle, string? Callout);

    /// <summary>Dropped balls the headline names (the card and the Slack summary); the rest are counted.</summary>
    public const int HeadlineDroppedBalls = 5;

    /// <summary>The headline-first layout of the same figures; the detail sections are the ones above.</summary>
    private static DigestCardModel Card(DigestFigures digest, ChatTexts t, DigestTexts d, Heading heading, TimeZoneInfo zone, IReadOnlyList<FigureSection> details)
    {
        var f = digest.Funnel;
        var dropped = digest.DroppedBalls;
        var shown = dropped.Top.Take(HeadlineDroppedBalls).ToList();
        var more = Math.Max(dropped.Total, dropped.Top.Count) - shown.Count;
        return new DigestCardModel
        {
            Title = heading.Title,
            Subtitle = heading.Subtitle,
            Callout = heading.Callout,
            Advice = digest.Backlog.Advice is { } advice
                ? new DigestAdviceView(d.Advice(advice), d.SetThreshold(advice.SuggestedThreshold), advice.SuggestedThreshold)
                : null,
            Headline =
            [
                Headline(t.Inquiries, f.Inquiries, t),
                Headline(t.Mqls, f.Mqls, t),
                Headline(t.Sqls, f.Sqls, t),
                Headline(t.Won, f.Won, t),
            ],
            DroppedHeadline = d.DroppedHeadline(t.Count(dropped.Total), t.Count(dropped.OpenPastDeadlineNow)),
            HasDroppedBalls = dropped.Total > 0,
            Chain = ChainChart(digest, t, d),
            Trend = TrendChart(digest, t, d),
            DroppedTitle = t.DroppedBalls,
            Dropped = shown.Select(ball => new DroppedBallView(
                string.IsNullOrWhiteSpace(ball.Contact) ? ball.Company : $"{ball.Company} — {ball.Contact}",
                ball.Assignee is { } name ? new PersonRef(name, ball.AssigneeTeamsUserId, ball.AssigneeTeamsAadObjectId, ball.AssigneeSlackUserId) : null,
                ball.Assignee ?? t.Queue,
                $"{ChatTexts.KindLabel(ball.Kind)} · {d.BallState(ball.State)} · {d.Deadline} {Deadline(ball.DeadlineAt, zone)}")).ToList(),
            DroppedMore = more > 0 ? d.AndMore(more) : null,
            DetailsTitle = d.DetailsTitle,
            ThreadNote = d.ThreadNote,
            Details = details,
            Language = t.Language,
        };
    }

    private static HeadlineFigure Headline(string label, KpiChange value, ChatTexts t)
    {
        Arrow? arrow = value.Change is { } c && double.IsFinite(c) ? (c > 0 ? Arrow.Up : c < 0 ? Arrow.Down : Arrow.Flat) : null;
        return new HeadlineFigure(label, t.Format(value.Value, value.Unit), arrow, Change(value, t));
    }

    private static ChainChart ChainChart(DigestFigures digest, ChatTexts t, DigestTexts d)
    {
        var f = digest.Funnel;
        var avg = digest.TrailingAverage;
        var bars = new List<ChainBar>
        {
            new(t.Inquiries, "Inquiries", f.Inquiries.Value ?? 0, avg?.Inquiries),
            new(t.Mqls, "MQL", f.Mqls.Value ?? 0, avg?.Mqls),
            new(t.Sqls, "SQL", f.Sqls.Value ?? 0, avg?.Sqls),
            new(t.Won, "Won", f.Won.Value ?? 0, avg?.Won),
        };
        var weeks = avg?.Weeks ?? DigestFigureQueries.TrailingWeeks;
        var alt = d.ChainAlt(weeks, string.Join(d.ListSeparator, bars.Select(b =>
            b.Average is { } a ? d.ChainAltItem(b.Label, Number(b.ThisWeek), Number(a)) : $"{b.Label} {Number(b.ThisWeek)}")));
        return new ChainChart(d.ChainChartTitle(weeks), d.ThisWeek, d.AverageLabel(weeks), "This week", $"{weeks}-week avg", bars, alt);
    }

    private static TrendChart? TrendChart(DigestFigures digest, ChatTexts t, DigestTexts d)
    {
        if (digest.Trend.Count == 0)
        {
            return null;
        }
        var kinds = digest.Handoffs.Select(h => h.Kind).ToList();
        var lines = new List<TrendLine>();
        var alt = new List<string>();
        foreach (var kind in kinds)
        {
            var label = ChatTexts.KindLabel(kind);
            var ascii = kind.ToString() switch { "MqlToIs" => "MQL>IS", "SqlToFs" => "SQL>FS", "WonToCs" => "Won>CS", var k => k };
            var points = digest.Trend.Select(w => w.Handoffs.FirstOrDefault(p => p.Kind == kind)).ToList();
            var sla = points.Select(p => p?.SlaCompliance * 100).ToList();
            var accepted = points.Select(p => p?.AcceptanceRate * 100).ToList();
            lines.Add(new TrendLine($"{label} {d.SlaShort}", $"{ascii} SLA", sla));
            lines.Add(new TrendLine($"{label} {d.AcceptedShort}", $"{ascii} accepted", accepted));
            alt.Add(d.TrendAltItem(label, Range(sla, t), Range(accepted, t)));
        }
        var fallback = digest.Handoffs.Select(h => new FigureRow(ChatTexts.KindLabel(h.Kind),
            d.TrendFallback(t.Percent(h.SlaCompliance.Value), t.Percent(h.AcceptanceRate)), Change(h.SlaCompliance, t))).ToList();
        return new TrendChart(d.TrendTitle(digest.Trend.Count),
            digest.Trend.Select(w => w.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(),
            lines, fallback, d.TrendAlt(digest.Trend.Count, digest.Trend[0].FirstDay, digest.Trend[^1].FirstDay, string.Join(d.ListSeparator, alt)));
    }

    /// <summary>"first → last" of the known values (percent), for alt text.</summary>
    private static string Range(IReadOnlyList<double?> values, ChatTexts t)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? ChatTexts.None : $"{t.Percent(known[0] / 100)} → {t.Percent(known[^1] / 100)}";
    }

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.0", CultureInfo.InvariantCulture);

    public static string Text(FiguresCardModel figures) => FiguresAnswers.ToText(figures);

    private static FigureSection FunnelSection(FunnelChain f, ChatTexts t, DigestTexts d) => new(d.ChainTitle,
    [
        Row(t.Inquiries, f.Inquiries, t),
        Row(t.MqlRate, f.MqlRate, t),
        Row(t.Mqls, f.Mqls, t),
        Row(t.MqlToSql, f.MqlToSql, t),
        Row(t.Sqls, f.Sqls, t),
        Row(t.WinRate, f.WinRate, t),
        Row(t.Won, f.Won, t),
        Row(t.Lost, f.Lost, t),
        Row(t.Revenue, f.Revenue, t),
    ]);

    private static FigureSection DroppedSection(DroppedBalls dropped, ChatTexts t, DigestTexts d, TimeZoneInfo zone)
    {
        var rows = new List<FigureRow>
        {
            new(d.DroppedThisWeek, t.Count(dropped.Total)),
            new(d.OpenPastDeadline, t.Count(dropped.OpenPastDeadlineNow)),
        };
        rows.AddRange(dropped.Top.Select(b => new FigureRow(
            string.IsNullOrWhiteSpace(b.Contact) ? b.Company : $"{b.Company} — {b.Contact}",
            $"{ChatTexts.KindLabel(b.Kind)} · {b.Assignee ?? t.Queue} · {d.BallState(b.State)} · {d.Deadline} {Deadline(b.DeadlineAt, zone)}")));
        return new FigureSection(t.DroppedBalls, rows);
    }

    private static string Deadline(DateTime utc, TimeZoneInfo zone) =>
        $"{ReaderTimeZone.Local(utc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {ReaderTimeZone.Label(zone, utc)}";

    private static FigureSection BacklogSection(InsideSalesBacklog backlog, ChatTexts t, DigestTexts d)
    {
        var rows = new List<FigureRow>
        {
            new(d.OpenMqls, $"{t.Count(backlog.OpenOffered + backlog.AcceptedNotQualified)} ({d.OfferedAndAccepted(t.Count(backlog.OpenOffered), t.Count(backlog.AcceptedNotQualified))})"),
            new(d.AvailableMembers, t.Count(backlog.AvailableMembers)),
            new(d.PerMember, backlog.PerMember is { } per && backlog.AverageCapacity is { } cap
                ? d.PerMemberValue(per.ToString("0.0", CultureInfo.InvariantCulture), cap.ToString("0.#", CultureInfo.InvariantCulture), t.Percent(backlog.Load))
                : ChatTexts.None),
        };
        if (backlog.Advice is { } advice)
        {
            rows.Add(new(d.AdviceLabel, d.Advice(advice)));
        }
        return new FigureSection(d.BacklogTitle, rows);
    }

    private static BarDatum Bar(string label, KpiChange value, ChatTexts t)
    {
        var change = Change(value, t);
        var display = change is null ? t.Count(value.Value) : $"{t.Count(value.Value)} ({change})";
        return new BarDatum(label, value.Value ?? 0, display);
    }

    private static FigureRow Row(string label, KpiChange value, ChatTexts t) => new(label, t.Format(value.Value, value.Unit), Change(value, t));

    private static FigureRow Inline(FigureRow row) => row.Change is null ? row : new(row.Label, $"{row.Value} ({row.Change})");

    /// <summary>Week-over-week: points for ratios, counts with their relative change, hours and yen as differences.</summary>
    internal static string? Change(KpiChange value, ChatTexts t)
    {
        if (value.Change is not { } c || !double.IsFinite(c))
        {
            return null;
        }
        return value.Unit switch
        {
            "ratio" => Signed(c * 100, "0.0", "pt"),
            "hours" => Signed(c, "0.0", t.Language == "ja" ? "時間" : "h"),
            "days" => Signed(c, "0.0", t.Language == "ja" ? "日" : " d"),
            "currency" => (c > 0 ? "+" : c < 0 ? "−" : "±") + t.Yen((decimal)Math.Abs(c)),
            _ => value.RelativeChange is { } r && double.IsFinite(r)
                ? $"{Signed(c, "0", "")} · {Signed(r * 100, "0.0", "%")}"
                : Signed(c, "0", ""),
        };
    }

    private static string Signed(double value, string format, string unit)
    {
        var rounded = Math.Round(value, format == "0" ? 0 : 1, MidpointRounding.AwayFromZero);
        var sign = rounded > 0 ? "+" : rounded < 0 ? "−" : "±";
        return sign + Math.Abs(rounded).ToString(format, CultureInfo.InvariantCulture) + unit;
    }

    /// <summary>The digest's own words, EN/JA; shared labels come from <see cref="ChatTexts"/>.</summary>
    private sealed class DigestTexts(ChatTexts t)
    {
        private readonly bool ja = t.Language == "ja";

        private string T(string en, string jp) => ja ? jp : en;

        public string Title(string week) => T($"Baton meeting digest · {week}", $"バトンミーティング ダイジェスト · {week}");

        public string Dates(DateOnly first, DateOnly last) => T(
            $"{first:yyyy-MM-dd} – {last:yyyy-MM-dd}, compared with the week before",
            $"{first:yyyy-MM-dd}〜{last:yyyy-MM-dd}（前週比）");

        public string Late => T("posted late: it came due while the bot was down", "遅延投稿: 予定時刻にボットが停止していました");

        public string ChainTitle => T("Funnel chain", "ファネルの連鎖");

        public string BottleneckCallout(string rate, string value, string baseline, bool target, string drop) => target
            ? T($"Bottleneck: {rate} {value}, against a target of {baseline} ({drop})", $"ボトルネック: {rate} {value}（目標 {baseline} に対し {drop}）")
            : T($"Bottleneck: {rate} {value}, against a trailing 4-week average of {baseline} ({drop})",
                $"ボトルネック: {rate} {value}（直近4週平均 {baseline} に対し {drop}）");

        public string RateLabel(string key) => key switch
        {
            "mqlRate" => t.MqlRate,
            "mqlToSql" => t.MqlToSql,
            "winRate" => t.WinRate,
            _ => KpiLabel(key),
        };

        public string KpiLabel(string key) => key switch
        {
            "mqlsRejected" => T("MQLs rejected by IS", "ISが差し戻したMQL"),
            "mqlAcceptanceRate" => T("MQL acceptance rate (IS)", $"MQL{JapaneseTerms.Accept}率（IS）"),
            "mqlsReceived" => T("MQLs received", "届いたMQL"),
            "sqlsReceived" => T("SQLs received", "届いたSQL"),
            "sqlAcceptanceRate" => T("SQL acceptance rate (FS)", $"SQL{JapaneseTerms.Accept}率（FS）"),
            "onboardingsReceived" => T("Won deals received", "届いた受注"),
            "onboardingAcceptanceRate" => T("Onboarding acceptance rate (CS)", $"オンボーディング{JapaneseTerms.Accept}率（CS）"),
            "kickoffMedianBusinessHours" => T("Kickoff (median, business)", "キックオフまで（中央値・営業時間）"),
            "kickoffP90BusinessHours" => T("Kickoff (p90, business)", "キックオフまで（p90・営業時間）"),
            "renewalRate" => T("Renewal rate (CS)", "更新率（CS）"),
            "churnRate" => T("Churn rate (CS)", "解約率（CS）"),
            _ => t.KpiLabel(key),
        };

        public string DroppedHeadline(string total, string open) => T($"Dropped balls this week: {total} ({open} open past deadline now)",
            $"今週のポテンヒット: {total}件（現在期限超過 {open}件）");

        public string AndMore(int count) => T($"and {count} more", $"ほか {count}件");

        public string DetailsTitle => T("Details (select a heading to open it)", "詳細（見出しを押すと開きます）");

        public string ThreadNote => T("Details and charts are in the thread.", "詳細とグラフはスレッドにあります。");

        public string ThisWeek => T("This week", "今週");

        public string AverageLabel(int weeks) => T($"{weeks}-week average", $"直近{weeks}週平均");

        public string ChainChartTitle(int weeks) => T($"Funnel chain: this week and the {weeks}-week average", $"ファネルの連鎖: 今週と直近{weeks}週平均");

        public string ChainAlt(int weeks, string items) => T($"Bar chart of the funnel chain, this week against the {weeks}-week average: {items}.",
            $"ファネルの連鎖の棒グラフ（今週と直近{weeks}週平均）: {items}。");

        public string ChainAltItem(string label, string value, string average) => T($"{label} {value} (average {average})", $"{label} {value}（平均 {average}）");

        public string ListSeparator => T("; ", "、");

        public string SlaShort => T("SLA", "SLA遵守");

        public string AcceptedShort => T("accepted", $"{JapaneseTerms.Accept}率");

        public string TrendTitle(int weeks) => T($"SLA compliance and acceptance, {weeks} weeks (%)", $"SLA遵守率と{JapaneseTerms.Accept}率 {weeks}週間（%）");

        public string TrendFallback(string sla, string accepted) => T($"SLA {sla} · accepted {accepted}", $"SLA {sla} · {JapaneseTerms.Accept}率 {accepted}");

        public string TrendAlt(int weeks, DateOnly first, DateOnly last, string items) => T(
            $"Line chart of SLA compliance and acceptance per handoff kind over {weeks} weeks ({first:yyyy-MM-dd} to {last:yyyy-MM-dd}): {items}.",
            $"受け渡し種別ごとのSLA遵守率と{JapaneseTerms.Accept}率の折れ線グラフ（{weeks}週間、{first:yyyy-MM-dd}〜{last:yyyy-MM-dd}）: {items}。");

        public string TrendAltItem(string kind, string sla, string accepted) => T($"{kind} SLA {sla}, accepted {accepted}", $"{kind} SLA {sla}・{JapaneseTerms.Accept}率 {accepted}");

        public string SlaTitle => T("SLA compliance and response time", "SLA遵守率と応答時間");

        public string SlaLine(string compliance, string median, string p90, string acceptance) => T(
            $"SLA {compliance} · median {median} · p90 {p90} · accepted {acceptance}",
            $"SLA {compliance} · 中央値 {median} · p90 {p90} · {JapaneseTerms.Accept}率 {acceptance}");

        public string DroppedThisWeek => T("Dropped this week", "今週のポテンヒット");

        public string OpenPastDeadline => T("Open past deadline now (any week)", "現在期限超過のまま（全期間）");

        public string Deadline => T("deadline", "期限");

        public string BallState(HandoffState state) => state == HandoffState.Expired ? T("expired", "期限切れ") : T("still open", "未対応");

        public string FeedbackTitle => T("Why leads were turned down (to the sending department)", $"{JapaneseTerms.Reject}理由（送った部署へ）");

        public string FeedbackTo(string department, string kind) => T($"To {department} · {kind}", $"{department}へ · {kind}");

        public string Rejected(int count) => T($"{count} rejected", $"{JapaneseTerms.Reject} {count}件");

        public string NoRejections => T("Leads rejected", "差し戻されたリード");

        public string NeglectedRow => T("neglected SQL", "放置SQL");

        public string DaysSilent(int days) => T($"{days} days without activity", $"活動なし {days}日");

        public string NurtureTitle => T("Recycled and neglected", "ナーチャリング戻りと放置");

        public string RecycledTotal => T("Recycled to nurture", "ナーチャリングへ戻った件数");

        public string RecycledBack => T("Back from nurture as MQL", "ナーチャリングから復帰したMQL");

        public string RecycledConverted => T("Recycled leads that became SQL/won", "復帰リードのSQL化・受注");

        public string BacklogTitle => T("Inside Sales backlog", "インサイドセールスの滞留");

        public string OpenMqls => T("Open MQLs", "対応中のMQL");

        public string OfferedAndAccepted(string offered, string accepted) => T($"{offered} offered, {accepted} accepted not yet qualified", $"未{JapaneseTerms.Accept} {offered}・{JapaneseTerms.Accept}済み未SQL {accepted}");

        public string AvailableMembers => T("Available IS members", "対応可能なISメンバー");

        public string PerMember => T("Per member", "1人あたり");

        public string PerMemberValue(string per, string capacity, string load) => T(
            $"{per} (average capacity {capacity}, {load} of it)", $"{per}件（平均キャパシティ {capacity}件の {load}）");

        public string AdviceLabel => T("Advice", "提案");

        public string SetThreshold(int threshold) => T($"Set the MQL threshold to {threshold}", $"MQL閾値を {threshold} にする");

        public string Advice(MqlThresholdAdvice advice) => advice.Direction == "raise"
            ? T($"IS is far over capacity: raise the MQL threshold (Qualification:MqlThreshold) by {advice.SuggestedThreshold - advice.CurrentThreshold}, from {advice.CurrentThreshold} to {advice.SuggestedThreshold}.",
                $"ISがキャパシティを大きく超えています。MQL閾値（Qualification:MqlThreshold）を {advice.CurrentThreshold} から {advice.SuggestedThreshold} に上げることを検討してください。")
            : T($"IS has room: lower the MQL threshold (Qualification:MqlThreshold) by {advice.CurrentThreshold - advice.SuggestedThreshold}, from {advice.CurrentThreshold} to {advice.SuggestedThreshold}.",
                $"ISに余力があります。MQL閾値（Qualification:MqlThreshold）を {advice.CurrentThreshold} から {advice.SuggestedThreshold} に下げることを検討してください。");
    }
}
