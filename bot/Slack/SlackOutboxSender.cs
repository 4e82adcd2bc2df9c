using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Store;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Bot.Notices;
using TheModel.Cards;
using TheModel.Cards.ViewModels;
using TheModel.Bot.Customers;

namespace TheModel.Bot.Slack;

/// <summary>
/// Sends the outbox's Slack rows. Cards are rendered from the handoff's state at send time. A post whose outcome
/// is unknown (timeout, 5xx) is never repeated blindly: the next attempt first looks for it in the channel's
/// history by the outbox id we attach as message <c>metadata</c>, and only posts if it is not there.
/// </summary>
public sealed class SlackOutboxSender(
    TheModelDb db, SlackApiClient slack, HandoffCardFactory cards, TimeProvider time, ILogger<SlackOutboxSender> logger,
    SlackHome home, SlackHomePublisher homes, RenewalCardFactory renewals) : IOutboxSender
{
    /// <summary>Prefix of <see cref="OutboxMessage.LastError"/> saying the previous post may have gone through.</summary>
    public const string UncertainPost = "slack:uncertain-post";
    public const string MetadataEventType = "themodel_outbox";

    public string Channel => OutboxChannels.Slack;

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        var result = await SendKindAsync(message, ct);
        if (message.HandoffId is { } handoffId && (SlackHome.Changes(message.Kind) || SlackHome.ChangesHolder(message.Kind)) && result is not SendResult.Retry)
        {
            try
            {
                await (SlackHome.ChangesHolder(message.Kind) ? home.HolderChangedAsync(handoffId, ct) : home.HandoffChangedAsync(handoffId, ct));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The card went out; a home that is a little stale is refreshed by the next change or opening.
                logger.LogWarning(ex, "Could not queue the Slack home republish after outbox {Id}", message.Id);
            }
        }
        return result;
    }

    private Task<SendResult> SendKindAsync(OutboxMessage message, CancellationToken ct) => message.Kind switch
    {
        SlackHome.Kind => homes.PublishAsync(message, ct),
        OutboxKinds.HandoffOffered => CardAsync(message, ct),
        OutboxKinds.HandoffDecided => UpdateCopiesAsync(message, ct),
        OutboxKinds.HandoffRejectedNotice => RejectedNoticeAsync(message, ct),
        OutboxKinds.SlaReminder or OutboxKinds.SlaEscalation => SlaAsync(message, ct),
        OutboxKinds.ContactReminder or OutboxKinds.ContactEscalation => ContactAsync(message, ct),
        OutboxKinds.ChatReply => ReplyAsync(message, ct),
        OutboxKinds.DigestWeekly => DigestAsync(message, ct),
        DigestThreadKind => DigestThreadAsync(message, ct),
        DigestChartsKind => DigestChartsAsync(message, ct),
        OutboxKinds.ThresholdChanged => ThresholdNoticeAsync(message, ct),
        OutboxKinds.FeedbackWeekly => FeedbackAsync(message, ct),
        OutboxKinds.RenewalNotice => RenewalCardAsync(message, ct),
        OutboxKinds.RenewalDecided => UpdateRenewalCardsAsync(message, ct),
        OutboxKinds.RenewalReminder or OutboxKinds.RenewalEscalation or OutboxKinds.NeglectNudge => LeadNoticeAsync(message, ct),
        OutboxKinds.OutboxFailed => FailureNoticeAsync(message, ct),
        _ => Task.FromResult<SendResult>(new SendResult.Failed($"the Slack sender does not handle '{message.Kind}'")),
    };

    /// <summary>A renewal step or a neglect nudge: one line of text, when it still applies (<see cref="LeadTextNotice"/>).</summary>
    private async Task<SendResult> LeadNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        var notice = await LeadTextNotice.ReadAsync(db, message, ct);
        if (notice.Words is not { } words)
        {
            return notice.NotSent ?? new SendResult.Failed("a lead notice without words");
        }
        var (channel, reader, failure) = await TargetAsync(message, ct);
        if (failure is not null)
        {
            return failure;
        }
        var text = SlackMrkdwn.Escape(words(SlackTexts.Japanese(reader)));
        var blocks = new JsonArray(new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = text } });
        return (await PostOnceAsync(message, channel!, new SlackMessage(text, blocks), null, ct)).Result;
    }

    /// <summary>
    /// The renewal card to the CS owner's DM or the CS channel, when the renewal is still open; the copy is recorded
    /// (<see cref="PostedCard"/> under the lead's id) so that a decision updates it.
    /// </summary>
    private async Task<SendResult> RenewalCardAsync(OutboxMessage message, CancellationToken ct)
    {
        var notice = await LeadTextNotice.ReadAsync(db, message, ct);
        if (notice.NotSent is { } notSent)
        {
            return notSent;
        }
        if (Api.Customers.RenewalStepPayload.Read(message) is not { } step)
        {
            return new SendResult.Skipped("no renewal payload");
        }
        if (await PostedCardQueries.PostedBy(db, message.Id, ct) is { } already)
        {
            return new SendResult.Sent(already.MessageId);
        }
        var (channel, reader, failure) = await TargetAsync(message, ct);
        if (failure is not null)
        {
            return failure;
        }
        if (await renewals.BuildAsync(step.LeadId, reader, null, ct) is not { } model)
        {
            return new SendResult.Failed("renewal payload names no lead");
        }
        var (result, posted) = await PostOnceAsync(message, channel!, RenewalCards.BlockKit(model), threadTs: null, ct);
        if (posted is { } at)
        {
            await RecordCopyAsync(message, step.LeadId, at, ct);
        }
        return result;
    }

    /// <summary>A renewal was decided: every copy of that term's card shows the outcome, without inputs or buttons.</summary>
    private async Task<SendResult> UpdateRenewalCardsAsync(OutboxMessage message, CancellationToken ct)
    {
        if (Api.Customers.RenewalDecision.Read(message.Payload) is not { } decision)
        {
            return new SendResult.Failed("renewal.decided without a readable payload");
        }
        var copies = await PostedCardQueries.RenewalCopies(db, decision, ChatPlatform.Slack, ct);
        if (copies.Count == 0)
        {
            return new SendResult.Skipped("no copy of the renewal card was posted on Slack");
        }
        var updated = 0;
        foreach (var (copy, target) in copies)
        {
            // A DM copy in its reader's language and zone; a channel copy in the calendar's.
            var reader = OutboxMessage.TryParsePersonTarget(target, out var personId) ? await PostedCardQueries.Person(db, personId, ct) : null;
            if (await renewals.BuildAsync(decision.LeadId, reader, decision, ct) is not { } model)
            {
                return new SendResult.Skipped("the lead no longer exists");
            }
            var (done, stop) = await UpdateCopyAsync(copy, RenewalCards.BlockKit(model), ct);
            if (stop is not null)
            {
                return stop;
            }
            updated += done ? 1 : 0;
        }
        return new SendResult.Sent($"updated {updated}/{copies.Count}");
    }

    /// <remarks><paramref name="source"/>: the card's data when the caller has read it already.</remarks>
    private async Task<SendResult> CardAsync(OutboxMessage message, CancellationToken ct, HandoffCardSource? source = null)
    {
        if (message.HandoffId is not { } handoffId)
        {
            return new SendResult.Failed($"{message.Kind} without a handoff id");
        }
        var already = await PostedCardQueries.PostedBy(db, message.Id, ct);
        if (already is not null)
        {
            return new SendResult.Sent(already.MessageId);
        }
        var (channel, reader, failure) = await TargetAsync(message, ct);
        if (failure is not null)
        {
            return failure;
        }
        source ??= await cards.ReadAsync(handoffId, ct);
        if (source is null)
        {
            return new SendResult.Skipped("the handoff no longer exists");
        }
        var notice = await HandoffNotices.ForAsync(db, cards, message, source, reader, ct);
        var model = cards.Build(source, reader, notice.Banner);
        var rendered = WithBanner(BlockKitRenderer.Handoff(model), notice.Banner);
        rendered = WithMentions(rendered, notice.Mentions.Select(m => m.Person.SlackUserId).OfType<string>().Distinct().ToList());
        var (result, posted) = await PostOnceAsync(message, channel!, rendered, threadTs: null, ct);
        if (posted is { } at)
        {
            await RecordCopyAsync(message, handoffId, at, ct);
        }
        return result;
    }

    private async Task<SendResult> UpdateCopiesAsync(OutboxMessage message, CancellationToken ct)
    {
        if (message.HandoffId is not { } handoffId)
        {
            return new SendResult.Failed($"{message.Kind} without a handoff id");
        }
        var copies = await PostedCardQueries.PostedCopies(db, handoffId, ChatPlatform.Slack).ToListAsync(ct);
        if (copies.Count == 0)
        {
            return new SendResult.Skipped("no copy of this card was posted on Slack");
        }
        var model = await cards.BuildAsync(handoffId, reader: null, ct: ct);
        if (model is null)
        {
            return new SendResult.Skipped("the handoff no longer exists");
        }
        var rendered = BlockKitRenderer.Handoff(model);
        var updated = 0;
        foreach (var copy in copies)
        {
            var (done, stop) = await UpdateCopyAsync(copy, rendered, ct);
            if (stop is not null)
            {
                return stop;
            }
            updated += done ? 1 : 0;
        }
        return new SendResult.Sent($"updated {updated}/{copies.Count}");
    }

    /// <summary>
    /// Records a posted copy (a handoff's, or a renewal card's under the lead's id) so a decision can update it later. A
    /// failure to record is logged, not retried: the post itself went out and must not be repeated.
    /// </summary>
    private async Task RecordCopyAsync(OutboxMessage message, Guid cardId, (string Channel, string Ts) at, CancellationToken ct)
    {
        var card = new PostedCard
        {
            HandoffId = cardId, Channel = ChatPlatform.Slack, ConversationId = at.Channel, MessageId = at.Ts,
            OutboxMessageId = message.Id, PostedAt = time.GetUtcNow().UtcDateTime,
        };
        db.PostedCards.Add(card);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex)
        {
            db.Entry(card).State = EntityState.Detached;
            logger.LogWarning(ex, "Could not record the Slack copy {Channel}/{Ts} of card {Card}", at.Channel, at.Ts, cardId);
        }
    }

    /// <summary>
    /// One <c>chat.update</c> of a posted copy: (true, null) when updated; (false, null) when the copy can no longer be
    /// updated (deleted, archived: logged and skipped); otherwise the row's outcome. chat.update is idempotent, so a retry
    /// re-applies the same state to the copies already updated.
    /// </summary>
    private async Task<(bool Updated, SendResult? Stop)> UpdateCopyAsync(PostedCard copy, SlackMessage rendered, CancellationToken ct)
    {
        var response = await slack.UpdateAsync(new JsonObject
        {
            ["channel"] = copy.ConversationId,
            ["ts"] = copy.MessageId,
            ["text"] = rendered.Text,
            ["blocks"] = rendered.Blocks.DeepClone(),
        }, ct);
        if (response.Ok)
        {
            return (true, null);
        }
        if (response.RateLimited || response.Uncertain)
        {
            return (false, new SendResult.Retry($"chat.update {response.Describe()}", response.RetryAfter));
        }
        if (response.Error is "message_not_found" or "cant_update_message" or "edit_window_closed" or "channel_not_found" or "is_archived")
        {
            logger.LogWarning("Slack copy {Channel}/{Ts} of card {Card} cannot be updated: {Error}", copy.ConversationId, copy.MessageId, copy.HandoffId, response.Error);
            return (false, null);
        }
        return (false, new SendResult.Failed($"chat.update {response.Describe()}"));
    }

    private async Task<SendResult> RejectedNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        if (message.HandoffId is not { } handoffId || await cards.ReadAsync(handoffId, ct) is not { } source)
        {
            return new SendResult.Skipped("the handoff no longer exists");
        }
        var (channel, reader, failure) = await TargetAsync(message, ct);
        if (failure is not null)
        {
            return failure;
        }
        var model = cards.Build(source, reader);
        var banner = HandoffNotices.Rejected(model, source).Banner;
        var rendered = WithBanner(BlockKitRenderer.Handoff(model with { Banner = banner }), banner);
        return (await PostOnceAsync(message, channel!, rendered, null, ct)).Result;
    }

    private async Task<SendResult> SlaAsync(OutboxMessage message, CancellationToken ct)
    {
        var source = message.HandoffId is { } handoffId ? await cards.ReadAsync(handoffId, ct) : null;
        if (source is null || !source.Handoff.IsOpen)
        {
            return new SendResult.Skipped("the handoff was decided before the reminder went out");
        }
        return await CardAsync(message, ct, source);
    }

    /// <summary>A first-contact reminder or escalation: the handoff card (open or accepted) under the contact banner.</summary>
    private async Task<SendResult> ContactAsync(OutboxMessage message, CancellationToken ct)
    {
        if (TheModel.Api.Sla.ContactStepPayload.Read(message) is null)
        {
            return new SendResult.Failed($"{message.Kind} without a valid payload");
        }
        var source = message.HandoffId is { } handoffId ? await cards.ReadAsync(handoffId, ct) : null;
        if (source is null)
        {
            return new SendResult.Skipped("the handoff no longer exists");
        }
        if (source.Clock is { FirstTouchAt: not null })
        {
            return new SendResult.Skipped("the lead was touched before the contact reminder went out");
        }
        return await CardAsync(message, ct, source);
    }

    private async Task<SendResult> ReplyAsync(OutboxMessage message, CancellationToken ct)
    {
        SlackReplyPayload? reply;
        try
        {
            reply = string.IsNullOrEmpty(message.Payload) ? null : SlackJson.Parse<SlackReplyPayload>(message.Payload);
        }
        catch (JsonException ex)
        {
            return new SendResult.Failed($"chat.reply payload is not valid: {ex.Message}");
        }
        if (reply is null)
        {
            return new SendResult.Failed("chat.reply without a payload");
        }
        // The payload holds the bot's neutral text: the notification / fallback `text` is mrkdwn too, so it is escaped here.
        var plain = BlockKitRenderer.Text(reply.Text);
        var text = plain.Text;
        var blocks = reply.Blocks?.DeepClone() ?? plain.Blocks;
        if (reply.ResponseUrl is { } url)
        {
            var answer = await slack.RespondAsync(url, new JsonObject
            {
                ["response_type"] = reply.ResponseType ?? "ephemeral",
                ["replace_original"] = false,
                ["text"] = text,
                ["blocks"] = blocks,
            }, ct);
            return Map(answer, "response_url");
        }
        if (reply.Channel is null)
        {
            return new SendResult.Failed("chat.reply without a channel or response_url");
        }
        if (reply.User is { } user)
        {
            var body = new JsonObject { ["channel"] = reply.Channel, ["user"] = user, ["text"] = text, ["blocks"] = blocks };
            if (reply.ThreadTs is not null)
            {
                body["thread_ts"] = reply.ThreadTs;
            }
            return Map(await slack.PostEphemeralAsync(body, ct), "chat.postEphemeral");
        }
        return (await PostOnceAsync(message, reply.Channel, new SlackMessage(text, (JsonArray)blocks), reply.ThreadTs, ct)).Result;
    }

    /// <summary>The weekly digest to a linked channel: figures as blocks with a text bar chart, posted once per row.</summary>
    private async Task<SendResult> DigestAsync(OutboxMessage message, CancellationToken ct)
    {
        if (DigestPayload.Read(message.Payload, out var error) is not { } digest)
        {
            return new SendResult.Failed(error!);
        }
        if (string.IsNullOrWhiteSpace(message.Target))
        {
            return new SendResult.Failed("digest.weekly without a channel");
        }
        if (digest.Figures.Digest is not { } card)
        {
            return (await PostOnceAsync(message, message.Target, BlockKitRenderer.Figures(digest.Figures), threadTs: null, ct)).Result;
        }
        // The thread reply is queued only once the summary is posted: if it is, this row is done whatever happened after.
        if (await FollowUpThreadTsAsync(DigestThreadKind, message.Id, ct) is { } ts)
        {
            return new SendResult.Sent(ts);
        }
        var (result, posted) = await PostOnceAsync(message, message.Target, BlockKitRenderer.DigestSummary(card), threadTs: null, ct);
        return posted is { } at ? await QueueFollowUpAsync(message, DigestThreadKind, at.Channel, at.Ts, result, ct) : result;
    }

    /// <summary>Second step of the Slack digest: the details as a reply in the summary's thread, then the charts are queued.</summary>
    public const string DigestThreadKind = "digest.weekly.thread";

    /// <summary>Third step: the two chart images uploaded into the same thread (<c>files.uploadV2</c>).</summary>
    public const string DigestChartsKind = "digest.weekly.charts";

    private async Task<SendResult> DigestThreadAsync(OutboxMessage message, CancellationToken ct)
    {
        if (ReadFollowUp(message, out var error) is not { } followUp)
        {
            return new SendResult.Failed(error!);
        }
        var (card, threadTs) = followUp;
        if (await FollowUpThreadTsAsync(DigestChartsKind, message.Id, ct) is not null)
        {
            return new SendResult.Sent(threadTs);
        }
        var (result, posted) = await PostOnceAsync(message, message.Target, BlockKitRenderer.DigestDetails(card), threadTs, ct);
        return posted is { } at ? await QueueFollowUpAsync(message, DigestChartsKind, at.Channel, threadTs, result, ct) : result;
    }

    /// <summary>
    /// Uploads the charts as PNGs (alt text always set) and shares them in the thread: files.getUploadURLExternal and the
    /// bytes per image, then one files.completeUploadExternal. Nothing is shared until that last call, so a retry after an
    /// earlier step failed only leaves unshared uploads behind, never a second set of images.
    /// </summary>
    private async Task<SendResult> DigestChartsAsync(OutboxMessage message, CancellationToken ct)
    {
        if (ReadFollowUp(message, out var error) is not { } followUp)
        {
            return new SendResult.Failed(error!);
        }
        var (card, threadTs) = followUp;
        var images = DigestChartImages.Render(card);
        if (images.Count == 0)
        {
            return new SendResult.Skipped("the digest has no charts");
        }
        var files = new List<(string Id, string Title)>();
        foreach (var image in images)
        {
            var url = await slack.GetUploadUrlExternalAsync(image.FileName, image.Png.Length, image.AltText, ct);
            if (!url.Ok)
            {
                return Map(url, "files.getUploadURLExternal");
            }
            if (url.String("upload_url") is not { Length: > 0 } uploadUrl || url.String("file_id") is not { Length: > 0 } fileId)
            {
                return new SendResult.Failed("files.getUploadURLExternal returned no upload_url or file_id");
            }
            var upload = await slack.UploadFileAsync(uploadUrl, image.Png, ct);
            if (!upload.Ok)
            {
                return Map(upload, "file upload");
            }
            files.Add((fileId, image.Title));
        }
        var shared = await slack.CompleteUploadExternalAsync(files, message.Target, threadTs, ct);
        return shared.Ok ? new SendResult.Sent(string.Join(",", files.Select(f => f.Id))) : Map(shared, "files.completeUploadExternal");
    }

    private static string FollowUpKey(string kind, long outboxId) =>
        $"{kind}:{outboxId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The thread ts of the follow-up row this row queued, or null when it has not queued one.</summary>
    private async Task<string?> FollowUpThreadTsAsync(string kind, long outboxId, CancellationToken ct)
    {
        var key = FollowUpKey(kind, outboxId);
        var payload = await db.Outbox.AsNoTracking().Where(m => m.DedupeKey == key).Select(m => m.Payload).FirstOrDefaultAsync(ct);
        return payload is null ? null : JsonNode.Parse(payload)?["threadTs"]?.GetValue<string>() ?? "";
    }

    /// <summary>
    /// Queues the next step with the thread's ts (dedupe key per parent row). If that cannot be saved, the post stands and
    /// this row is retried as an uncertain post: the next attempt finds the post in the history instead of posting again.
    /// </summary>
    private async Task<SendResult> QueueFollowUpAsync(OutboxMessage message, string kind, string channel, string threadTs, SendResult posted, CancellationToken ct)
    {
        var payload = JsonNode.Parse(message.Payload!)!.AsObject();
        payload["threadTs"] = threadTs;
        var now = time.GetUtcNow().UtcDateTime;
        db.Outbox.Add(new OutboxMessage
        {
            Channel = OutboxChannels.Slack,
            Target = channel,
            Kind = kind,
            Payload = payload.ToJsonString(),
            DedupeKey = FollowUpKey(kind, message.Id),
            CreatedAt = now,
            NextAttemptAt = now,
            Late = message.Late,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return posted;
        }
        catch (DbUpdateException ex)
        {
            db.DiscardChanges();
            if (await FollowUpThreadTsAsync(kind, message.Id, ct) is not null)
            {
                return posted;
            }
            logger.LogWarning(ex, "Outbox {Id}: posted {Ts} but could not queue {Kind}; retrying without posting again", message.Id, threadTs, kind);
            return new SendResult.Retry($"{UncertainPost}: posted {threadTs}, {kind} not queued yet");
        }
    }

    private static (DigestCardModel Card, string ThreadTs)? ReadFollowUp(OutboxMessage message, out string? error)
    {
        if (DigestPayload.Read(message.Payload, out error) is not { Figures.Digest: { } card })
        {
            error ??= $"{message.Kind} payload has no digest card";
            return null;
        }
        if (JsonNode.Parse(message.Payload!)?["threadTs"]?.GetValue<string>() is not { Length: > 0 } threadTs)
        {
            error = $"{message.Kind} payload has no threadTs";
            return null;
        }
        return (card, threadTs);
    }

    /// <summary>The valve was turned: one line in the digest channel (the text is the bot's, escaped like any answer).</summary>
    private async Task<SendResult> ThresholdNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        if (ThresholdNotices.Read(message.Payload) is not { } notice)
        {
            return new SendResult.Failed("threshold.changed payload is not valid");
        }
        if (string.IsNullOrWhiteSpace(message.Target))
        {
            return new SendResult.Failed("threshold.changed without a channel");
        }
        return (await PostOnceAsync(message, message.Target, BlockKitRenderer.Text(notice.Text), threadTs: null, ct)).Result;
    }

    /// <summary>The week's rejection reasons and notes, to the sending department's channel.</summary>
    private async Task<SendResult> FeedbackAsync(OutboxMessage message, CancellationToken ct)
    {
        if (WeeklyFeedback.Read(message.Payload) is not { } model || string.IsNullOrWhiteSpace(message.Target))
        {
            return new SendResult.Failed("feedback.weekly payload or channel is not valid");
        }
        return (await PostOnceAsync(message, message.Target, FeedbackCards.BlockKit(model), threadTs: null, ct)).Result;
    }

    /// <summary>Tells the admins (digest channel or their DM) that a row failed for good and how to re-queue it.</summary>
    private async Task<SendResult> FailureNoticeAsync(OutboxMessage message, CancellationToken ct)
    {
        if (OutboxFailureNotice.Read(message.Payload) is not { } notice)
        {
            return new SendResult.Failed("outbox.failed without a readable payload");
        }
        var (channel, _, failure) = await TargetAsync(message, ct);
        if (failure is not null)
        {
            return failure;
        }
        return (await PostOnceAsync(message, channel!, BlockKitRenderer.Text(notice.Text()), threadTs: null, ct)).Result;
    }

    private static SendResult Map(SlackApiResponse response, string method) =>
        response.Ok ? new SendResult.Sent(response.String("message_ts") ?? response.String("ts"))
        : response.RateLimited || response.Uncertain ? new SendResult.Retry($"{method} {response.Describe()}", response.RetryAfter)
        : new SendResult.Failed($"{method} {response.Describe()}");

    /// <summary>The Slack conversation for a row: a channel id as is, or <c>person:{guid}</c> → their DM.</summary>
    private async Task<(string? Channel, Person? Reader, SendResult? Failure)> TargetAsync(OutboxMessage message, CancellationToken ct)
    {
        if (!OutboxMessage.TryParsePersonTarget(message.Target, out var personId))
        {
            return string.IsNullOrWhiteSpace(message.Target)
                ? (null, null, new SendResult.Failed("no Slack channel given"))
                : (message.Target, null, null);
        }
        var person = await PostedCardQueries.Person(db, personId, ct);
        if (person?.SlackUserId is not { Length: > 0 } slackUser)
        {
            return (null, person, new SendResult.Skipped("the person has no Slack user id"));
        }
        var opened = await slack.OpenConversationAsync(slackUser, ct);
        if (!opened.Ok)
        {
            return (null, person, Map(opened, "conversations.open"));
        }
        var channel = opened.String("channel", "id");
        return channel is null
            ? (null, person, new SendResult.Failed("conversations.open returned no channel id"))
            : (channel, person, null);
    }

    /// <summary>
    /// <c>chat.postMessage</c> at most once per outbox row as far as we can tell: any attempt after the first (a timeout,
    /// a 5xx, or a process that died before recording the outcome — the claim recorded that the attempt started, and a
    /// re-queue keeps the first attempt) first searches the channel's history since the first attempt for our metadata
    /// (docs/protocols/slack.md §5).
    /// </summary>
    private async Task<(SendResult Result, (string Channel, string Ts)? Posted)> PostOnceAsync(
        OutboxMessage message, string channel, SlackMessage rendered, string? threadTs, CancellationToken ct)
    {
        var outboxId = message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A re-queued row's first attempt too: the run that failed may have posted it.
        if (message.Attempts > 1 || message.RequeuedAt is not null)
        {
            var (found, failure) = await LookUpAsync(message, channel, outboxId, ct);
            if (failure is not null)
            {
                return (failure, null);
            }
            if (found is not null)
            {
                logger.LogInformation("Outbox {Id}: the earlier Slack post {Ts} did go through; not posting again", message.Id, found);
                return (new SendResult.Sent(found), (channel, found));
            }
        }
        var body = new JsonObject
        {
            ["channel"] = channel,
            ["text"] = rendered.Text,
            ["blocks"] = rendered.Blocks.DeepClone(),
            ["unfurl_links"] = false,
            ["metadata"] = new JsonObject
            {
                ["event_type"] = MetadataEventType,
                ["event_payload"] = new JsonObject { ["outbox_id"] = outboxId },
            },
        };
        if (threadTs is not null)
        {
            body["thread_ts"] = threadTs;
        }
        var response = await slack.PostMessageAsync(body, ct);
        if (response.Ok && response.String("ts") is { } ts)
        {
            return (new SendResult.Sent(ts), (response.String("channel") ?? channel, ts));
        }
        if (response.RateLimited)
        {
            return (new SendResult.Retry($"chat.postMessage {response.Describe()}", response.RetryAfter), null);
        }
        if (response.Uncertain || response.Ok)
        {
            return (new SendResult.Retry($"{UncertainPost}: chat.postMessage {response.Describe()}"), null);
        }
        return (new SendResult.Failed($"chat.postMessage to {channel}: {response.Describe()}"), null);
    }

    /// <summary>
    /// Looks for an earlier post of this row in the channel's history, page by page, back to shortly before its first
    /// attempt (no post of it can be older). A look-up that fails for now is a retry that looks again; only Slack refusing
    /// it for good (scope, channel) fails the row, since posting blind could show the card twice.
    /// </summary>
    private async Task<(string? Found, SendResult? Failure)> LookUpAsync(OutboxMessage message, string channel, string outboxId, CancellationToken ct)
    {
        var oldest = new DateTimeOffset(DateTime.SpecifyKind(message.FirstAttemptAt ?? message.CreatedAt, DateTimeKind.Utc)) - LookUpMargin;
        string? cursor = null;
        var asked = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await slack.HistoryAsync(channel, oldest, cursor, ct);
            if (!page.Ok)
            {
                if (page.RateLimited || page.Uncertain)
                {
                    // Keeps the uncertain mark: the next attempt looks again instead of posting.
                    return (null, new SendResult.Retry($"{UncertainPost}: conversations.history {page.Describe()}", page.RetryAfter));
                }
                return (null, new SendResult.Failed(
                    $"An earlier chat.postMessage to {channel} may have gone through and conversations.history refused to confirm it " +
                    $"({page.Describe()}); not re-posted to avoid a duplicate. Check the channel and re-queue this row if the message is missing."));
            }
            if (FindOurs(page.Body, outboxId) is { } found)
            {
                return (found, null);
            }
            cursor = page.String("response_metadata", "next_cursor");
            // An empty cursor is the end; one already followed would loop for ever.
            if (string.IsNullOrEmpty(cursor) || !asked.Add(cursor))
            {
                return (null, null);
            }
        }
    }

    /// <summary>How far before the first attempt the look-up starts: clocks of Slack and ours differ a little.</summary>
    internal static readonly TimeSpan LookUpMargin = TimeSpan.FromMinutes(5);

    private static string? FindOurs(JsonElement history, string outboxId)
    {
        if (!history.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var m in messages.EnumerateArray())
        {
            if (m.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
                && meta.TryGetProperty("event_type", out var type) && type.GetString() == MetadataEventType
                && meta.TryGetProperty("event_payload", out var payload) && payload.ValueKind == JsonValueKind.Object
                && payload.TryGetProperty("outbox_id", out var id) && id.ToString() == outboxId
                && m.TryGetProperty("ts", out var ts))
            {
                return ts.GetString();
            }
        }
        return null;
    }

    /// <summary>Makes sure a reminder / escalation / notice banner shows, whether or not the card renderer draws it.</summary>
    private static SlackMessage WithBanner(SlackMessage rendered, string? banner)
    {
        if (banner is null)
        {
            return rendered;
        }
        // The fallback text is mrkdwn too: the banner may carry a CRM value (the company name).
        var escaped = SlackMrkdwn.Escape(banner);
        var text = rendered.Text.Contains(escaped, StringComparison.Ordinal) ? rendered.Text : $"{escaped} {rendered.Text}";
        if (AllText(rendered.Blocks).Contains(escaped, StringComparison.Ordinal))
        {
            return rendered with { Text = text };
        }
        var blocks = (JsonArray)rendered.Blocks.DeepClone();
        blocks.Insert(0, new JsonObject
        {
            ["type"] = "section",
            ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{escaped}*" },
        });
        return new SlackMessage(text, blocks);
    }

    /// <summary>Every string in the blocks, joined: what a reader could see (JSON escaping aside).</summary>
    private static string AllText(JsonNode? node) => node switch
    {
        JsonArray array => string.Join("\n", array.Select(AllText)),
        JsonObject obj => string.Join("\n", obj.Select(p => AllText(p.Value))),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => "",
    };

    private static SlackMessage WithMentions(SlackMessage rendered, IReadOnlyList<string> slackUserIds)
    {
        var json = AllText(rendered.Blocks);
        var missing = slackUserIds.Where(id => !json.Contains($"<@{id}>", StringComparison.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            return rendered;
        }
        var mentions = string.Join(" ", missing.Select(id => $"<@{id}>"));
        var blocks = (JsonArray)rendered.Blocks.DeepClone();
        blocks.Insert(0, new JsonObject
        {
            ["type"] = "section",
            ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mentions },
        });
        return new SlackMessage($"{mentions} {rendered.Text}", blocks);
    }
}
