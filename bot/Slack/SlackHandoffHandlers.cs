using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;
using TheModel.Bot.HandoffCards;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>What the reject modal carries from the click to its submission (<c>private_metadata</c>, ≤ 3000 chars).</summary>
public sealed record RejectModalMetadata(Guid Handoff, string? Channel, string? Ts)
{
    public string Write() => SlackJson.Write(this);

    public static RejectModalMetadata? TryRead(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            var read = SlackJson.Parse<RejectModalMetadata>(json);
            return read is { Handoff: var id } && id != Guid.Empty ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Tells the clicker what a decision attempt came to, privately; a success shows on the card itself.</summary>
public sealed class SlackDecisionReplies(SlackReplies replies)
{
    public async Task ReportAsync(DecisionOutcome outcome, string? channel, string slackUserId, Person? person, string dedupeKey, CancellationToken ct)
    {
        var ja = SlackTexts.Japanese(person ?? outcome.DecidedBy);
        var text = outcome.Status switch
        {
            DecisionOutcomeStatus.Done => null,
            DecisionOutcomeStatus.NotYours => SlackTexts.NotYours(ja),
            DecisionOutcomeStatus.AlreadyDecided => SlackTexts.Outcome(ja, outcome.Handoff),
            DecisionOutcomeStatus.NotFound => SlackTexts.NotFound(ja),
            DecisionOutcomeStatus.UnknownPerson => SlackTexts.UnknownPerson(ja),
            DecisionOutcomeStatus.ReasonRequired => Notices.NoticeWords.ReasonRequired(ja),
            DecisionOutcomeStatus.NoteTooLong => SlackTexts.NoteTooLong(ja),
            _ => null,
        };
        if (text is not null && channel is not null)
        {
            await replies.EphemeralAsync(channel, slackUserId, text, dedupeKey, ct);
        }
    }
}

/// <summary>Accept button: the decision runs from the queue; the card copies are updated through the outbox.</summary>
public sealed class SlackAcceptHandler(SlackPeople people, HandoffService handoffs, SlackDecisionReplies report, ILogger<SlackAcceptHandler> logger)
    : ISlackInteractionHandler
{
    public Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (!Guid.TryParse(action?.Value, out _) || payload.User?.Id is null)
        {
            logger.LogWarning("Slack accept click without a handoff id or user; ignored");
            return Task.FromResult(SlackAck.Done);
        }
        return Task.FromResult(SlackAck.Queued);
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var handoffId = Guid.Parse(action!.Value!);
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var outcome = who.Person is null
            ? new DecisionOutcome(DecisionOutcomeStatus.UnknownPerson, null)
            : await handoffs.AcceptAsync(handoffId, who.Person.Id, ct, DecisionPlatforms.Slack);
        logger.LogInformation("Slack accept of {Handoff} by {User}: {Status}", handoffId, who.SlackUserId, outcome.Status);
        await report.ReportAsync(outcome, payload.ChannelId, who.SlackUserId, who.Person, $"chat.reply:slack:work:{work.Id}", ct);
    }
}

/// <summary>
/// Reject button: opens the reason modal inside the click's request, because the trigger_id dies after 3 s
/// (docs/protocols/slack.md §3). Refuses privately, without a modal, when the clicker is known not to be allowed.
/// </summary>
public sealed class SlackRejectHandler(
    TheModelDb db, SlackPeople people, HandoffCardFactory cards, SlackApiClient slack, SlackReplies replies,
    SlackOptions options, TimeProvider time, ILogger<SlackRejectHandler> logger) : ISlackInteractionHandler
{
    public async Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        var user = payload.User?.Id;
        if (!Guid.TryParse(action?.Value, out var handoffId) || user is null || payload.TriggerId is null)
        {
            logger.LogWarning("Slack reject click without a handoff id, user or trigger; ignored");
            return SlackAck.Done;
        }
        var person = await people.KnownAsync(user, ct);
        var ja = SlackTexts.Japanese(person);
        var handoff = await db.Handoffs.AsNoTracking().FirstOrDefaultAsync(h => h.Id == handoffId, ct);
        var key = $"chat.reply:slack:reject-click:{payload.TriggerId}";
        if (handoff is null || !handoff.IsOpen)
        {
            await Tell(handoff is null ? SlackTexts.NotFound(ja) : SlackTexts.Outcome(ja, handoff));
            return SlackAck.Done;
        }
        if (person is not null)
        {
            var assignee = handoff.AssigneeId is { } a ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == a, ct) : null;
            if (!handoff.CanBeDecidedBy(person, assignee))
            {
                await Tell(SlackTexts.NotYours(ja));
                return SlackAck.Done;
            }
        }
        // An unknown clicker gets the modal: the submission resolves them by email and decides.
        var model = await cards.BuildAsync(handoffId, person, ct: ct);
        var metadata = new RejectModalMetadata(handoffId, payload.ChannelId, payload.Container?.MessageTs ?? payload.Message?.Ts).Write();
        using var timeout = new CancellationTokenSource(options.ViewsOpenTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            var opened = await slack.OpenViewAsync(payload.TriggerId, BlockKitRenderer.RejectModal(model!, metadata), linked.Token);
            if (!opened.Ok)
            {
                logger.LogWarning("Slack views.open for reject of {Handoff} failed: {Error}", handoffId, opened.Describe());
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Slack views.open for reject of {Handoff} timed out", handoffId);
        }
        return SlackAck.Done;

        Task Tell(string text) => payload.ChannelId is { } channel ? replies.EphemeralAsync(channel, user, text, key, ct) : Task.CompletedTask;
    }

