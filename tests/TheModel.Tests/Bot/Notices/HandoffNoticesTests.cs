using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Bot.Notices;

namespace TheModel.Tests.Bot.Notices;

/// <summary>Who a handoff notice mentions and what it says, decided once for Teams and Slack.</summary>
public class HandoffNoticesTests
{
    private static readonly Person Assignee = new() { Name = "Rep", Locale = "ja-JP" };
    private static readonly Person Manager = new() { Name = "Boss", Locale = "en-US" };

    private static OutboxMessage Row(string kind, string? payload) =>
        new() { Channel = OutboxChannels.Teams, Target = "C1", Kind = kind, Payload = payload, DedupeKey = "k" };

    private static string NoContactBanner(bool escalation, ContactStepPayload step) => throw new InvalidOperationException("not a contact step");

    [Fact]
    public void Audience_InAChannel_MentionsTheAssignee()
    {
        var mentions = HandoffNotices.Audience(reader: null, Assignee, Manager, escalation: false);
        Assert.Equal([new NoticeMention(Assignee, NoticeRole.Assignee)], mentions);
    }

    [Fact]
    public void Audience_InTheAssigneesChat_MentionsNobody()
    {
        Assert.Empty(HandoffNotices.Audience(reader: Assignee, Assignee, Manager, escalation: false));
    }

    [Fact]
    public void Audience_EscalationInAChannel_AddsTheManagerAfterTheAssignee()
    {
        var mentions = HandoffNotices.Audience(reader: null, Assignee, Manager, escalation: true);
        Assert.Equal([new NoticeMention(Assignee, NoticeRole.Assignee), new NoticeMention(Manager, NoticeRole.Manager)], mentions);
    }

    [Fact]
    public void Audience_EscalationWhereTheAssigneeIsTheManager_MentionsThemOnce()
    {
        var mentions = HandoffNotices.Audience(reader: null, Manager, Manager, escalation: true);
        Assert.Equal([new NoticeMention(Manager, NoticeRole.Assignee)], mentions);
    }

    [Fact]
    public void Audience_EscalationReadByTheManager_DoesNotMentionTheReader()
    {
        Assert.Empty(HandoffNotices.Audience(reader: Manager, Assignee, Manager, escalation: true));
    }

    [Fact]
    public void Audience_EscalationInTheAssigneesChat_MentionsTheManager()
    {
        Assert.Equal([new NoticeMention(Manager, NoticeRole.Manager)], HandoffNotices.Audience(reader: Assignee, Assignee, Manager, escalation: true));
    }

    [Fact]
    public void For_SlaEscalationReadByAnEnglishReader_SaysItInEnglishWithTheLateMark()
    {
        var notice = HandoffNotices.For(Row(OutboxKinds.SlaEscalation, new SlaStepPayload("escalation", true, Manager.Id).Json()),
            reader: Manager, Assignee, Manager, NoContactBanner);
        Assert.Equal(NoticeWords.Escalation(ja: false, late: true), notice.Banner);
        Assert.EndsWith(" (sent late)", notice.Banner);
        Assert.Empty(notice.Mentions);
    }

    [Fact]
    public void For_SlaReminderInAChannel_IsInJapaneseAndMentionsOnlyTheAssignee()
    {
        var notice = HandoffNotices.For(Row(OutboxKinds.SlaReminder, new SlaStepPayload("reminder:1", false, Manager.Id).Json()),
            reader: null, Assignee, Manager, NoContactBanner);
        Assert.Equal(NoticeWords.Reminder(ja: true), notice.Banner);
        Assert.Equal([Assignee], notice.Mentions.Select(m => m.Person));
    }

    [Fact]
    public void For_ContactEscalation_TakesTheContactBannerForThatStep()
    {
        var step = new ContactStepPayload(3, "Mql", "contact:mql:3:escalation", true, new DateTime(2026, 11, 18, 7, 0, 0, DateTimeKind.Utc), null, Manager.Id);
        var notice = HandoffNotices.For(Row(OutboxKinds.ContactEscalation, step.Json()), reader: null, Assignee, Manager,
            (escalation, read) => $"{escalation}:{read.Late}:{read.ClockId}");
        Assert.Equal("True:True:3", notice.Banner);
        Assert.Equal([NoticeRole.Assignee, NoticeRole.Manager], notice.Mentions.Select(m => m.Role));
    }

    [Fact]
    public void For_AnOffer_HasNoBanner()
    {
        var notice = HandoffNotices.For(Row(OutboxKinds.HandoffOffered, null), reader: null, Assignee, manager: null, NoContactBanner);
        Assert.Null(notice.Banner);
        Assert.Equal([Assignee], notice.Mentions.Select(m => m.Person));
    }

    [Theory]
    [InlineData("ja-JP", true)]
    [InlineData("en-US", false)]
    public void Japanese_ByTheReadersLocale_AndJapaneseForAChannel(string locale, bool japanese)
    {
        Assert.Equal(japanese, NoticeWords.Japanese(new Person { Locale = locale }));
        Assert.True(NoticeWords.Japanese(null));
    }
}
