using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Tests.Cards;

public class PeriodLabelsTests
{
    [Theory]
    [InlineData("this-week", "今週", "this week")]
    [InlineData("last-week", "先週", "last week")]
    [InlineData("this-month", "今月", "this month")]
    [InlineData("last-month", "先月", "last month")]
    [InlineData("last-30-days", "直近30日", "last 30 days")]
    [InlineData("last-90-days", "直近90日", "last 90 days")]
    [InlineData("last-1-days", "直近1日", "last 1 day")]
    [InlineData("2026-11", "2026年11月", "2026-11")]
    [InlineData("2026-01", "2026年1月", "2026-01")]
    [InlineData("2026-W48", "2026年第48週", "2026-W48")]
    [InlineData("2026-W05", "2026年第5週", "2026-W05")]
    [InlineData("2026-11-01..2026-12-01", "2026-11-01〜2026-12-01", "2026-11-01 to 2026-12-01")]
    public void For_EachPeriodLabel_InBothLanguages(string label, string japanese, string english)
    {
        Assert.Equal(japanese, PeriodLabels.For(label, "ja-JP"));
        Assert.Equal(english, PeriodLabels.For(label, "en"));
    }

    [Fact]
    public void PlanBasis_InJapanese_SaysTheTrailingDaysInJapanese()
    {
        var t = ChatTexts.Japanese;
        Assert.Equal("直近90日の実績から算出", t.PlanBasis(t.PeriodLabel("last-90-days")));
        Assert.Equal("Rates from last 90 days", ChatTexts.English.PlanBasis(ChatTexts.English.PeriodLabel("last-90-days")));
    }
}
