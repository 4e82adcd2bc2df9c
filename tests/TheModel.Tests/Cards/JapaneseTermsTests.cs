using TheModel.Tests.Support;
using System.Text.Json.Nodes;
using TheModel.Api.Handoffs;
using TheModel.Bot.Chat;
using TheModel.Bot.Slack;
using TheModel.Bot.Teams;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Cards;

/// <summary>One Japanese word per action (docs/glossary.md): the sources and what the cards show.</summary>
public class JapaneseTermsTests
{
    /// <summary>The join request's words: said literally only in the glossary, so a baton text cannot slip back to them.</summary>
    private static readonly string[] JoinWords = [JapaneseTerms.Approve, JapaneseTerms.Decline];

    [Fact]
    public void Sources_OutsideTheGlossary_SayNoRetiredWord_AndNoJoinWordLiterally()
    {
        var root = Repository.Root;
        var glossary = Path.Combine(root, "cards", "JapaneseTerms.cs");
        var found = new List<string>();
        foreach (var project in new[] { "api", "bot", "cards" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                // Build output, generated migrations, and the demo's sample data (a lead's "役員会承認" is data, not a text).
                if (file == glossary || relative.Contains("/bin/") || relative.Contains("/obj/") || relative.Contains("/Migrations/")
                    || relative.StartsWith("bot/Demo/", StringComparison.Ordinal))
                {
                    continue;
                }
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    foreach (var word in JapaneseTerms.Retired.Concat(JoinWords).Where(w => lines[i].Contains(w, StringComparison.Ordinal)))
                    {
                        found.Add($"{relative}:{i + 1}: {word}");
                    }
                }
            }
        }
        Assert.True(found.Count == 0, "Use JapaneseTerms instead of:\n" + string.Join("\n", found));
    }

    [Theory]
    [InlineData("Offered")]
    [InlineData("Accepted")]
    [InlineData("Rejected")]
    [InlineData("Expired")]
    public void HandoffCard_InJapanese_OnBothPlatforms_SaysNoJoinWordNorRetiredOne(string state)
    {
        var model = state == "Offered" ? CardSamples.Offered("ja") : CardSamples.Decided(state, "ja");
        var texts = JsonWalk.Strings(AdaptiveCardRenderer.Handoff(model))
            .Concat(JsonWalk.Strings(BlockKitRenderer.Handoff(model).Blocks))
            .Concat(JsonWalk.Strings(BlockKitRenderer.RejectModal(model, "m")))
            .Append(TeamsCards.Summary(model))
            .ToList();

        foreach (var word in JapaneseTerms.Retired.Concat(JoinWords))
        {
            Assert.DoesNotContain(texts, s => s.Contains(word, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Texts_InJapanese_NameEachActionWithItsOneWord()
    {
        var card = CardTexts.Japanese;
        Assert.Equal((JapaneseTerms.Accept, JapaneseTerms.Reject), (card.Accept, card.Reject));
        Assert.Equal("差し戻し済み", card.StateLabel("Rejected"));
        Assert.Equal("承諾済み", card.StateLabel("Accepted"));
        var chat = ChatTexts.Japanese;
        Assert.Equal((JapaneseTerms.Accept, JapaneseTerms.Reject), (chat.Accepted, chat.Rejected));
        Assert.Equal("バトン差し戻し", chat.EventName(TheModel.Api.Events.LeadEventType.HandoffRejected));
        Assert.Contains(JapaneseTerms.Reject, TheModel.Bot.Notices.NoticeWords.Rejected(true, "アクメ", "予算なし"));
        Assert.Contains(JapaneseTerms.Accept, SlackTexts.Outcome(true, new Handoff { State = HandoffState.Accepted }));
        Assert.Contains(JapaneseTerms.Reject, SlackTexts.Outcome(true, new Handoff { State = HandoffState.Rejected }));
        Assert.EndsWith(" — 差し戻し済み (Hanako Sato)", TeamsCards.Summary(CardSamples.Decided("Rejected", "ja")));
    }

    [Fact]
    public void JoinRequestCard_InJapanese_KeepsItsOwnWords()
    {
        var model = new JoinRequestCardModel
        {
            RequestId = "r1", Code = "ABC123", Name = "新人", Department = "IS", Platform = "Slack", PlatformId = "U1", State = "Pending", Language = "ja",
        };
        var titles = JsonWalk.Strings(JoinRequestCards.Adaptive(model)["actions"]).ToList();
        Assert.Contains(JapaneseTerms.Approve, titles);
        Assert.Contains(JapaneseTerms.Decline, titles);
    }

}
