using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Bot.Chat;

public class FiguresAnswersTests
{
    private static readonly Period November = new(new DateTime(2026, 10, 31, 15, 0, 0, DateTimeKind.Utc), new DateTime(2026, 11, 30, 15, 0, 0, DateTimeKind.Utc), "2026-11");

    private static FunnelReport Funnel() => new(
        November, Inquiries: 1234, Mqls: 566, Sqls: 120, Won: 30, Lost: 70, Revenue: 12_345_678m,
        MqlRate: 0.45867, MqlToSql: 0.21201, WinRate: 0.3,
        Handoffs:
        [
            new(HandoffKind.MqlToIs, Offered: 500, Accepted: 400, Rejected: 80, Expired: 20, AcceptanceRate: 0.8, SlaCompliance: 0.9312,
                new ResponseTimes(4.26, 20.04, 30.5, 70.0), DroppedBalls: 3, [new("NoBudget", 50), new("NotTarget", 30)]),
            new(HandoffKind.SqlToFs, 100, 0, 0, 0, null, null, new ResponseTimes(null, null, null, null), 2, []),
        ]);

    private static FigureRow Row(FiguresCardModel model, string section, string label) =>
        model.Sections.Single(s => s.Title == section).Rows.Single(r => r.Label == label);

    [Fact]
    public void Funnel_InEnglish_FormatsCountsRatesHoursAndYen()
    {
        var model = FiguresAnswers.Funnel(Funnel(), ChatTexts.English);

        Assert.Equal("Funnel · 2026-11", model.Title);
        Assert.Equal("en", model.Language);
        Assert.Equal("1,234", Row(model, "Stages", "Inquiries").Value);
        Assert.Equal("566", Row(model, "Stages", "MQL").Value);
        Assert.Equal("¥12,345,678", Row(model, "Stages", "Revenue").Value);
        Assert.Equal("45.9%", Row(model, "Conversion", "MQL rate").Value);
        Assert.Equal("21.2%", Row(model, "Conversion", "MQL→SQL").Value);
        Assert.Equal("30.0%", Row(model, "Conversion", "Win rate").Value);
        Assert.Equal("80.0%", Row(model, "MQL → IS", "Acceptance rate").Value);
        Assert.Equal("93.1%", Row(model, "MQL → IS", "SLA compliance").Value);
        Assert.Equal("4.3h", Row(model, "MQL → IS", "Response (median, business)").Value);
        Assert.Equal("20.0h", Row(model, "MQL → IS", "Response (p90, business)").Value);
        Assert.Equal("No budget 50, Not our target 30", Row(model, "MQL → IS", "Reject reasons").Value);
    }

    [Fact]
    public void Funnel_InJapanese_UsesJapaneseLabelsAndUnits()
    {
        var model = FiguresAnswers.Funnel(Funnel(), ChatTexts.Japanese);

        Assert.Equal("ファネル · 2026年11月", model.Title);
        Assert.Equal("ja", model.Language);
        Assert.Equal("1,234", Row(model, "ステージ", "問い合わせ").Value);
        Assert.Equal("12,345,678円", Row(model, "ステージ", "売上").Value);
        Assert.Equal("4.3時間", Row(model, "MQL → IS", "応答時間（中央値・営業時間）").Value);
        Assert.Equal("予算なし 50, 対象外 30", Row(model, "MQL → IS", "差し戻し理由").Value);
        Assert.Equal("ポテンヒット 5件", model.Callout);
    }

    [Fact]
    public void Funnel_UnknownRates_ShowDash()
    {
        var model = FiguresAnswers.Funnel(Funnel() with { MqlRate = null, WinRate = double.NaN }, ChatTexts.English);

        Assert.Equal("—", Row(model, "Conversion", "MQL rate").Value);
        Assert.Equal("—", Row(model, "Conversion", "Win rate").Value);
        Assert.Equal("—", Row(model, "SQL → FS", "Acceptance rate").Value);
        Assert.Equal("—", Row(model, "SQL → FS", "Response (median, business)").Value);
    }

    [Fact]
    public void Funnel_ChartIsTheStagesAndCalloutTheDroppedBalls()
    {
        var model = FiguresAnswers.Funnel(Funnel(), ChatTexts.English);

        Assert.Equal([1234.0, 566, 120, 30], model.Chart!.Select(b => b.Value));
        Assert.Equal(["1,234", "566", "120", "30"], model.Chart!.Select(b => b.Display));
        Assert.Equal("Dropped balls: 5", model.Callout);
        Assert.Null(FiguresAnswers.Funnel(Funnel() with { Handoffs = [] }, ChatTexts.English).Callout);
    }

