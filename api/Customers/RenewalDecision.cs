using System.Text.Json;

namespace TheModel.Api.Customers;

/// <summary>
/// What was decided on a customer's renewal, for the renewal card's copies (payload of <c>renewal.decided</c>):
/// the term's notice step the card belongs to, who did what (<c>Renewed</c>, <c>Churned</c> or <c>Upsold</c>), and the
/// figures the card shows.
/// </summary>
public sealed record RenewalDecision(Guid LeadId, string NoticeStep, string Outcome, string By, DateTime At,
    decimal? Amount = null, int? TermMonths = null, string? Reason = null, string? Note = null)
{
    /// <summary>The dedupe keys of the notice's rows start so (<see cref="RenewalSweeper"/>: <c>{step}:{lead}:{channel}:{target}</c>).</summary>
    public static string NoticeKeyPrefix(string noticeStep, Guid leadId) => $"{noticeStep}:{leadId}:";

    public static RenewalDecision? Read(string? payload)
    {
        try
        {
            return string.IsNullOrEmpty(payload) ? null : JsonSerializer.Deserialize<RenewalDecision>(payload, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
