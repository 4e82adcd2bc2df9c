using System.Text.Json;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Api.Events;

/// <summary>Appends events to the unit of work; they commit with the state change that caused them.</summary>
public static class EventLog
{
    public static LeadEvent Record(this TheModelDb db, Guid leadId, LeadEventType type, DateTime at, Actor actor,
        string? reason = null, Handoff? handoff = null, Department? department = null, decimal? amount = null, object? data = null)
    {
        var e = new LeadEvent
        {
            LeadId = leadId,
            HandoffId = handoff?.Id,
            HandoffKind = handoff?.Kind,
            Type = type,
            At = at,
            ActorId = actor.PersonId,
            Actor = actor.Name,
            Reason = reason,
            Department = department ?? handoff?.To,
            Amount = amount,
            Data = data is null ? null : JsonSerializer.Serialize(data, JsonSerializerOptions.Web),
        };
        db.AddNew(e);
        return e;
    }
}
