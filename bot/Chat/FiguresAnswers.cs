using System.Text;
using TheModel.Api.Kpis;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Chat;

/// <summary>
/// Turns the figures of <see cref="IKpiQueries"/> into a localized <see cref="FiguresCardModel"/>. The text fallback is
/// written from the model itself (<see cref="ToText"/>), so card and text can never show different numbers.
/// </summary>
public static class FiguresAnswers
{
    public static FiguresCardModel Funnel(FunnelReport report, ChatTexts t)
    {
        var sections = new List<FigureSection>
        {
            new(t.Stages,
            [
                new(t.Inquiries, t.Count(report.Inquiries)),
                new(t.Mqls, t.Count(report.Mqls)),
                new(t.Sqls, t.Count(report.Sqls)),
                new(t.Won, t.Count(report.Won)),
                new(t.Lost, t.Count(report.Lost)),
                new(t.Revenue, t.Yen(report.Revenue)),
            ]),
            new(t.Conversion,
            [
                new(t.MqlRate, t.Percent(report.MqlRate)),
                new(t.MqlToSql, t.Percent(report.MqlToSql)),
                new(t.WinRate, t.Percent(report.WinRate)),
            ]),
        };
        sections.AddRange(report.Handoffs.Select(h => Handoffs(h, t)));
        var dropped = report.Handoffs.Sum(h => h.DroppedBalls);
        return new FiguresCardModel
        {
            Title = t.FunnelTitle(t.PeriodLabel(report.Period.Label)),
            Sections = sections,
            ChartTitle = t.Stages,
            Chart =
            [
                new(t.Inquiries, report.Inquiries, t.Count(report.Inquiries)),
                new(t.Mqls, report.Mqls, t.Count(report.Mqls)),
                new(t.Sqls, report.Sqls, t.Count(report.Sqls)),
                new(t.Won, report.Won, t.Count(report.Won)),
            ],
            Callout = dropped > 0 ? t.DroppedBallsCallout(dropped) : null,
            Language = t.Language,
        };
    }

    public static FiguresCardModel Kpis(KpiReport report, ChatTexts t, Api.People.Department? department = null)
    {
        var sections = report.Departments
            .Select(d => new FigureSection(t.DepartmentName(d.Department),
                d.Values.Select(v => new FigureRow(t.KpiLabel(v.Key), t.Format(v.Value, v.Unit))).ToList()))
            .ToList();
        var overall = new List<FigureRow>();
        if (report.LeadNeglectRate is not null)
        {
            overall.Add(new(t.LeadNeglectRate, t.Percent(report.LeadNeglectRate)));
        }
        if (overall.Count > 0)
        {
            sections.Add(new(t.Overall, overall));
        }
        if (report.Recycled.Count > 0)
        {
            sections.Add(new(t.Recycled, report.Recycled.Select(r => new FigureRow(t.Reason(r.Reason), t.Count(r.Count))).ToList()));
        }
        return new FiguresCardModel
        {
            Title = t.KpiTitle(t.PeriodLabel(report.Period.Label), department),
            Sections = sections,
            Language = t.Language,
        };
    }

    public static FiguresCardModel Plan(PlanReport report, ChatTexts t)
    {
        var complete = report.Won is not null && report.Sqls is not null && report.Mqls is not null && report.Inquiries is not null;
        var chart = new List<BarDatum>();
        void Bar(string label, int? value)
        {
            if (value is { } v)
            {
                chart.Add(new(label, v, t.Count(v)));
            }
        }
        Bar(t.Inquiries, report.Inquiries);
        Bar(t.Mqls, report.Mqls);
        Bar(t.Sqls, report.Sqls);
        Bar(t.Won, report.Won);
        Bar(t.Retained, report.Retained);
        return new FiguresCardModel
        {
            Title = t.PlanTitle(report.Target, report.Recurring),
            Subtitle = t.PlanBasis(t.PeriodLabel(report.Basis.Label)),
            Sections =
            [
                new(t.Needed,
                [
                    new(t.Retained, t.Count(report.Retained)),
                    new(t.Won, t.Count(report.Won)),
                    new(t.Sqls, t.Count(report.Sqls)),
                    new(t.Mqls, t.Count(report.Mqls)),
                    new(t.Inquiries, t.Count(report.Inquiries)),
                ]),
                new(t.Assumptions,
                [
                    new(report.Recurring ? t.RecurringTarget : t.Target, t.Yen(report.Target)),
                    new(t.AverageWonAmount, t.Yen(report.AverageWonAmount)),
                    new(t.RenewalRate, t.Percent(report.RenewalRate)),
                    new(t.WinRate, t.Percent(report.WinRate)),
                    new(t.MqlToSql, t.Percent(report.MqlToSql)),
                    new(t.MqlRate, t.Percent(report.MqlRate)),
                ]),
            ],
            ChartTitle = chart.Count > 0 ? t.Needed : null,
            Chart = chart.Count > 0 ? chart : null,
            Callout = complete ? null : t.PlanIncomplete,
            Language = t.Language,
        };
    }

    /// <summary>The same figures as plain text, for notifications, screen readers and clients without cards.</summary>
    public static string ToText(FiguresCardModel model)
    {
        var sb = new StringBuilder(model.Title);
        if (!string.IsNullOrWhiteSpace(model.Subtitle))
        {
            sb.Append('\n').Append(model.Subtitle);
        }
        if (!string.IsNullOrWhiteSpace(model.Callout))
        {
            sb.Append('\n').Append("! ").Append(model.Callout);
        }
        foreach (var section in model.Sections)
        {
            sb.Append("\n\n").Append(section.Title);
            foreach (var row in section.Rows)
            {
                sb.Append("\n• ").Append(row.Label).Append(": ").Append(row.Value);
                if (row.Change is not null)
                {
                    sb.Append(" (").Append(row.Change).Append(')');
                }
            }
        }
        return sb.ToString();
    }

    private static FigureSection Handoffs(HandoffKindKpis h, ChatTexts t)
    {
        var rows = new List<FigureRow>
        {
            new(t.Offered, t.Count(h.Offered)),
            new(t.Accepted, t.Count(h.Accepted)),
            new(t.Rejected, t.Count(h.Rejected)),
            new(t.Expired, t.Count(h.Expired)),
            new(t.AcceptanceRate, t.Percent(h.AcceptanceRate)),
            new(t.SlaCompliance, t.Percent(h.SlaCompliance)),
            new(t.ResponseMedian, t.Hours(h.ResponseTime.MedianBusinessHours)),
            new(t.ResponseP90, t.Hours(h.ResponseTime.P90BusinessHours)),
            new(t.DroppedBalls, t.Count(h.DroppedBalls)),
        };
        if (h.RejectReasons.Count > 0)
        {
            rows.Add(new(t.RejectReasons, string.Join(", ", h.RejectReasons.Select(r => $"{t.Reason(r.Reason)} {t.Count(r.Count)}"))));
        }
        return new FigureSection(ChatTexts.KindLabel(h.Kind), rows);
    }
}
