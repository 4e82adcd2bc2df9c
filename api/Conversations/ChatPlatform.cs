namespace TheModel.Api.Conversations;

/// <summary>The chat platforms the bot lives on. Code passes this; what is stored keeps its lowercase key (<see cref="ChatPlatforms.Key"/>).</summary>
public enum ChatPlatform
{
    Teams,
    Slack,
}

public static class ChatPlatforms
{
    /// <summary>The stored keys: the one spelling of the platforms' names (the outbox's channels reuse them).</summary>
    public const string TeamsKey = "teams";
    public const string SlackKey = "slack";

    /// <summary>The platform's key as stored (outbox channel, conversation and posted-card channel, settings keys): <c>teams</c> / <c>slack</c>.</summary>
    public static string Key(this ChatPlatform platform) => platform switch
    {
        ChatPlatform.Teams => TeamsKey,
        ChatPlatform.Slack => SlackKey,
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    /// <summary>The platform a stored key names, if it names one.</summary>
    public static bool TryParse(string? key, out ChatPlatform platform)
    {
        (var known, platform) = key switch
        {
            TeamsKey => (true, ChatPlatform.Teams),
            SlackKey => (true, ChatPlatform.Slack),
            _ => (false, default),
        };
        return known;
    }
}

/// <summary>Stores a <see cref="ChatPlatform"/> as its lowercase key, as the columns held it before the enum.</summary>
public sealed class ChatPlatformConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<ChatPlatform, string>(
    v => v.Key(), v => Parse(v))
{
    private static ChatPlatform Parse(string key) =>
        ChatPlatforms.TryParse(key, out var platform) ? platform : throw new InvalidOperationException($"'{key}' names no chat platform");
}
