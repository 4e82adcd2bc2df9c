using System.Text.Json;

namespace TheModel.Api.Outbox;

/// <summary>
/// An outbox row's JSON payload, written and read with the same options, so a payload record's property names are its
/// wire names and rows queued by an earlier version still read.
/// </summary>
public static class OutboxPayload
{
    public static string Write<T>(T payload) => JsonSerializer.Serialize(payload, JsonSerializerOptions.Web);

    /// <summary>The payload as <typeparamref name="T"/>, or null when it is missing or not one.</summary>
    public static T? Read<T>(string? payload) where T : class
    {
        if (string.IsNullOrEmpty(payload))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(payload, JsonSerializerOptions.Web);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
