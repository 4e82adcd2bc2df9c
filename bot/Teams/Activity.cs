using System.Text.Json;
using System.Text.Json.Serialization;

namespace TheModel.Bot.Teams;

/// <summary>The parts of a Bot Framework activity we read (docs/protocols/teams.md §3–4). Everything else is ignored.</summary>
public sealed class Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public string? Text { get; init; }
    public string? Locale { get; init; }
    public string? ReplyToId { get; init; }
    /// <summary>installationUpdate: <c>add</c>, <c>remove</c>, <c>add-upgrade</c> …</summary>
    public string? Action { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public JsonElement? Value { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    [JsonConverter(typeof(NullElementsSkipped))]
    public List<ChannelAccount>? MembersAdded { get; init; }
    [JsonConverter(typeof(NullElementsSkipped))]
    public List<Entity>? Entities { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Activities are JSON for the Connector, never embedded in HTML: keep <at>…</at> and Japanese readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ConversationType => Conversation?.ConversationType ?? (Conversation?.IsGroup == true ? "groupChat" : "personal");

    public bool IsPersonal => ConversationType == "personal";

    public string? TenantId => Conversation?.TenantId ?? ChannelData?.Tenant?.Id;
}

public sealed class ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
}

public sealed class ConversationAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? ConversationType { get; init; }
    public string? TenantId { get; init; }
    public bool? IsGroup { get; init; }
}

public sealed class TeamsChannelData
{
    public IdName? Tenant { get; init; }
    public IdName? Team { get; init; }
    public IdName? Channel { get; init; }
    public string? EventType { get; init; }
}

public sealed class IdName
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

/// <summary>An activity entity; we only care about <c>mention</c>s.</summary>
public sealed class Entity
{
    public string? Type { get; init; }
    public string? Text { get; init; }
    public ChannelAccount? Mentioned { get; init; }
}

/// <summary>Teams ids are opaque strings (docs/protocols/teams.md §7.1): never parse them, only compare.</summary>
public static class TeamsIds
{
    /// <summary>
    /// A channel message arrives in <c>19:…;messageid=…</c> (its thread); the channel itself is the part before.
    /// Conversation references are stored per channel, replies go to the full id.
    /// </summary>
    public static string BaseConversationId(string conversationId)
    {
        var at = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }
}
