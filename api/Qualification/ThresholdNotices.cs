using System.Text.Json;
using TheModel.Api.Qualification;

namespace TheModel.Api.Qualification;

/// <summary>Reads the payload of a <c>threshold.changed</c> outbox row, for both senders.</summary>
public static class ThresholdNotices
{
    public static ThresholdNotice? Read(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ThresholdNotice>(payload, JsonSerializerOptions.Web) is { Text.Length: > 0 } notice ? notice : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