    public Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// Reject modal submission: a missing reason keeps the modal open with Slack's <c>response_action: errors</c>;
/// otherwise the modal closes and the decision runs from the queue.
/// </summary>
public sealed class SlackRejectSubmitHandler(SlackPeople people, HandoffService handoffs, SlackDecisionReplies report, ILogger<SlackRejectSubmitHandler> logger)
    : ISlackInteractionHandler
{
    public async Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct)
    {
        if (RejectModalMetadata.TryRead(payload.View?.PrivateMetadata) is null || payload.User?.Id is null)
        {
            logger.LogWarning("Slack reject submission without our metadata; ignored");
            return SlackAck.Done;
        }
        var tooLong = payload.View?.State?.Get(CardFields.Note, CardFields.Note)?.Value?.Trim().Length > InputLimits.Note;
        if (ReasonOf(payload) is null || tooLong)
        {
            var ja = SlackTexts.Japanese(await people.KnownAsync(payload.User.Id, ct));
            var errors = new Dictionary<string, string>();
            if (ReasonOf(payload) is null)
            {
                errors[CardFields.Reason] = Notices.NoticeWords.ReasonRequired(ja);
            }
            if (tooLong)
            {
                errors[CardFields.Note] = SlackTexts.NoteTooLong(ja);
            }
            return new SlackAck(TypedResults.Json(new { response_action = "errors", errors }), false);
        }
        return SlackAck.Queued;
    }

    public async Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct)
    {
        var metadata = RejectModalMetadata.TryRead(payload.View!.PrivateMetadata)!;
        var note = payload.View.State?.Get(CardFields.Note, CardFields.Note)?.Value;
        var who = await people.ResolveAsync(payload.User!.Id!, ct);
        var outcome = who.Person is null
            ? new DecisionOutcome(DecisionOutcomeStatus.UnknownPerson, null)
            : await handoffs.RejectAsync(metadata.Handoff, who.Person.Id, ReasonOf(payload), string.IsNullOrWhiteSpace(note) ? null : note.Trim(), ct, DecisionPlatforms.Slack);
        logger.LogInformation("Slack reject of {Handoff} by {User}: {Status}", metadata.Handoff, who.SlackUserId, outcome.Status);
        await report.ReportAsync(outcome, metadata.Channel, who.SlackUserId, who.Person, $"chat.reply:slack:work:{work.Id}", ct);
    }

    private static RejectReason? ReasonOf(SlackInteraction payload) =>
        payload.View?.State?.Get(CardFields.Reason, CardFields.Reason)?.SelectedOption?.Value is { } value
        && Enum.TryParse<RejectReason>(value, ignoreCase: false, out var reason) && Enum.IsDefined(reason)
        && !int.TryParse(value, out _)
            ? reason
            : null;
}
