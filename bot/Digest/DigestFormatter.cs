using TheModel.Bot.Chat;
using TheModel.Api.Digests;
using TheModel.Api.Sla;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Digest;

/// <summary>What a channel gets: the text, and the figures card model (serialized as is into the outbox payload).</summary>
public sealed record DigestMessage(string Text, FiguresCardModel Figures);

/// <summary>
/// Channel posts of the digest: Japanese unless <c>Digest:Language</c> is <c>en</c> (the caller passes it). A channel has
/// no single reader: deadlines are in the business calendar's time zone, named.
/// </summary>
public sealed class DigestFormatter(IBusinessCalendar? calendar = null)
{
    /// <summary><paramref name="language"/> is <c>en</c> or <c>ja</c>; <paramref name="late"/> marks a post sent after its scheduled time.</summary>
    public DigestMessage Format(DigestFigures digest, string language, bool late)
    {
        var figures = DigestAnswers.Figures(digest, ChatTexts.For(language), late, calendar?.TimeZone);
        return new DigestMessage(DigestAnswers.Text(figures), figures);
    }
}

/// <summary>
/// The <c>digest.weekly</c> outbox payload: written by <see cref="DigestPoster"/>, read back by the Teams and Slack
/// senders. <c>Week</c> and <c>RunKey</c> are for whoever reads the outbox row.
/// </summary>
public sealed record DigestPayload(string Text, FiguresCardModel Figures, bool Late, string? Week = null, string? RunKey = null)
{
    /// <summary>Null with <paramref name="error"/> when the payload is missing or unreadable (the row then fails for good: a retry cannot fix it).</summary>
    public static DigestPayload? Read(string? json, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "digest.weekly without a payload";
            return null;
        }
        try
        {
            var payload = System.Text.Json.JsonSerializer.Deserialize<DigestPayload>(json, System.Text.Json.JsonSerializerOptions.Web);
            if (payload?.Figures is null || string.IsNullOrEmpty(payload.Text))
            {
                error = "digest.weekly payload has no text or figures";
                return null;
            }
            return payload;
        }
        catch (System.Text.Json.JsonException ex)
        {
            error = $"digest.weekly payload is not valid: {ex.Message}";
            return null;
        }
    }
}
