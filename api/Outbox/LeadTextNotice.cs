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
public sealed record LeadTextNotice(string? Failure, string? Skip, Func<bool, string>? Words)
{
    public static async Task<LeadTextNotice> ReadAsync(TheModelDb db, OutboxMessage message, CancellationToken ct)
    {
        if (message.Kind == OutboxKinds.NeglectNudge)
        {
            return NeglectNudgePayload.Read(message) is not { } nudge || await LeadAsync(db, nudge.LeadId, ct) is not { } lead
                ? new("neglect payload names no lead", null, null)
                : lead.LastActivityAt != nudge.LastActivityAt || lead.Stage != LeadStage.Sql
                    ? new(null, "the lead was touched or moved on before the nudge went out", null)
                    : new(null, null, ja => NeglectTexts.For(nudge, lead, ja));
        }
        return RenewalStepPayload.Read(message) is not { } step || await LeadAsync(db, step.LeadId, ct) is not { } renewal
            ? new("renewal payload names no lead", null, null)
            : renewal.ChurnedAt is not null || renewal.RenewalDueAt != step.DueAt
                ? new(null, "the renewal was decided before the notice went out", null)
                : new(null, null, ja => RenewalTexts.For(message.Kind, step, renewal, ja));
    }

    private static Task<Lead?> LeadAsync(TheModelDb db, Guid id, CancellationToken ct) =>
        db.Leads.AsNoTracking().FirstOrDefaultAsync(l => l.Id == id, ct);
}