    [Fact]
    public void ToText_CarriesEveryFigureOfTheCard()
    {
        var model = FiguresAnswers.Funnel(Funnel(), ChatTexts.Japanese);

        var text = FiguresAnswers.ToText(model);

        Assert.StartsWith(model.Title, text);
        Assert.Contains(model.Callout!, text);
        foreach (var row in model.Sections.SelectMany(s => s.Rows))
        {
            Assert.Contains($"{row.Label}: {row.Value}", text);
        }
    }

    [Fact]
    public void Kpis_FormatsEachValueByUnit_AndLabelsKnownKeys()
    {
        var report = new KpiReport(November, Funnel(),
            [
                new(Department.IS,
                [
                    new("acceptanceRate", 0.5, "ratio"),
                    new("responseMedianBusinessHours", 1.26, "hours"),
                    new("accepted", 12, "count"),
                    new("someNewFigure", 7, "count"),
                ]),
                new(Department.FS, [new("revenue", 1_500_000, "currency"), new("winRate", null, "ratio")]),
            ],
            LeadNeglectRate: 0.125,
            Recycled: [new("BadTiming", 4)]);

        var model = FiguresAnswers.Kpis(report, ChatTexts.English);

        Assert.Equal("KPIs · 2026-11", model.Title);
        Assert.Equal("50.0%", Row(model, "Inside Sales (IS)", "Acceptance rate").Value);
        Assert.Equal("1.3h", Row(model, "Inside Sales (IS)", "Response (median, business)").Value);
        Assert.Equal("12", Row(model, "Inside Sales (IS)", "Accepted").Value);
        Assert.Equal("7", Row(model, "Inside Sales (IS)", "Some new figure").Value);
        Assert.Equal("¥1,500,000", Row(model, "Field Sales (FS)", "Revenue").Value);
        Assert.Equal("—", Row(model, "Field Sales (FS)", "Win rate").Value);
        Assert.Equal("12.5%", Row(model, "Overall", "Lead neglect rate").Value);
        Assert.Equal("4", Row(model, "Recycled to nurture", "Bad timing").Value);
    }

    [Fact]
    public void Kpis_ForOneDepartmentInJapanese_NamesItInTheTitle()
    {
        var report = new KpiReport(November, Funnel(), [new(Department.IS, [new("acceptanceRate", 0.5, "ratio")])], null, []);

        var model = FiguresAnswers.Kpis(report, ChatTexts.Japanese, Department.IS);

        Assert.Equal("KPI · IS · 2026年11月", model.Title);
        Assert.Equal("50.0%", Row(model, "インサイドセールス (IS)", "承諾率").Value);
        Assert.DoesNotContain(model.Sections, s => s.Title == "全体");
    }

    [Fact]
    public void Plan_Complete_ListsNeedsAssumptionsAndChart()
    {
        var report = new PlanReport(100_000_000m, 5_000_000m, 0.25, 0.2, 0.4, Won: 20, Sqls: 80, Mqls: 400, Inquiries: 1000, November);

        var model = FiguresAnswers.Plan(report, ChatTexts.Japanese);

        Assert.Equal("逆算 · 100,000,000円", model.Title);
        Assert.Equal("2026年11月の実績から算出", model.Subtitle);
        Assert.Equal("20", Row(model, "必要数", "受注").Value);
        Assert.Equal("1,000", Row(model, "必要数", "問い合わせ").Value);
        Assert.Equal("5,000,000円", Row(model, "前提", "平均受注金額").Value);
        Assert.Equal("25.0%", Row(model, "前提", "受注率").Value);
        Assert.Equal([1000.0, 400, 80, 20], model.Chart!.Select(b => b.Value));
        Assert.Null(model.Callout);
    }

    [Fact]
    public void Plan_WithoutHistory_ShowsDashesAndSaysSo()
    {
        var report = new PlanReport(10_000_000m, null, null, null, null, null, null, null, null, November);

        var model = FiguresAnswers.Plan(report, ChatTexts.English);

        Assert.Equal("Reverse plan · ¥10,000,000", model.Title);
        Assert.All(model.Sections.Single(s => s.Title == "Needed").Rows, r => Assert.Equal("—", r.Value));
        Assert.Null(model.Chart);
        Assert.NotNull(model.Callout);
    }
}
