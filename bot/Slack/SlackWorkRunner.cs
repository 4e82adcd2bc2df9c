using System.Text.RegularExpressions;
using TheModel.Api.Conversations;
using TheModel.Bot.Chat;

namespace TheModel.Bot.Slack;

/// <summary>Runs one queued Slack request: a slash command, an event (mention / DM), or an interaction's slow part.</summary>
public sealed partial class SlackWorkRunner(
    IServiceProvider services, IChatCommandHandler chat, SlackPeople people, SlackReplies replies, SlackBotIdentity identity,
    SlackInteractionRegistry registry, ILogger<SlackWorkRunner> logger, SlackHome home)
{
    public Task RunAsync(InboundWork work, CancellationToken ct) => work.Kind switch
    {
        SlackWorkKinds.Command => CommandAsync(work, ct),
        SlackWorkKinds.Event => EventAsync(work, ct),
        SlackWorkKinds.Interaction => InteractionAsync(work, ct),
        _ => Unknown(work),
    };

    private Task Unknown(InboundWork work)
    {
        logger.LogError("Slack work {Id} has an unknown kind {Kind}", work.Id, work.Kind);
        return Task.CompletedTask;
    }

    private async Task CommandAsync(InboundWork work, CancellationToken ct)
    {
        var command = SlackJson.Parse<SlackCommand>(work.Payload)!;
        var who = await people.ResolveAsync(command.UserId!, ct);
        var said = SlackChatText.Normalize(command.Text);
        var reply = await chat.HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack,
            Text = said.Text,
            Mentions = said.Mentions,
            Person = who.Person,
            UserId = command.UserId!,
            UserName = who.Name ?? command.UserName,
            UserEmail = who.Email,
            ConversationId = command.ChannelId!,
            IsPersonal = command.ChannelId!.StartsWith('D'),
            Locale = who.Locale,
        }, ct);
        var message = SlackReplies.Render(reply);
        await replies.QueueAsync(new SlackReplyPayload
        {
            ResponseUrl = command.ResponseUrl,
            ResponseType = reply.Private ? "ephemeral" : "in_channel",
            Channel = command.ChannelId,
            User = command.ResponseUrl is null && reply.Private ? command.UserId : null,
            Text = message.Text,
            Blocks = message.Blocks,
        }, $"chat.reply:slack:work:{work.Id}", ct);
    }

    private async Task EventAsync(InboundWork work, CancellationToken ct)
    {
        var envelope = SlackJson.Parse<SlackEnvelope>(work.Payload)!;
        var ev = envelope.Event!;
        var bot = await identity.BotUserIdAsync(ct);
        if (ev.User is null || ev.User == bot || ev.BotId is not null || ev.Subtype is not null)
        {
            return;
        }
        if (ev.Type == "app_home_opened")
        {
            await home.OpenedAsync(ev.User, work, ct);
            return;
        }
        var personal = ev.ChannelType == "im";
        var who = await people.ResolveAsync(ev.User, ct);
        var said = SlackChatText.Normalize(ev.Text);
        var reply = await chat.HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack,
            Text = said.Text,
            Mentions = said.Mentions,
            Person = who.Person,
            UserId = ev.User,
            UserName = who.Name,
            UserEmail = who.Email,
            ConversationId = ev.Channel!,
            IsPersonal = personal,
            Locale = who.Locale,
        }, ct);
        var message = SlackReplies.Render(reply);
        await replies.QueueAsync(new SlackReplyPayload
        {
            Channel = ev.Channel,
            // A mention is answered in its thread; a DM is a conversation of its own.
            ThreadTs = personal ? null : ev.ThreadTs ?? ev.Ts,
            User = reply.Private && !personal ? ev.User : null,
            Text = message.Text,
            Blocks = message.Blocks,
        }, $"chat.reply:slack:work:{work.Id}", ct);
    }

    private async Task InteractionAsync(InboundWork work, CancellationToken ct)
    {
        var payload = SlackJson.Parse<SlackInteraction>(work.Payload)!;
        var (route, action) = registry.Match(payload);
        if (route is null)
        {
            logger.LogWarning("Slack work {Id}: no handler any more for its interaction", work.Id);
            return;
        }
        var handler = (ISlackInteractionHandler)services.GetRequiredService(route.Handler);
        await handler.RunAsync(payload, action, work, ct);
    }
}
