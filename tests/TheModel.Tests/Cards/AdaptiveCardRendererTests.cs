using System.Text;
using System.Text.Json.Nodes;
using TheModel.Cards;

namespace TheModel.Tests.Cards;

public class AdaptiveCardRendererTests
{
    private static int Bytes(JsonNode node) => Encoding.UTF8.GetByteCount(node.ToJsonString());

    [Fact]
    public void Handoff_WhenOffered_IsVersion15WithAcceptExecute()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered());

        Assert.Equal("AdaptiveCard", (string?)card["type"]);
        Assert.Equal("1.5", (string?)card["version"]);
        var accept = Assert.Single(card["actions"]!.AsArray(), a => (string?)a!["verb"] == CardActions.Accept)!;
        Assert.Equal("Action.Execute", (string?)accept["type"]);
        Assert.Equal("Accept", (string?)accept["title"]);
        Assert.Equal(CardSamples.HandoffId, (string?)accept["data"]!["handoffId"]);
    }

    [Fact]
    public void Handoff_WhenOffered_RejectShowCardAsksRequiredReasonAndOptionalNote()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered());

        var reject = Assert.Single(card["actions"]!.AsArray(), a => (string?)a!["id"] == CardActions.Reject)!;
        Assert.Equal("Action.ShowCard", (string?)reject["type"]);
        var form = reject["card"]!;
        var reason = Assert.Single(JsonWalk.OfType(form, "Input.ChoiceSet"));
        Assert.Equal("reason", (string?)reason["id"]);
        Assert.True((bool)reason["isRequired"]!);
        Assert.Equal(CardTexts.RejectReasons, reason["choices"]!.AsArray().Select(c => (string)c!["value"]!));
        var note = Assert.Single(JsonWalk.OfType(form, "Input.Text"));
        Assert.Equal("note", (string?)note["id"]);
        Assert.True((bool)note["isMultiline"]!);
        Assert.Equal(1000, (int)note["maxLength"]!);
        Assert.Null(note["isRequired"]);
        var submit = Assert.Single(form["actions"]!.AsArray())!;
        Assert.Equal("Action.Execute", (string?)submit["type"]);
        Assert.Equal(CardActions.RejectSubmit, (string?)submit["verb"]);
        Assert.Equal(CardSamples.HandoffId, (string?)submit["data"]!["handoffId"]);
    }

    [Fact]
    public void Handoff_WithRefreshUserIds_RefreshesThoseUsersUpTo60()
    {
        var ids = Enumerable.Range(0, 80).Select(i => $"29:user{i}").Append("29:user0").ToList();

        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered(), ids);

        var refresh = card["refresh"]!;
        Assert.Equal("Action.Execute", (string?)refresh["action"]!["type"]);
        Assert.Equal(CardActions.Refresh, (string?)refresh["action"]!["verb"]);
        Assert.Equal(CardSamples.HandoffId, (string?)refresh["action"]!["data"]!["handoffId"]);
        var userIds = refresh["userIds"]!.AsArray().Select(u => (string)u!).ToList();
        Assert.Equal(60, userIds.Count);
        Assert.Equal(userIds.Count, userIds.Distinct().Count());
    }

    [Fact]
    public void Handoff_WithoutRefreshUserIds_RefreshesWithoutUserList()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered());

        Assert.Equal(CardActions.Refresh, (string?)card["refresh"]!["action"]!["verb"]);
        Assert.Null(card["refresh"]!["userIds"]);
    }

    [Fact]
    public void Handoff_AssigneeKnownToTeams_IsMentionedWithEntity()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered());

        var entity = Assert.Single(card["msteams"]!["entities"]!.AsArray())!;
        Assert.Equal("mention", (string?)entity["type"]);
        Assert.Equal("<at>Hanako Sato</at>", (string?)entity["text"]);
        Assert.Equal("29:hanako", (string?)entity["mentioned"]!["id"]);
        Assert.Contains(JsonWalk.Strings(card["body"]), s => s == "<at>Hanako Sato</at>");
    }

    [Fact]
    public void Handoff_AssigneeWithOnlyEntraId_IsMentionedByEntraId()
    {
        var model = CardSamples.Offered() with { Assignee = new("Hanako Sato", TeamsAadObjectId: "aad-hanako") };

        var card = AdaptiveCardRenderer.Handoff(model);

        Assert.Equal("aad-hanako", (string?)card["msteams"]!["entities"]![0]!["mentioned"]!["id"]);
    }

    [Fact]
    public void Handoff_AssigneeUnknownToTeams_ShowsPlainNameWithoutEntity()
    {
        var model = CardSamples.Offered() with { Assignee = new("Hanako Sato", SlackUserId: "U0HANAKO") };

        var card = AdaptiveCardRenderer.Handoff(model);

        Assert.Null(card["msteams"]);
        Assert.Contains(JsonWalk.Strings(card["body"]), s => s == "Hanako Sato");
        Assert.DoesNotContain(JsonWalk.Strings(card), s => s.Contains("<at>"));
    }

    [Fact]
    public void Handoff_InQueue_SaysDepartmentQueue()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered("ja") with { Assignee = null });

        Assert.Contains(JsonWalk.Strings(card["body"]), s => s == "部署キュー");
    }

    [Theory]
    [InlineData("Rejected")]
    [InlineData("Accepted")]
    [InlineData("Expired")]
    public void Handoff_WhenDecidedOrExpired_ShowsOutcomeAndHasNoActions(string outcome)
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Decided(outcome));

        Assert.Null(card["actions"]);
        Assert.Null(card["refresh"]);
        Assert.DoesNotContain(JsonWalk.Objects(card), o => ((string?)o["type"])?.StartsWith("Action.") == true);
        var texts = JsonWalk.Strings(card["body"]).ToList();
        Assert.Contains(texts, s => s.Contains("Outcome") && s.Contains(outcome));
        Assert.Contains("Hanako Sato", texts);
        Assert.Contains("2026-11-24 16:00", texts);
        Assert.Contains("1h 12m", texts);
    }

    [Fact]
    public void Handoff_WhenRejected_ShowsLocalizedReasonAndNote()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Decided("Rejected", "ja"));

        var texts = JsonWalk.Strings(card["body"]).ToList();
        Assert.Contains("予算なし", texts);
        Assert.Contains(texts, s => s.Contains("Budget frozen until April"));
        Assert.Contains(texts, s => s.Contains("差し戻し済み"));
    }

    [Fact]
    public void Handoff_InJapanese_LabelsButtonsAndReasonsInJapanese()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered("ja"));

        var actions = card["actions"]!.AsArray();
        Assert.Equal("承諾", (string?)actions[0]!["title"]);
        Assert.Equal("差し戻し", (string?)actions[1]!["title"]);
        var titles = JsonWalk.OfType(card, "Input.ChoiceSet").Single()["choices"]!.AsArray().Select(c => (string)c!["title"]!).ToList();
        Assert.Equal(["対象外", "予算なし", "決裁権なし", "ニーズなし", "時期尚早", "連絡不可", "重複", "その他"], titles);
    }

    [Fact]
    public void Handoff_WithBanner_ShowsBannerFirst()
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Offered() with { Banner = "Reminder: 1h left" });

        var first = card["body"]![0]!;
        Assert.Equal("Container", (string?)first["type"]);
        Assert.Contains("Reminder: 1h left", JsonWalk.Strings(first));
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void Handoff_HugeModel_StaysUnderTeamsCardLimit(string language)
    {
        var card = AdaptiveCardRenderer.Handoff(CardSamples.Huge(language), Enumerable.Range(0, 100).Select(i => $"29:{new string('u', 100)}{i}").ToList());

        Assert.True(Bytes(card) < AdaptiveCardRenderer.MaxCardBytes, $"{Bytes(card)} bytes");
        Assert.NotNull(card["actions"]);
    }

    [Fact]
    public void Figures_WithChart_HasVerticalBarChartWithFactSetFallback()
    {
        var card = AdaptiveCardRenderer.Figures(CardSamples.Funnel());

        var chart = Assert.Single(JsonWalk.OfType(card, "Chart.VerticalBar"));
        Assert.Equal(["Inquiries", "MQL", "SQL", "Won"], chart["data"]!.AsArray().Select(d => (string)d!["x"]!));
        Assert.Equal([120.0, 55, 20, 6], chart["data"]!.AsArray().Select(d => (double)d!["y"]!));
        Assert.Equal("FactSet", (string?)chart["fallback"]!["type"]);
        Assert.Equal("Stages", (string?)chart["title"]);
    }

    [Fact]
    public void Figures_RowsWithChange_RenderTableFallingBackToFactSet_OthersAFactSet()
    {
        var card = AdaptiveCardRenderer.Figures(CardSamples.Funnel());

        var table = Assert.Single(JsonWalk.OfType(card["body"], "Table"));
        Assert.Equal(2, table["rows"]!.AsArray().Count);
        Assert.Contains("+2.1pt", JsonWalk.Strings(table["rows"]));
        Assert.Equal("FactSet", (string?)table["fallback"]!["type"]);
        var body = card["body"]!.AsArray();
        Assert.Contains(body, e => (string?)e!["type"] == "FactSet" && JsonWalk.Strings(e).Contains("Inquiries"));
        Assert.Contains(JsonWalk.Strings(body), s => s == "Dropped balls: 3");
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void Figures_HugeModel_StaysUnderTeamsCardLimitAndSaysItWasShortened(string language)
    {
        var card = AdaptiveCardRenderer.Figures(CardSamples.HugeFigures(language));

        Assert.True(Bytes(card) < AdaptiveCardRenderer.MaxCardBytes, $"{Bytes(card)} bytes");
        Assert.Contains(JsonWalk.Strings(card), s => s == CardTexts.For(language).Truncated);
        Assert.Contains(JsonWalk.Objects(card["body"]), o => (string?)o["type"] is "FactSet" or "Table");
    }

    [Fact]
    public void Text_VeryLongText_IsClippedUnderLimit()
    {
        var card = AdaptiveCardRenderer.Text(new string('あ', 100_000));

        Assert.True(Bytes(card) < AdaptiveCardRenderer.MaxCardBytes);
        Assert.EndsWith("…", (string?)card["body"]![0]!["text"]);
    }
}
