using TheModel.Tests.Support;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TheModel.Api.Handoffs;
using TheModel.Cards;

namespace TheModel.Tests.Cards;

/// <summary>Every action id the routers handle is actually on the cards (the platform helpers check the other direction).</summary>
public class CardActionsTests
{
    private static IEnumerable<string> TeamsActionIds(JsonNode card) =>
        JsonWalk.Objects(card).SelectMany(o => new[] { (string?)(o["verb"] as JsonValue), (string?)(o["id"] as JsonValue) }).OfType<string>();

    private static IEnumerable<string> SlackActionIds(params JsonNode[] views) =>
        views.SelectMany(JsonWalk.Objects).SelectMany(o => new[] { (string?)(o["action_id"] as JsonValue), (string?)(o["callback_id"] as JsonValue) }).OfType<string>();

    [Fact]
    public void Teams_HandoffCard_CarriesEveryTeamsAction()
    {
        var ids = TeamsActionIds(AdaptiveCardRenderer.Handoff(CardSamples.Offered(), ["29:a"])).ToHashSet();

        Assert.All(CardActions.Teams, action => Assert.Contains(action, ids));
    }

    [Fact]
    public void Slack_HandoffMessageAndRejectModal_CarryEverySlackAction()
    {
        var model = CardSamples.Offered();
        var ids = SlackActionIds(BlockKitRenderer.Handoff(model).Blocks, BlockKitRenderer.RejectModal(model, "m")).ToHashSet();

        Assert.All(CardActions.Slack, action => Assert.Contains(action, ids));
    }

    [Fact]
    public void JoinRequestCard_CarriesItsActionsOnBothPlatforms_AndNoneOnceDecided()
    {
        var model = new TheModel.Cards.ViewModels.JoinRequestCardModel
        {
            RequestId = Guid.NewGuid().ToString(), Code = "0a1b2c3d", Name = "New", Platform = "Slack", PlatformId = "U0NEW",
            Department = "Inside Sales (IS)", State = "Pending", Language = "en",
        };

        Assert.All(CardActions.JoinRequest, action => Assert.Contains(action, TeamsActionIds(JoinRequestCards.Adaptive(model))));
        Assert.All(CardActions.JoinRequest, action => Assert.Contains(action, SlackActionIds(JoinRequestCards.BlockKit(model).Blocks)));
        Assert.Empty(TeamsActionIds(JoinRequestCards.Adaptive(model with { State = "Approved", DecidedBy = "Boss" })));
        Assert.Empty(SlackActionIds(JoinRequestCards.BlockKit(model with { State = "Declined", DecidedBy = "Boss" }).Blocks));
    }

    [Fact]
    public void PlatformLists_TogetherCoverAll()
    {
        Assert.Equal(CardActions.All.Order(), CardActions.Teams.Union(CardActions.Slack).Union(CardActions.JoinRequest).Union(CardActions.ContactLogs).Union(CardActions.Customer).Union(CardActions.Digest).Order());
        Assert.Equal(CardActions.All.Count, CardActions.All.Distinct().Count());
    }

    /// <summary>Where cards are written (renderers) and their clicks read (routers): verbs and field ids only by constant there.</summary>
    private static readonly string[] CardSites = ["cards", "bot/Teams", "bot/Slack"];

    /// <summary>Slack's own Web API names its modals and App Home a <c>view</c>: that key is Slack's, not our card field.</summary>
    private static bool IsPlatformsOwn(string literal, string relative) =>
        literal == CardFields.View && relative.StartsWith("bot/Slack/", StringComparison.Ordinal);

    [Fact]
    public void CardSites_SayNoVerbOrFieldIdLiterally_OutsideTheirConstants()
    {
        var root = Repository.Root;
        var found = new List<string>();
        foreach (var site in CardSites)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, site), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/bin/") || relative.Contains("/obj/")
                    || relative is "cards/CardActions.cs" or "cards/CardFields.cs")
                {
                    continue;
                }
                found.AddRange(Literals(File.ReadAllLines(file)).Where(f => !IsPlatformsOwn(f.Literal, relative))
                    .Select(f => $"{relative}:{f.Line}: \"{f.Literal}\""));
            }
        }
        Assert.True(found.Count == 0, "Use CardActions / CardFields instead of:\n" + string.Join("\n", found));
    }

    [Fact]
    public void Literals_InTheConstantsOwnFiles_AreFound()
    {
        // The lint above can fail: it finds each constant's own definition.
        var root = Repository.Root;
        var actions = Literals(File.ReadAllLines(Path.Combine(root, "cards", "CardActions.cs"))).Select(f => f.Literal).ToHashSet();
        var fields = Literals(File.ReadAllLines(Path.Combine(root, "cards", "CardFields.cs"))).Select(f => f.Literal).ToHashSet();

        Assert.All(CardActions.All.Concat(CardActions.MyBatons), verb => Assert.Contains(verb, actions));
        Assert.All(CardFields.All, field => Assert.Contains(field, fields));
        Assert.Contains(CardFields.Reason, Literals([$"var id = $\"{CardFields.Reason}.{{handoffId}}\";"]).Select(f => f.Literal));
    }

    /// <summary>Verbs and field ids written as a string literal (a field id also as the start of an interpolated one, <c>$"reason.{id}"</c>), outside comments.</summary>
    private static IEnumerable<(int Line, string Literal)> Literals(IReadOnlyList<string> lines)
    {
        var ids = CardActions.All.Concat(CardActions.MyBatons).Select(v => (v, Pattern: $"\"{Regex.Escape(v)}\""))
            .Concat(CardFields.All.Select(f => (v: f, Pattern: $"\"{Regex.Escape(f)}(\"|\\.\\{{)")))
            .ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            foreach (var (id, pattern) in ids.Where(p => Regex.IsMatch(lines[i], p.Pattern)))
            {
                yield return (i + 1, id);
            }
        }
    }


    [Fact]
    public void RejectReasons_AreTheDomainEnumNames()
    {
        Assert.Equal(Enum.GetNames<RejectReason>(), CardTexts.RejectReasons);
    }

    [Fact]
    public void ReasonText_EveryReasonHasADistinctLabelInBothLanguages()
    {
        Assert.All(CardTexts.RejectReasons, r => Assert.NotEqual(r, CardTexts.Japanese.ReasonText(r)));
        foreach (var texts in new[] { CardTexts.English, CardTexts.Japanese })
        {
            Assert.Equal(CardTexts.RejectReasons.Count, CardTexts.RejectReasons.Select(texts.ReasonText).Distinct().Count());
        }
        Assert.Equal("No budget", CardTexts.English.ReasonText("NoBudget"));
        Assert.Equal("対象外", CardTexts.Japanese.ReasonText("NotTarget"));
    }
}
