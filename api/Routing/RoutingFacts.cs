using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TheModel.Api.People;

namespace TheModel.Api.Routing;

/// <summary>
/// What the router knew when it chose, beside the <see cref="Handoffs.RoutingRule"/>: stored as a small JSON document so
/// that every reader gets the reason in their own language (<see cref="RoutingReasonTexts"/>), not the sentence of the
/// day it was routed. Only the facts of the rule are set; the rest stay null and are not written (here nor in REST answers).
/// </summary>
public sealed record RoutingFacts
{
    /// <summary>AccountOwner: the company domain whose owner got it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Domain { get; init; }

    /// <summary>RoundRobin and Queue: the department routed in.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Department? Department { get; init; }

    /// <summary>RoundRobin: the members who could take it (available, under capacity), the chosen one included.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Pool { get; init; }

    /// <summary>RoundRobin: the chosen member's open offers before this one, and their capacity.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Open { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Capacity { get; init; }

    /// <summary>RoundRobin: the account owner passed over, and why (at capacity with <see cref="OwnerOpen"/>/<see cref="OwnerCapacity"/>, or unavailable).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Owner { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OwnerOpen { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OwnerCapacity { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? OwnerUnavailable { get; init; }

    /// <summary>Queue: how many members the department has (0: nobody to route to; else all are at capacity or unavailable).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Members { get; init; }

    /// <summary>Manual: who it was moved to, and by whom.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Assignee { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? By { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Null for rows routed before facts were stored (they keep their stored sentence) or an unreadable value.</summary>
    public static RoutingFacts? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RoutingFacts>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// The routing as written into the <c>Data</c> of <c>HandoffOffered</c>/<c>HandoffReassigned</c> events
/// (<c>{"routing":{"rule":…,"facts":{…}}}</c>), so that a lead's timeline words the reason in its reader's language too.
/// </summary>
public static class RoutingEventData
{
    public static JsonObject Of(RoutingDecision route) => new()
    {
        ["routing"] = new JsonObject
        {
            ["rule"] = route.Rule.ToString(),
            ["facts"] = JsonSerializer.SerializeToNode(route.Facts, RoutingFacts.Json),
        },
    };

    /// <summary>The event's routing reason in <paramref name="language"/>; null when its data holds no routing (older rows, other events).</summary>
    public static string? ReasonIn(string? data, string? language)
    {
        if (string.IsNullOrWhiteSpace(data) || !data.Contains("\"routing\"", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var routing = JsonNode.Parse(data)?["routing"];
            if (routing?["rule"]?.GetValue<string>() is not { } name || !Enum.TryParse<Handoffs.RoutingRule>(name, out var rule)
                || routing["facts"]?.Deserialize<RoutingFacts>(RoutingFacts.Json) is not { } facts)
            {
                return null;
            }
            return RoutingReasonTexts.Render(rule, facts, language);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
