using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Markup in what a CRM or a user fills shows as text on Teams: the card JSON and the message text the Connector
/// receives (a local recording server) carry it escaped; a note over the limit is refused and not stored.
/// </summary>
public class TeamsMarkupTests
{
    private const string Link = "[Verify](https://example.org)";
    private const string Markup = Link + " <https://evil.example> *bold*";

    private static async Task<(TeamsWorld World, Guid HandoffId)> OfferedWithMarkupAsync()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await world.InstallAsync(Department.MK, "19:mk-baton@thread.tacv2");
        var handoffId = await OfferLeadAsync(world.App);
        // Cards are rendered when they are sent: the CRM's values as they stand then.
        await world.App.WithDbAsync(async db =>
        {
            var lead = await db.Leads.SingleAsync();
            (lead.Name, lead.Company, lead.Title) = (Markup, Markup, Markup);
            await db.SaveChangesAsync();
        });
        await world.App.DispatchAsync();
        return (world, handoffId);
    }

    /// <summary>What Teams renders as Markdown: message text, card TextBlocks and facts (not ids, verbs or entity names).</summary>
    private static List<string> Rendered(JsonNode activity)
    {
        var texts = new List<string>();
        if ((string?)activity["text"] is { } text)
        {
            texts.Add(text);
        }
        foreach (var card in activity["attachments"]?.AsArray().Select(a => a!["content"]) ?? [])
        {
            texts.AddRange(JsonWalk.Strings(card!["body"]));
        }
        return texts;
    }

    private static void AssertNoLink(List<string> rendered)
    {
        Assert.NotEmpty(rendered);
        Assert.DoesNotContain(rendered, s => s.Contains(Link, StringComparison.Ordinal));
        Assert.DoesNotContain(rendered, s => Regex.IsMatch(s, @"(?<!\\)<https://"));
    }

    [Fact]
    public async Task Offer_CompanyNamedLikeALink_CardShowsItEscaped_AndNoLink()
    {
        var (world, _) = await OfferedWithMarkupAsync();
        await using var _w = world;

        var post = world.PostedTo(ChannelId);
        var activity = JsonNode.Parse(post.Body)!;
        var rendered = Rendered(activity);
        Assert.Contains(rendered, s => s.Contains(@"\[Verify\](https://example.org) \<https://evil.example\> \*bold\*", StringComparison.Ordinal));
        AssertNoLink(rendered);
    }

    [Fact]
    public async Task LeadLookup_CompanyNamedLikeALink_ReplyTextAndCardAreEscaped()
    {
        var (world, _) = await OfferedWithMarkupAsync();
        await using var _w = world;
        var before = world.Connector.Requests.Count;

        Assert.Equal(200, (await PostAsync(world.App, Message(world.Connector.BaseUrl, Personal("a:rep-dm"), "lead Verify", Users.Rep))).Status);
        await world.App.DispatchAsync();

        var reply = JsonNode.Parse(world.Connector.Requests.Skip(before).Single(r => r.Path.StartsWith("/v3/conversations/a:rep-dm/", StringComparison.Ordinal)).Body)!;
        Assert.Contains(@"\[Verify\](https://example.org)", (string?)reply["text"]);
        AssertNoLink(Rendered(reply));
    }

    [Fact]
    public async Task UnknownCommand_WithMarkup_IsEchoedEscaped_AndOurCodeSpansStay()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();

        await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "frobnicate " + Link));
        await app.DispatchAsync();

        var reply = JsonNode.Parse(Assert.Single(connector.Requests).Body)!;
        Assert.Contains(@"frobnicate \[Verify\](https://example.org)", (string?)reply["text"]);
        AssertNoLink(Rendered(reply));
    }

    [Fact]
    public async Task RejectNote_WithMarkup_TheNoticeToTheSenderIsEscaped()
    {
        var (world, handoffId) = await OfferedWithMarkupAsync();
        await using var _w = world;

        await world.InvokeAsync(Users.Rep, CardActions.RejectSubmit,
            new JsonObject { ["handoffId"] = handoffId.ToString(), ["reason"] = "NoBudget", ["note"] = Markup });
        await world.App.DispatchAsync();

        Assert.Equal(Markup, await world.App.WithDbAsync(db => db.Handoffs.Where(h => h.Id == handoffId).Select(h => h.RejectNote).SingleAsync()));
        var notice = JsonNode.Parse(world.PostedTo("19:mk-baton@thread.tacv2").Body)!;
        AssertNoLink(Rendered(notice));
        Assert.Contains(@"\[Verify\]", (string?)notice["text"]);
    }

    [Fact]
    public async Task RejectNote_TenThousandCharacters_IsAnsweredPrivately_AndStoresNothing()
    {
        var (world, handoffId) = await OfferedWithMarkupAsync();
        await using var _w = world;

        var response = await world.InvokeAsync(Users.Rep, CardActions.RejectSubmit,
            new JsonObject { ["handoffId"] = handoffId.ToString(), ["reason"] = "NoBudget", ["note"] = new string('x', 10_000) });

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("1000", (string?)response.Json["value"]);
        var handoff = await world.App.WithDbAsync(db => db.Handoffs.SingleAsync(h => h.Id == handoffId));
        Assert.Equal(HandoffState.Offered, handoff.State);
        Assert.Null(handoff.RejectNote);
    }

    [Fact]
    public void RejectForm_NoteInput_HasTheStoresLimit()
    {
        var card = AdaptiveCardRenderer.Handoff(TheModel.Tests.Cards.CardSamples.Offered());
        // The reason form lives in the Reject action's card.
        var input = card["actions"]!.AsArray().Select(a => a!["card"]).OfType<JsonObject>()
            .SelectMany(c => c["body"]!.AsArray()).Single(e => (string?)e!["id"] == "note")!;
        Assert.Equal(TheModel.Api.Common.InputLimits.Note, (int)input["maxLength"]!);
    }
}
