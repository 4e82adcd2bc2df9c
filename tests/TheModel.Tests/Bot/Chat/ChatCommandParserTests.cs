using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Bot.Slack;

namespace TheModel.Tests.Bot.Chat;

public class ChatCommandParserTests
{
    [Theory]
    [InlineData("help")]
    [InlineData("HELP")]
    [InlineData("  help  ")]
    [InlineData("ｈｅｌｐ")]
    [InlineData("help?")]
    [InlineData("?")]
    [InlineData("ヘルプ")]
    [InlineData("ﾍﾙﾌﾟ")]
    [InlineData("使い方")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("<@U0BOT> help")]
    [InlineData("/baton help")]
    public void Parse_HelpForms_GiveHelp(string? text)
    {
        Assert.IsType<ChatCommand.Help>(ChatCommandParser.Parse(SlackChatText.Normalize(text).Text));
    }

    [Theory]
    [InlineData("funnel", null)]
    [InlineData("Funnel this-week", "this-week")]
    [InlineData("funnel this week", "this-week")]
    [InlineData("funnel last-week", "last-week")]
    [InlineData("funnel last week", "last-week")]
    [InlineData("funnel this-month", "this-month")]
    [InlineData("funnel   last month", "last-month")]
    [InlineData("funnel last-30-days", "last-30-days")]
    [InlineData("funnel last 30 days", "last-30-days")]
    [InlineData("funnel 2026-10", "2026-10")]
    [InlineData("funnel 2026-3", "2026-03")]
    [InlineData("funnel 2026/10", "2026-10")]
    [InlineData("funnel 2026-W05", "2026-W05")]
    [InlineData("funnel 2026-w5", "2026-W05")]
    [InlineData("funnel 2026W12", "2026-W12")]
    [InlineData("ファネル", null)]
    [InlineData("ファネル 今月", "this-month")]
    [InlineData("ファネル今月", "this-month")]
    [InlineData("ファネル　先月", "last-month")]
    [InlineData("ファネル 今週", "this-week")]
    [InlineData("ファネル 先週", "last-week")]
    [InlineData("ファネル 直近30日", "last-30-days")]
    [InlineData("ファネル 直近３０日", "last-30-days")]
    [InlineData("ファネル 2026年10月", "2026-10")]
    [InlineData("ファネル ２０２６年１０月", "2026-10")]
    [InlineData("ﾌｧﾈﾙ 今月", "this-month")]
    [InlineData("/baton funnel this-month", "this-month")]
    [InlineData("<@U0BOT> funnel this-month", "this-month")]
    public void Parse_Funnel_ReadsPeriod(string text, string? period)
    {
        Assert.Equal(new ChatCommand.Funnel(period), ChatCommandParser.Parse(SlackChatText.Normalize(text).Text));
    }

