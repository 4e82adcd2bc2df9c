using Microsoft.EntityFrameworkCore;
using TheModel.Api.Customers;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Store;

namespace TheModel.Api.Outbox;

/// <summary>
/// A notice about one lead that is a line of text — a renewal step or a neglect nudge: whether it still applies when it
/// goes out, and its words, decided here once so that the Teams and Slack senders only escape and post it.
/// </summary>
/// <remarks>Either <see cref="NotSent"/> (the row's outcome when the notice no longer applies or names no lead) or <see cref="Words"/>.</remarks>
public sealed record LeadTextNotice(SendResult? NotSent, Func<bool, string>? Words)
{
    public static async Task<LeadTextNotice> ReadAsync(TheModelDb db, OutboxMessage message, CancellationToken ct)
    {
        if (message.Kind == OutboxKinds.NeglectNudge)
        {
            return NeglectNudgePayload.Read(message) is not { } nudge || await LeadAsync(db, nudge.LeadId, ct) is not { } lead
                ? new(new SendResult.Failed("neglect payload names no lead"), null)
                : lead.LastActivityAt != nudge.LastActivityAt || lead.Stage != LeadStage.Sql
                    ? new(new SendResult.Skipped("the lead was touched or moved on before the nudge went out"), null)
                    : new(null, ja => NeglectTexts.For(nudge, lead, ja));
        }
        return RenewalStepPayload.Read(message) is not { } step || await LeadAsync(db, step.LeadId, ct) is not { } renewal
            ? new(new SendResult.Failed("renewal payload names no lead"), null)
            : renewal.ChurnedAt is not null || renewal.RenewalDueAt != step.DueAt
                ? new(new SendResult.Skipped("the renewal was decided before the notice went out"), null)
                : new(null, ja => RenewalTexts.For(message.Kind, step, renewal, ja));
    }

    private static Task<Lead?> LeadAsync(TheModelDb db, Guid id, CancellationToken ct) =>
        db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
}
