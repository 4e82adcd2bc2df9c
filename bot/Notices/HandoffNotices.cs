using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Api.Conversations;
using TheModel.Bot.HandoffCards;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Notices;

/// <summary>Why a notice mentions a person.</summary>
public enum NoticeRole
{
    /// <summary>Who must act on the baton.</summary>
    Assignee,
    /// <summary>The assignee's manager, on an escalation.</summary>
    Manager,
}

public sealed record NoticeMention(Person Person, NoticeRole Role);

/// <summary>The banner over a handoff card (none for a plain offer) and the people the post mentions.</summary>
public sealed record HandoffNotice(string? Banner, IReadOnlyList<NoticeMention> Mentions);

/// <summary>A rejection told to the sending side: a banner over the card, or one line where no card is shown.</summary>
public sealed record RejectedNotice(string Banner, string Line);

/// <summary>
/// Decides, once for both platforms, who a handoff notice mentions and what it says, from the outbox row, the card's
/// source and who reads it (null: a channel). The senders only render it: Teams mention entities or Slack <c>&lt;@U…&gt;</c>,
/// Adaptive Card markdown or mrkdwn escaping.
/// </summary>
public static class HandoffNotices
{
    /// <summary>The notice of an offer, an SLA step or a first-contact step.</summary>
    public static async Task<HandoffNotice> ForAsync(TheModelDb db, HandoffCardFactory cards, OutboxMessage message, HandoffCardSource source,
        Person? reader, CancellationToken ct)
    {
        var manager = IsEscalation(message) && ManagerIdOf(message) is { } id ? await PostedCardQueries.Person(db, id, ct) : null;
        // The contact deadline is shown in the reader's zone, which the card factory knows.
        return For(message, reader, source.Assignee, manager, (escalation, step) => cards.ContactBanner(escalation, step.Late, step.DueAt, reader));
    }

    /// <summary>The decision itself, once the people are read: <paramref name="manager"/> is the payload's manager.</summary>
    public static HandoffNotice For(OutboxMessage message, Person? reader, Person? assignee, Person? manager,
        Func<bool, ContactStepPayload, string> contactBanner)
    {
        var escalation = IsEscalation(message);
        var ja = NoticeWords.Japanese(reader);
        var banner = message.Kind switch
        {
            OutboxKinds.SlaReminder => NoticeWords.Reminder(ja, SlaStepPayload.Read(message).Late),
            OutboxKinds.SlaEscalation => NoticeWords.Escalation(ja, SlaStepPayload.Read(message).Late),
            OutboxKinds.ContactReminder or OutboxKinds.ContactEscalation when ContactStepPayload.Read(message) is { } step => contactBanner(escalation, step),
            _ => null,
        };
        return new HandoffNotice(banner, Audience(reader, assignee, manager, escalation));
    }

    private static bool IsEscalation(OutboxMessage message) => message.Kind is OutboxKinds.SlaEscalation or OutboxKinds.ContactEscalation;

    private static Guid? ManagerIdOf(OutboxMessage message) => message.Kind switch
    {
        OutboxKinds.SlaReminder or OutboxKinds.SlaEscalation => SlaStepPayload.Read(message).ManagerId,
        OutboxKinds.ContactReminder or OutboxKinds.ContactEscalation => ContactStepPayload.Read(message)?.ManagerId,
        _ => null,
    };

    /// <summary>
    /// In a channel the card mentions who must act and, on escalation, their manager; in a 1:1 chat the reader is the one
    /// who must act (or the manager) and is notified anyway, so only a manager who is not the reader is mentioned there.
    /// Nobody is mentioned twice.
    /// </summary>
    public static IReadOnlyList<NoticeMention> Audience(Person? reader, Person? assignee, Person? manager, bool escalation)
    {
        var mentions = new List<NoticeMention>();
        if (reader is null && assignee is not null)
        {
            mentions.Add(new(assignee, NoticeRole.Assignee));
        }
        if (escalation && manager is not null && manager.Id != reader?.Id && mentions.TrueForAll(m => m.Person.Id != manager.Id))
        {
            mentions.Add(new(manager, NoticeRole.Manager));
        }
        return mentions;
    }

    /// <summary>The rejection in the card's language; the reason as the card words it, else as stored.</summary>
    public static RejectedNotice Rejected(HandoffCardModel model, HandoffCardSource source)
    {
        // "予算なし", not the enum name: the card beside it says it so.
        var reason = CardTexts.For(model.Language).ReasonText(model.Decision?.Reason ?? source.Handoff.RejectReason?.ToString() ?? "?");
        return new RejectedNotice(NoticeWords.Rejected(model.Language == "ja", model.Company, reason), NoticeWords.RejectedLine(model, reason));
    }
}
