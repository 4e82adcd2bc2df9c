using System.Globalization;
using TheModel.Api.Conversations;
using TheModel.Api.Qualification;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>
/// The digest's advice button (<see cref="CardActions.DigestSetThreshold"/>, the suggested threshold as its value): the
/// same rule as <c>threshold N</c> in chat, reason "digest advice". It runs from the queue; the answer — done or "not
/// yours" — is told privately to the clicker, and the valve announces a change in the digest channel(s).
/// </summary>
public sealed class SlackDigestThresholdHandler(SlackPeople people, ThresholdValve valve, SlackReplies replies, ILogger<SlackDigestThresholdHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!int.TryParse(action?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack digest threshold click without a threshold or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var threshold = int.Parse(action!.Value!, CultureInfo.InvariantCulture);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var ja = SlackTexts.Japanese(who.Person);
        var text = who.Person is null
            ? SlackTexts.UnknownPerson(ja)
            : (await ThresholdAnswers.AnswerAsync(valve, threshold, who.Person, ja ? "ja" : "en", ThresholdReasons.DigestAdvice, ct)).Text;
        logger.LogInformation("Slack digest threshold {Threshold} by {User}", threshold, who.SlackUserId);
        await replies.EphemeralAsync(payload.ChannelId ?? who.SlackUserId, who.SlackUserId, text, $"chat.reply:slack:work:{work.Id}", ct);
    }
}
