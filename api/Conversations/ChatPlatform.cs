using TheModel.Api.Outbox;

namespace TheModel.Api.Conversations;

/// <summary>The chat platforms the bot lives on. Code passes this; what is stored keeps its lowercase key (<see cref="ChatPlatforms.Key"/>).</summary>
public enum ChatPlatform
{
    Teams,
    Slack,
}

public static class ChatPlatforms
{
    /// <summary>The platform's key as stored (outbox channel, conversation and posted-card channel, settings keys): <c>teams</c> / <c>slack</c>.</summary>
    public static string Key(this ChatPlatform platform) => platform switch
    {
        ChatPlatform.Teams => OutboxChannels.Teams,
        ChatPlatform.Slack => OutboxChannels.Slack,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>The platform a stored key names, if it names one.</summary>
    public static bool TryParse(string? key, out ChatPlatform platform)
    {
        (var known, platform) = key switch
        {
            OutboxChannels.Teams => (true, ChatPlatform.Teams),
            OutboxChannels.Slack => (true, ChatPlatform.Slack),
            _ => (false, default),
        };
        return known;
    }
}
