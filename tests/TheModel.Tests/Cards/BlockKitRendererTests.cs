using System.Text.Json.Nodes;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Cards;

public class BlockKitRendererTests
{
    private static JsonObject Actions(SlackMessage message) => JsonWalk.OfType(message.Blocks, "actions").Single();

    [Fact]
    public void Handoff_WhenOffered_HasAcceptAndRejectButtonsInHandoffBlock()
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Offered());

        var actions = Actions(message);
        Assert.Equal($"handoff:{CardSamples.HandoffId}", (string?)actions["block_id"]);
        var buttons = actions["elements"]!.AsArray();
        Assert.Equal([CardActions.Accept, CardActions.Reject], buttons.Select(b => (string)b!["action_id"]!));
        Assert.All(buttons, b => Assert.Equal(CardSamples.HandoffId, (string?)b!["value"]));
        Assert.Equal(["primary", "danger"], buttons.Select(b => (string)b!["style"]!));
        Assert.Equal(["Accept", "Reject"], buttons.Select(b => (string)b!["text"]!["text"]!));
    }

    [Fact]
    public void Handoff_InJapanese_ButtonsSayShouninAndKyakka()
    {
        var buttons = Actions(BlockKitRenderer.Handoff(CardSamples.Offered("ja")))["elements"]!.AsArray();

        Assert.Equal(["承諾", "差し戻し"], buttons.Select(b => (string)b!["text"]!["text"]!));
    }

    [Fact]
    public void Handoff_MentionsAssigneeBySlackId_InBlocksAndFallbackText()
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Offered());

        Assert.Contains(JsonWalk.Strings(message.Blocks), s => s.Contains("<@U0HANAKO>"));
        Assert.Contains("<@U0HANAKO>", message.Text);
    }

    [Fact]
    public void Handoff_MalformedSlackId_FallsBackToEscapedName()
    {
        var model = CardSamples.Offered() with { Assignee = new PersonRef("<!channel> Eve", SlackUserId: "U1>|<!here") };

        var message = BlockKitRenderer.Handoff(model);

        var all = string.Join("\n", JsonWalk.Strings(message.Blocks)) + message.Text;
        Assert.DoesNotContain("<!channel>", all);
        Assert.DoesNotContain("<!here", all);
        Assert.Contains("&lt;!channel&gt; Eve", all);
    }

    [Fact]
    public void Handoff_EscapesCrmValuesEverywhere()
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Offered());

        var all = JsonWalk.Strings(message.Blocks).ToList();
        Assert.Contains(all, s => s.Contains("Acme &amp; &lt;Sons&gt;"));
        Assert.DoesNotContain(all, s => s.Contains("<Sons>"));
        Assert.Contains("Acme &amp; &lt;Sons&gt;", message.Text);
    }

    [Fact]
    public void Handoff_FallbackTextAlwaysSet()
    {
        Assert.False(string.IsNullOrWhiteSpace(BlockKitRenderer.Handoff(CardSamples.Offered()).Text));
        Assert.False(string.IsNullOrWhiteSpace(BlockKitRenderer.Handoff(CardSamples.Decided()).Text));
        Assert.False(string.IsNullOrWhiteSpace(BlockKitRenderer.Figures(CardSamples.Funnel()).Text));
        Assert.False(string.IsNullOrWhiteSpace(BlockKitRenderer.Text("").Text + "x"));
    }

    [Theory]
    [InlineData("Rejected")]
    [InlineData("Accepted")]
    [InlineData("Expired")]
    public void Handoff_WhenDecided_ShowsOutcomeWithoutButtons(string outcome)
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Decided(outcome));

        Assert.Empty(JsonWalk.OfType(message.Blocks, "actions"));
        Assert.Empty(JsonWalk.OfType(message.Blocks, "button"));
        var all = string.Join("\n", JsonWalk.Strings(message.Blocks));
        Assert.Contains($"Outcome: {CardTexts.English.StateLabel(outcome)}", all);
        Assert.Contains("<@U0HANAKO>", all);
        Assert.Contains("1h 12m", all);
        Assert.Contains($"<!date^{CardSamples.Deadline.AddHours(-2).ToUnixTimeSeconds()}^", all);
    }

    [Fact]
    public void Handoff_WhenRejected_ShowsLocalizedReasonAndEscapedNote()
    {
        var all = string.Join("\n", JsonWalk.Strings(BlockKitRenderer.Handoff(CardSamples.Decided("Rejected", "ja")).Blocks));

        Assert.Contains("予算なし", all);
        Assert.Contains("Budget frozen until April &lt;sigh&gt;", all);
    }

    [Fact]
    public void Handoff_WithBanner_StartsWithBanner()
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Offered() with { Banner = "Escalated: 2h overdue" });

        Assert.Contains("Escalated: 2h overdue", (string?)message.Blocks[0]!["text"]!["text"]);
    }

    [Fact]
    public void RejectModal_HasCallbackMetadataReasonSelectAndOptionalNote()
    {
        var view = BlockKitRenderer.RejectModal(CardSamples.Offered(), "{\"handoffId\":\"x\",\"ts\":\"1.2\"}");

        Assert.Equal("modal", (string?)view["type"]);
        Assert.Equal(CardActions.RejectSubmit, (string?)view["callback_id"]);
        Assert.Equal("{\"handoffId\":\"x\",\"ts\":\"1.2\"}", (string?)view["private_metadata"]);
        var inputs = JsonWalk.OfType(view["blocks"], "input").ToList();
        var reason = Assert.Single(inputs, b => (string?)b["block_id"] == "reason");
        Assert.Null(reason["optional"]);
        Assert.Equal("static_select", (string?)reason["element"]!["type"]);
        Assert.Equal("reason", (string?)reason["element"]!["action_id"]);
        Assert.Equal(CardTexts.RejectReasons, reason["element"]!["options"]!.AsArray().Select(o => (string)o!["value"]!));
        var note = Assert.Single(inputs, b => (string?)b["block_id"] == "note");
        Assert.True((bool)note["optional"]!);
        Assert.Equal("plain_text_input", (string?)note["element"]!["type"]);
        Assert.Equal("note", (string?)note["element"]!["action_id"]);
        Assert.True((bool)note["element"]!["multiline"]!);
        Assert.Equal(1000, (int)note["element"]!["max_length"]!);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ja")]
    public void RejectModal_TitlesFitSlackLimits(string language)
    {
        var view = BlockKitRenderer.RejectModal(CardSamples.Huge(language), "m");

        foreach (var key in new[] { "title", "submit", "close" })
        {
            Assert.InRange(((string?)view[key]!["text"])!.Length, 1, BlockKitRenderer.MaxModalTitle);
        }
        Assert.All(JsonWalk.OfType(view["blocks"], "section"), s => Assert.True(((string?)s["text"]!["text"])!.Length <= 3000));
    }

    [Fact]
    public void RejectModal_InJapanese_OptionsAreJapaneseLabels()
    {
        var view = BlockKitRenderer.RejectModal(CardSamples.Offered("ja"), "m");

        var labels = JsonWalk.OfType(view, "static_select").Single()["options"]!.AsArray().Select(o => (string)o!["text"]!["text"]!);
        Assert.Equal(["対象外", "予算なし", "決裁権なし", "ニーズなし", "時期尚早", "連絡不可", "重複", "その他"], labels);
    }

    [Fact]
    public void RejectModal_OversizedMetadata_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => BlockKitRenderer.RejectModal(CardSamples.Offered(), new string('x', 3001)));
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void Handoff_HugeModel_StaysWithinBlockKitLimitsAndKeepsButtons(string language)
    {
        var message = BlockKitRenderer.Handoff(CardSamples.Huge(language));

        AssertWithinLimits(message, BlockKitRenderer.MaxMessageBlocks);
        Assert.Single(JsonWalk.OfType(message.Blocks, "actions"));
    }

    [Theory]
    [InlineData("ja")]
    [InlineData("en")]
    public void Figures_HugeModel_StaysWithinBlockKitLimits(string language)
    {
        var message = BlockKitRenderer.Figures(CardSamples.HugeFigures(language));

        AssertWithinLimits(message, BlockKitRenderer.MaxMessageBlocks);
        Assert.Contains(JsonWalk.Strings(message.Blocks), s => s.Contains(CardTexts.For(language).Truncated));
    }

    [Fact]
    public void Figures_HasHeaderCalloutFieldsAndTextBarChartInCodeBlock()
    {
        var message = BlockKitRenderer.Figures(CardSamples.Funnel());

        Assert.Equal("header", (string?)message.Blocks[0]!["type"]);
        Assert.Equal("Funnel · 2026-11", (string?)message.Blocks[0]!["text"]!["text"]);
        var all = JsonWalk.Strings(message.Blocks).ToList();
        Assert.Contains(all, s => s.Contains("Dropped balls: 3"));
        var chart = Assert.Single(all, s => s.Contains("```"));
        Assert.Contains("Inquiries ████████████████████ 120", chart);
        Assert.Contains("*MQL rate*\n45.8% (+2.1pt)", all);
        Assert.StartsWith("Funnel · 2026-11", message.Text);
    }

    [Fact]
    public void BarChart_ScalesToLargestInEighthBlocksAndAlignsJapaneseLabels()
    {
        var chart = BlockKitRenderer.BarChart([new("問い合わせ", 100, "100"), new("MQL", 55, "55"), new("受注", 0, "0")]);

        var lines = chart.Split('\n');
        Assert.Equal("問い合わせ " + new string('█', 20) + " 100", lines[0]);
        // 55% of 20 cells = 11 cells exactly.
        Assert.Equal("MQL        " + new string('█', 11) + " 55", lines[1]);
        Assert.Equal("受注        0", lines[2]);
    }

    [Fact]
    public void BarChart_FractionalValue_UsesPartialBlock()
    {
        var chart = BlockKitRenderer.BarChart([new("A", 100, "100"), new("B", 27.5, "27.5")]);

        Assert.Equal("B █████▌ 27.5", chart.Split('\n')[1]);
    }

    [Fact]
    public void Text_IsEscapedAndSplitIntoSectionsOf3000()
    {
        var message = BlockKitRenderer.Text("a<b & c>" + new string('x', 7000));

        Assert.StartsWith("a&lt;b &amp; c&gt;", (string?)message.Blocks[0]!["text"]!["text"]);
        Assert.Equal(3, message.Blocks.Count);
        AssertWithinLimits(message, BlockKitRenderer.MaxMessageBlocks);
    }

    [Fact]
    public void Escape_ReplacesOnlyAmpersandAndAngleBrackets()
    {
        Assert.Equal("&amp;lt; &lt;@U1&gt; *bold* \"q\"", BlockKitRenderer.Escape("&lt; <@U1> *bold* \"q\""));
    }

    private static void AssertWithinLimits(SlackMessage message, int maxBlocks)
    {
        Assert.InRange(message.Blocks.Count, 1, maxBlocks);
        Assert.False(string.IsNullOrWhiteSpace(message.Text));
        Assert.True(message.Text.Length <= BlockKitRenderer.MaxFallbackText);
        // Slack refuses blocks near 13k characters in total (msg_blocks_too_long), below the per-block limits.
        Assert.True(JsonWalk.Strings(message.Blocks).Sum(s => s.Length) < 12_000);
        foreach (var block in message.Blocks.Select(b => b!.AsObject()))
        {
            if ((string?)block["type"] == "section")
            {
                if (block["text"] is { } text)
                {
                    Assert.InRange(((string?)text["text"])!.Length, 1, BlockKitRenderer.MaxSectionText);
                }
                if (block["fields"] is JsonArray fields)
                {
                    Assert.InRange(fields.Count, 1, BlockKitRenderer.MaxFields);
                    Assert.All(fields, f => Assert.InRange(((string?)f!["text"])!.Length, 1, BlockKitRenderer.MaxFieldText));
                }
            }
            if ((string?)block["type"] == "header")
            {
                Assert.InRange(((string?)block["text"]!["text"])!.Length, 1, BlockKitRenderer.MaxHeaderText);
            }
        }
        foreach (var button in JsonWalk.OfType(message.Blocks, "button"))
        {
            Assert.InRange(((string?)button["text"]!["text"])!.Length, 1, BlockKitRenderer.MaxButtonText);
        }
        // No half-cut escape entity anywhere.
        Assert.DoesNotMatch(@"&(a|am|l|g)?(?![a-z]*;)[^a-z]", string.Join("\n", JsonWalk.Strings(message.Blocks)).Replace("&amp;", "").Replace("&lt;", "").Replace("&gt;", "") + "&x");
    }
}