    [Theory]
    [InlineData("funnel yesterday")]
    [InlineData("funnel 2026-13")]
    [InlineData("funnel 2026-W54")]
    [InlineData("ファネル 来月")]
    public void Parse_FunnelWithUnreadablePeriod_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("kpi", null, null)]
    [InlineData("KPI IS", Department.IS, null)]
    [InlineData("kpi is last-month", Department.IS, "last-month")]
    [InlineData("kpi last month fs", Department.FS, "last-month")]
    [InlineData("kpis CS this-week", Department.CS, "this-week")]
    [InlineData("kpi mk 2026-10", Department.MK, "2026-10")]
    [InlineData("kpi inside sales", Department.IS, null)]
    [InlineData("kpi 先月", null, "last-month")]
    [InlineData("KPI IS 先月", Department.IS, "last-month")]
    [InlineData("ＫＰＩ　ＩＳ　先月", Department.IS, "last-month")]
    [InlineData("KPI IS先月", Department.IS, "last-month")]
    [InlineData("KPI 先月 インサイドセールス", Department.IS, "last-month")]
    [InlineData("KPI マーケ 今月", Department.MK, "this-month")]
    [InlineData("KPI マーケティング", Department.MK, null)]
    [InlineData("KPI フィールドセールス 2026年10月", Department.FS, "2026-10")]
    [InlineData("KPI カスタマーサクセス 今週", Department.CS, "this-week")]
    [InlineData("KPI インサイドセールス部", Department.IS, null)]
    public void Parse_Kpi_ReadsDepartmentAndPeriodInAnyOrder(string text, Department? department, string? period)
    {
        Assert.Equal(new ChatCommand.Kpi(department, period), ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("kpi XX")]
    [InlineData("kpi IS yesterday")]
    [InlineData("KPI 営業部長")]
    public void Parse_KpiWithUnreadableArgument_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("my queue")]
    [InlineData("My Queue")]
    [InlineData("my   queue")]
    [InlineData("myqueue")]
    [InlineData("queue")]
    [InlineData("マイキュー")]
    [InlineData("自分のキュー")]
    [InlineData("ｷｭｰ")]
    public void Parse_MyQueueForms_GiveMyQueue(string text)
    {
        Assert.IsType<ChatCommand.MyQueue>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("overdue")]
    [InlineData("OVERDUE")]
    [InlineData("期限切れ")]
    [InlineData("超過")]
    [InlineData("期限超過")]
    public void Parse_OverdueForms_GiveOverdue(string text)
    {
        Assert.IsType<ChatCommand.Overdue>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("lead taro@acme.co.jp", "taro@acme.co.jp")]
    [InlineData("Lead   Acme Corp", "Acme Corp")]
    [InlineData("lead <mailto:taro@acme.co.jp|taro@acme.co.jp>", "taro@acme.co.jp")]
    [InlineData("リード 山田商事", "山田商事")]
    [InlineData("リード山田商事", "山田商事")]
    [InlineData("リード ＡＣＭＥ", "ACME")]
    public void Parse_Lead_KeepsQuery(string text, string query)
    {
        Assert.Equal(new ChatCommand.LeadLookup(query), ChatCommandParser.Parse(SlackChatText.Normalize(text).Text));
    }

    [Fact]
    public void Parse_PlatformMarkup_IsLeftToTheAdapters()
    {
        // The parser reads plain text: a Slack mention it is handed is not a bot mention to it.
        Assert.IsType<ChatCommand.Unknown>(ChatCommandParser.Parse("<@U0BOT> help"));
        Assert.Equal(new ChatCommand.LeadLookup("<mailto:a@b.jp|a@b.jp>"), ChatCommandParser.Parse("lead <mailto:a@b.jp|a@b.jp>"));
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("リード")]
    public void Parse_LeadWithoutQuery_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("plan 1000万", 10_000_000)]
    [InlineData("plan 1億", 100_000_000)]
    [InlineData("plan 1.5億", 150_000_000)]
    [InlineData("plan 1億5000万", 150_000_000)]
    [InlineData("plan 10,000,000", 10_000_000)]
    [InlineData("plan 10000000", 10_000_000)]
    [InlineData("plan 10m", 10_000_000)]
    [InlineData("plan 10M", 10_000_000)]
    [InlineData("plan 1.5m", 1_500_000)]
    [InlineData("plan 500k", 500_000)]
    [InlineData("plan ¥10,000,000", 10_000_000)]
    [InlineData("plan ￥10,000,000", 10_000_000)]
    [InlineData("plan 1000万円", 10_000_000)]
    [InlineData("plan 1,000万円", 10_000_000)]
    [InlineData("plan 10,000,000円", 10_000_000)]
    [InlineData("plan 10000000 yen", 10_000_000)]
    [InlineData("逆算 1000万", 10_000_000)]
    [InlineData("逆算1000万", 10_000_000)]
    [InlineData("逆算 １０００万", 10_000_000)]
    [InlineData("逆算 ３億", 300_000_000)]
    [InlineData("逆算 5千万", 50_000_000)]
    [InlineData("逆算 1兆", 1_000_000_000_000)]
    public void Parse_Plan_ReadsAmountInYen(string text, long amount)
    {
        Assert.Equal(new ChatCommand.Plan(amount), ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("plan 10000000 recurring", 10_000_000)]
    [InlineData("plan 10m Recurring", 10_000_000)]
    [InlineData("逆算 1000万 継続", 10_000_000)]
    [InlineData("逆算1000万継続", 10_000_000)]
    public void Parse_PlanRecurring_ReadsAmountAndTheMarker(string text, long amount)
    {
        Assert.Equal(new ChatCommand.Plan(amount, Recurring: true), ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("plan recurring")]
    [InlineData("plan")]
    [InlineData("plan abc")]
    [InlineData("plan 0")]
    [InlineData("plan -5m")]
    [InlineData("plan 1,00")]
    [InlineData("plan 10,00,000")]
    [InlineData("plan 1万億")]
    [InlineData("plan 99999999999999999999999999999999兆")]
    [InlineData("plan 9999999999999999999999999999兆5")]
    [InlineData("plan 99999999999999999999999999999999m")]
    [InlineData("逆算 たくさん")]
    public void Parse_PlanWithUnreadableAmount_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("digest")]
    [InlineData("Digest")]
    [InlineData("ダイジェスト")]
    public void Parse_DigestForms_GiveDigest(string text)
    {
        Assert.IsType<ChatCommand.Digest>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("link IS", Department.IS)]
    [InlineData("link mk", Department.MK)]
    [InlineData("link field sales", Department.FS)]
    [InlineData("LINK cs", Department.CS)]
    [InlineData("リンク インサイドセールス", Department.IS)]
    [InlineData("リンク マーケ", Department.MK)]
    [InlineData("リンク フィールドセールス", Department.FS)]
    [InlineData("リンク カスタマーサクセス", Department.CS)]
    [InlineData("リンク ＩＳ", Department.IS)]
    [InlineData("link digest", null)]
    [InlineData("link DIGEST", null)]
    [InlineData("リンク ダイジェスト", null)]
    public void Parse_Link_ReadsDepartmentOrDigest(string text, Department? department)
    {
        var link = Assert.IsType<ChatCommand.Link>(ChatCommandParser.Parse(text));
        Assert.Equal(department, link.Department);
        Assert.Equal(department is null, link.IsDigest);
    }

    [Theory]
    [InlineData("link")]
    [InlineData("link sales")]
    [InlineData("リンク 経理")]
    public void Parse_LinkWithoutKnownTarget_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("join IS", Department.IS)]
    [InlineData("join inside-sales", Department.IS)]
    [InlineData("参加 FS", Department.FS)]
    [InlineData("参加 カスタマーサクセス", Department.CS)]
    [InlineData("参加マーケティング", Department.MK)]
    public void Parse_Join_ReadsDepartment(string text, Department department)
    {
        Assert.Equal(new ChatCommand.Join(department), ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("join")]
    [InlineData("join everyone")]
    public void Parse_JoinWithoutDepartment_IsInvalid(string text)
    {
        Assert.IsType<ChatCommand.Invalid>(ChatCommandParser.Parse(text));
    }

    [Theory]
    [InlineData("hello there")]
    [InlineData("helpful")]
    [InlineData("funnels")]
    [InlineData("kpix")]
    [InlineData("leader board")]
    [InlineData("こんにちは")]
    public void Parse_SomethingElse_IsUnknownWithTheText(string text)
    {
        var unknown = Assert.IsType<ChatCommand.Unknown>(ChatCommandParser.Parse(text));
        Assert.Equal(text, unknown.Text);
    }
}
