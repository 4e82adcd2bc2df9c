using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Bot.Slack;
using TheModel.Cards;
using TheModel.Tests.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Markup in what a CRM or a user fills shows as text on Slack, in the blocks and in the top-level <c>text</c> of
/// every request the bot sends (recorded by the local Slack double); a note over the limit is refused and not stored.
/// </summary>
public class SlackMarkupTests
{
    private const string Markup = "[Verify](https://example.org) <!channel> <@U123> <https://evil.example|Verify> & co";

    /// <summary>The seeded handoff's lead with markup in its name, company and email (cards are rendered at send time).</summary>
    private static async Task<(SlackTestKit Kit, Seeded Seeded)> OfferedWithMarkupAsync()
    {
        var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.Db(async db =>
        {
            var lead = await db.Leads.SingleAsync();
            (lead.Name, lead.Company, lead.Email) = (Markup, Markup, "a_b+<!here>@acme.example");
            return await db.SaveChangesAsync();
        });
        await kit.DrainAsync();
        return (kit, seeded);
    }

    /// <summary>The top-level text and every string in the blocks of each recorded call.</summary>
    private static List<string> Sent(SlackTestKit kit, string method) =>
        kit.Calls(method).Select(SlackTestKit.Body).SelectMany(b => new[] { b["text"]!.GetValue<string>() }.Concat(JsonWalk.Strings(b["blocks"]))).ToList();

    private static void AssertInert(IReadOnlyCollection<string> texts)
    {
        Assert.NotEmpty(texts);
        foreach (var text in texts)
        {
            Assert.DoesNotContain("<!channel>", text);
            Assert.DoesNotContain("<!here>", text);
            Assert.DoesNotContain("<@U123>", text);
            Assert.DoesNotContain("<https://evil", text);
        }
    }

    [Fact]
    public async Task Offer_MarkupInLeadNameCompanyAndEmail_IsEscapedInBlocksAndTopLevelText()
    {
        var (kit, _) = await OfferedWithMarkupAsync();
        await using var _k = kit;

        var posts = kit.Calls("chat.postMessage").Select(SlackTestKit.Body).ToList();
        Assert.Equal(2, posts.Count);
        AssertInert(Sent(kit, "chat.postMessage"));
        Assert.All(posts, p => Assert.Contains("&lt;!channel&gt;", p["text"]!.GetValue<string>()));
        Assert.Contains(Sent(kit, "chat.postMessage"), s => s.Contains("a_b+&lt;!here&gt;@acme.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LeadLookup_CompanyWithMarkup_IsEscapedInTheResponseUrlTextAndBlocks()
    {
        var (kit, _) = await OfferedWithMarkupAsync();
        await using var _k = kit;

        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("lead Verify")).StatusCode);
        await kit.DrainAsync();

        var answer = SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc"));
        var texts = JsonWalk.Strings(answer["blocks"]).Append(answer["text"]!.GetValue<string>()).ToList();
        AssertInert(texts);
        Assert.Contains("&lt;https://evil.example|Verify&gt;", answer["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task LeadLookup_MarkupQueryNotFound_EchoesItEscaped()
    {
        await using var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        await kit.SeedHandoffAsync();
        await kit.DrainAsync();

        // The parser unwraps Slack's own <…> links, so a query keeps only lone brackets: still escaped once.
        await kit.PostCommandAsync("lead zz & y> <!channel");
        await kit.DrainAsync();

        var answer = SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc"));
        AssertInert(JsonWalk.Strings(answer["blocks"]).Append(answer["text"]!.GetValue<string>()).ToList());
        Assert.Contains("zz &amp; y&gt; &lt;!channel", answer["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task LeadLookup_TenThousandCharacterQuery_IsAnsweredPrivatelyAndShort()
    {
        await using var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        await kit.SeedHandoffAsync();
        await kit.DrainAsync();

        await kit.PostCommandAsync("lead " + new string('x', 10_000));
        await kit.DrainAsync();

        var answer = SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc"));
        Assert.Equal("ephemeral", answer["response_type"]!.GetValue<string>());
        Assert.DoesNotContain(new string('x', 200), answer.ToJsonString());
    }

    [Fact]
    public async Task RejectNote_WithMarkup_IsStoredAsTypedAndEscapedOnTheUpdatedCards()
    {
        var (kit, seeded) = await OfferedWithMarkupAsync();
        await using var _k = kit;
        var metadata = new RejectModalMetadata(seeded.HandoffId, "CIS", "1700000000.000001").Write();

        await kit.PostInteractionAsync(SlackTestKit.RejectSubmission(metadata, nameof(RejectReason.NoBudget), Markup));
        await kit.DrainAsync();

        Assert.Equal(Markup, await kit.Db(db => db.Handoffs.Where(h => h.Id == seeded.HandoffId).Select(h => h.RejectNote).SingleAsync()));
        var updates = Sent(kit, "chat.update");
        AssertInert(updates);
        Assert.Contains(updates, s => s.Contains("[Verify](https://example.org) &lt;!channel&gt;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectNote_TenThousandCharacters_KeepsTheModalOpenWithAnError_AndStoresNothing()
    {
        var (kit, seeded) = await OfferedWithMarkupAsync();
        await using var _k = kit;
        var metadata = new RejectModalMetadata(seeded.HandoffId, "CIS", "1700000000.000001").Write();

        var submit = await kit.PostInteractionAsync(SlackTestKit.RejectSubmission(metadata, nameof(RejectReason.NoBudget), new string('x', 10_000)));

        var body = JsonNode.Parse(await submit.Content.ReadAsStringAsync())!;
        Assert.Equal("errors", body["response_action"]!.GetValue<string>());
        Assert.Contains("1000", body["errors"]!["note"]!.GetValue<string>());
        await kit.DrainAsync();
        var handoff = await kit.Db(db => db.Handoffs.SingleAsync(h => h.Id == seeded.HandoffId));
        Assert.Equal(HandoffState.Offered, handoff.State);
        Assert.Null(handoff.RejectNote);
        Assert.Equal(0, await kit.Db(db => db.InboundWork.CountAsync()));
    }

    [Fact]
    public void RejectModal_NoteInput_HasTheStoresLimit()
    {
        var modal = BlockKitRenderer.RejectModal(TheModel.Tests.Cards.CardSamples.Offered(), "meta");
        var note = modal["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == "note")!;
        Assert.Equal(TheModel.Api.Common.InputLimits.Note, (int)note["element"]!["max_length"]!);
    }
}
