using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Customers;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Bot.Chat;

namespace TheModel.Bot.HandoffCards;

/// <summary>
/// A contact button on a handoff card (Teams or Slack): logs the touch for the card's lead with the handoff's rights
/// (<see cref="LeadActivities.MayLogAsync"/>). Every copy of the card is then updated through the outbox.
/// The kick-off button of an accepted Won → CS card lands here too (<see cref="KickOffAsync"/>); the lifecycle updates the card's copies in the same commit.
/// </summary>
public sealed class CardContacts(TheModelDb db, LeadActivities activities, CustomerLifecycle customers)
{
    /// <returns>Null when it was logged; otherwise the private reply for the clicker (nothing was stored).</returns>
    public async Task<string?> LogAsync(Guid handoffId, Person person, string verb, string? note, CancellationToken ct)
    {
        var t = ChatTexts.For(person.PrefersJapanese ? "ja" : "en");
        var card = await db.Handoffs.AsNoTracking().Where(h => h.Id == handoffId)
            .Join(db.Leads.AsNoTracking(), h => h.LeadId, l => l.Id, (h, l) => new { l.Id, l.Company }).FirstOrDefaultAsync(ct);
        if (card is null || HandoffCardFactory.ContactOf(verb) is not { } contact)
        {
            return t.ContactNoBaton;
        }
        var result = await activities.RecordAsync(new ActivityRequest(card.Id, person.Id, contact.Kind, contact.Outcome,
            Actor.Person(person.Id, person.Name), Note: string.IsNullOrWhiteSpace(note) ? null : note, CheckRights: true), ct);
        return result.Status switch
        {
            ActivityStatus.Created => null,
            ActivityStatus.NotYours => t.ContactNotYours(card.Company),
            ActivityStatus.Invalid when result.Field == "note" => t.ContactNoteTooLong,
            ActivityStatus.Invalid => result.Detail,
            _ => t.ContactFailed,
        };
    }

    /// <summary>
    /// "Kick-off done" (導入完了) on a Won → CS card: recorded through <see cref="CustomerLifecycle"/> with its rights
    /// (the CS owner, CS managers, admins); then every posted copy of the card is updated through the outbox.
    /// </summary>
    /// <returns>Null when it was recorded; otherwise the private reply for the clicker (nothing was stored).</returns>
    public async Task<string?> KickOffAsync(Guid handoffId, Person person, CancellationToken ct)
    {
        var ja = person.PrefersJapanese;
        var handoff = await db.Handoffs.FirstOrDefaultAsync(h => h.Id == handoffId, ct);
        if (handoff is not { Kind: HandoffKind.WonToCs })
        {
            return ChatTexts.For(ja ? "ja" : "en").ContactNoBaton;
        }
        var change = await customers.OnboardAsync(handoff.LeadId, null, Actor.Person(person.Id, person.Name), ct);
        if (change.Succeeded)
        {
            return null;
        }
        var company = change.Lead?.Company ?? "";
        return change.Status switch
        {
            CustomerChangeStatus.NotYours => ja
                ? $"{company} の導入完了を記録できるのは CS の担当者、CS マネージャー、管理者だけです。"
                : $"Only the CS owner, a CS manager or an admin can record the kick-off of {company}.",
            CustomerChangeStatus.WrongState when change.Field == "onboarded" => ja
                ? $"{company} の導入完了はもう記録されています。"
                : $"The kick-off of {company} is already recorded.",
            CustomerChangeStatus.NotFound => ChatTexts.For(ja ? "ja" : "en").ContactNoBaton,
            _ => ja ? $"導入完了を記録できませんでした: {change.Detail}" : $"The kick-off was not recorded: {change.Detail}",
        };
    }
}
