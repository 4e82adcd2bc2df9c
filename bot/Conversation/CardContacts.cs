using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Bot.Conversation;

/// <summary>
/// A contact button on a handoff card (Teams or Slack): logs the touch for the card's lead with the handoff's rights
/// (<see cref="LeadActivities.MayLogAsync"/>). Every copy of the card is then updated through the outbox.
/// </summary>
public sealed class CardContacts(TheModelDb db, LeadActivities activities)
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
}
