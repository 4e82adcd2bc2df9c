using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>
/// Where a Slack answer goes, as stored in a <c>chat.reply</c> outbox row's payload: a <c>response_url</c>, an
/// ephemeral to <see cref="User"/> in <see cref="Channel"/>, or a message in <see cref="Channel"/> (in a thread).
/// </summary>
public sealed record SlackReplyPayload
{
    public string? Channel { get; init; }
    public string? ThreadTs { get; init; }
    /// <summary>Set: only this user sees it (<c>chat.postEphemeral</c>).</summary>
    public string? User { get; init; }
    public string? ResponseUrl { get; init; }
    /// <summary><c>ephemeral</c> or <c>in_channel</c>, for <see cref="ResponseUrl"/>.</summary>
    public string? ResponseType { get; init; }
    /// <summary>The bot's neutral text, not mrkdwn: <see cref="SlackOutboxSender"/> escapes it when it sends.</summary>
    public required string Text { get; init; }
    /// <summary>Rendered Block Kit (already escaped); null = the text as sections.</summary>
    public JsonArray? Blocks { get; init; }
}

/// <summary>Queues Slack answers in the outbox, so an answer is never lost and never sent twice for one request.</summary>
public sealed class SlackReplies(TheModelDb db, OutboxWriter outbox, ILogger<SlackReplies> logger)
{
    /// <summary>Block Kit allows 50 blocks per message.</summary>
    public const int MaxBlocks = 50;

    public async Task QueueAsync(SlackReplyPayload reply, string dedupeKey, CancellationToken ct)
    {
        outbox.Enqueue(OutboxChannels.Slack, reply.ResponseUrl is null ? reply.Channel ?? "" : "response_url",
            OutboxKinds.ChatReply, null, dedupeKey, SlackJson.Write(reply));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Already queued by an earlier run of the same work (the dedupe key is unique).
            db.DiscardChanges();
            logger.LogInformation("Slack reply {Key} was already queued", dedupeKey);
        }
    }

    public Task EphemeralAsync(string channel, string user, string text, string dedupeKey, CancellationToken ct) =>
        QueueAsync(new SlackReplyPayload { Channel = channel, User = user, Text = text, Blocks = BlockKitRenderer.Text(text).Blocks }, dedupeKey, ct);

    /// <summary>
    /// A chat answer as Block Kit: its text, then figures, then handoff cards, within the block limit. The returned
    /// <c>Text</c> is the neutral text for <see cref="SlackReplyPayload.Text"/> (escaped when sent), the blocks are escaped.
    /// </summary>
    public static SlackMessage Render(ChatReply reply)
    {
        var blocks = new JsonArray();
        foreach (var block in BlockKitRenderer.Text(reply.Text).Blocks)
        {
            blocks.Add(block?.DeepClone());
        }
        if (reply.Figures is { } figures)
        {
            foreach (var block in BlockKitRenderer.Figures(figures).Blocks)
            {
                blocks.Add(block?.DeepClone());
            }
        }
        foreach (var handoff in reply.Handoffs)
        {
            var card = BlockKitRenderer.Handoff(handoff).Blocks;
            if (blocks.Count + card.Count > MaxBlocks)
            {
                break;
            }
            foreach (var block in card)
            {
                blocks.Add(block?.DeepClone());
            }
        }
        while (blocks.Count > MaxBlocks)
        {
            blocks.RemoveAt(blocks.Count - 1);
        }
        return new SlackMessage(reply.Text, blocks);
    }
}
