using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Cards;

/// <summary>View models as the bot would build them, for renderer tests.</summary>
internal static class CardSamples
{
    public const string HandoffId = "0192f0c4-0000-7000-8000-000000000001";

    public static readonly DateTimeOffset Deadline = new(2026, 11, 24, 18, 0, 0, TimeSpan.FromHours(9));

    public static HandoffCardModel Offered(string language = "en") => new()
    {
        HandoffId = HandoffId,
        Kind = "SqlToFs",
        KindLabel = "SQL → FS",
        Company = "Acme & <Sons>",
        ContactName = "Taro Yamada",
        ContactTitle = "CTO",
        ContactEmail = "taro@acme.example",
        Score = 85,
        Temperature = "Hot",
        Source = "webinar",
        Bant = new BantView("5,000,000", "CTO", "Faster onboarding", "Q1"),
        Assignee = new PersonRef("Hanako Sato", TeamsUserId: "29:hanako", TeamsAadObjectId: "aad-hanako", SlackUserId: "U0HANAKO"),
        RoutingReason = "Account owner of acme.example",
        Deadline = Deadline,
        TimeLeft = "3h 20m left",
        State = "Offered",
        Language = language,
    };

    public static HandoffCardModel Decided(string outcome = "Rejected", string language = "en") => Offered(language) with
    {
        State = outcome,
        TimeLeft = "",
        Decision = new DecisionView(outcome, new PersonRef("Hanako Sato", SlackUserId: "U0HANAKO"),
            Deadline.AddHours(-2), "1h 12m", outcome == "Rejected" ? "NoBudget" : null, outcome == "Rejected" ? "Budget frozen until April <sigh>" : null),
    };

    public static FiguresCardModel Funnel(string language = "en") => new()
    {
        Title = "Funnel · 2026-11",
        Subtitle = "Rates from 2026-08-23 – 2026-11-21",
        Sections =
        [
            new("Stages", [new("Inquiries", "120"), new("MQL", "55"), new("SQL", "20"), new("Won", "6")]),
            new("Conversion", [new("MQL rate", "45.8%", "+2.1pt"), new("Win rate", "30.0%", "-1.0pt")]),
        ],
        Chart = [new("Inquiries", 120, "120"), new("MQL", 55, "55"), new("SQL", 20, "20"), new("Won", 6, "6")],
        ChartTitle = "Stages",
        Callout = "Dropped balls: 3",
        Language = language,
    };

    /// <summary>Everything at its maximum (and beyond): the renderers must stay within the platform limits.</summary>
    public static HandoffCardModel Huge(string language = "ja")
    {
        var big = new string('長', 5000);
        return Offered(language) with
        {
            Company = big,
            ContactName = big,
            ContactTitle = big,
            ContactEmail = big,
            Source = big,
            Bant = new BantView(big, big, big, big),
            Amount = big,
            Assignee = new PersonRef(big, TeamsUserId: "29:x", SlackUserId: "U0X"),
            RoutingReason = big,
            TimeLeft = big,
            Banner = big,
            Decision = new DecisionView("Rejected", new PersonRef(big), Deadline, big, big, big),
        };
    }

    public static FiguresCardModel HugeFigures(string language = "ja") => new()
    {
        Title = new string('題', 1000),
        Subtitle = new string('副', 1000),
        Callout = new string('注', 5000),
        Chart = Enumerable.Range(0, 200).Select(i => new BarDatum(new string('項', 50) + i, i, new string('値', 100))).ToList(),
        ChartTitle = new string('図', 500),
        Sections = Enumerable.Range(0, 60)
            .Select(s => new FigureSection($"部署 {s} " + new string('部', 300),
                Enumerable.Range(0, 40).Select(r => new FigureRow($"指標 {r} " + new string('指', 300), new string('値', 3000), r % 2 == 0 ? "+1.0pt" : null)).ToList()))
            .ToList(),
        Language = language,
    };
}
