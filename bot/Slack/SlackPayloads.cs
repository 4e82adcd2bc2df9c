using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace TheModel.Bot.Slack;

/// <summary>
/// Slack's inbound payloads, modelled leniently: only the fields we use, unknown fields ignored, timestamps kept as
/// strings (Slack's own <c>event_ts</c> example has no dot — docs/protocols/slack.md §2).
/// </summary>
public static class SlackJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Japanese stays readable in queued payloads; HTML-safety escaping is not needed for JSON we store or post.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    public static T? Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>Events API envelope: <c>url_verification</c>, <c>event_callback</c>, <c>app_rate_limited</c>.</summary>
public sealed record SlackEnvelope
{
    public string? Type { get; init; }
    public string? Challenge { get; init; }
    public string? TeamId { get; init; }
    public string? ApiAppId { get; init; }
    public string? EventId { get; init; }
    public long? EventTime { get; init; }
    public SlackEvent? Event { get; init; }
    [JsonConverter(typeof(NullElementsSkipped))]
    public IReadOnlyList<SlackAuthorization>? Authorizations { get; init; }
}

public sealed record SlackAuthorization
{
    public string? TeamId { get; init; }
    public string? UserId { get; init; }
    public bool IsBot { get; init; }
}

/// <summary>The inner event of <c>app_mention</c> and <c>message</c> (<c>message.im</c>).</summary>
public sealed record SlackEvent
{
    public string? Type { get; init; }
    public string? Subtype { get; init; }
    public string? User { get; init; }
    public string? BotId { get; init; }
    public string? Text { get; init; }
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string? Channel { get; init; }
    public string? ChannelType { get; init; }
    public string? EventTs { get; init; }
    public string? Team { get; init; }
    /// <summary><c>app_home_opened</c>: <c>home</c> or <c>messages</c>.</summary>
    public string? Tab { get; init; }
}

/// <summary>Interactivity payload (<c>block_actions</c>, <c>view_submission</c> …), the JSON in the form's <c>payload</c> field.</summary>
public sealed record SlackInteraction
{
    public string? Type { get; init; }
    public SlackUser? User { get; init; }
    public SlackTeam? Team { get; init; }
    public SlackContainer? Container { get; init; }
    public string? TriggerId { get; init; }
    public SlackChannelRef? Channel { get; init; }
    public SlackMessageRef? Message { get; init; }
    public string? ResponseUrl { get; init; }
    [JsonConverter(typeof(NullElementsSkipped))]
    public IReadOnlyList<SlackAction>? Actions { get; init; }
    public SlackView? View { get; init; }
    /// <summary><c>block_actions</c> on a message with input blocks: what the inputs held at the click.</summary>
    public SlackViewState? State { get; init; }

    /// <summary>The conversation the click happened in (the container's, else the payload's channel).</summary>
    public string? ChannelId => Container?.ChannelId ?? Channel?.Id;
}

public sealed record SlackUser
{
    public string? Id { get; init; }
    public string? Username { get; init; }
    public string? Name { get; init; }
    public string? TeamId { get; init; }
}

public sealed record SlackTeam
{
    public string? Id { get; init; }
    public string? Domain { get; init; }
}

public sealed record SlackContainer
{
    public string? Type { get; init; }
    public string? MessageTs { get; init; }
    public string? ChannelId { get; init; }
    public bool? IsEphemeral { get; init; }
    public string? ThreadTs { get; init; }
    public string? ViewId { get; init; }
}

public sealed record SlackChannelRef
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record SlackMessageRef
{
    public string? Ts { get; init; }
    public string? ThreadTs { get; init; }
    public string? BotId { get; init; }
    public string? Text { get; init; }
}

public sealed record SlackAction
{
    public string? ActionId { get; init; }
    public string? BlockId { get; init; }
    public string? Type { get; init; }
    public string? Value { get; init; }
    public string? ActionTs { get; init; }
    public SlackOption? SelectedOption { get; init; }
}

public sealed record SlackOption
{
    public string? Value { get; init; }
}

public sealed record SlackView
{
    public string? Id { get; init; }
    public string? Type { get; init; }
    public string? CallbackId { get; init; }
    public string? PrivateMetadata { get; init; }
    public string? Hash { get; init; }
    public SlackViewState? State { get; init; }
}

public sealed record SlackViewState
{
    public Dictionary<string, Dictionary<string, SlackStateValue>> Values { get; init; } = [];

    public SlackStateValue? Get(string blockId, string actionId) =>
        Values.TryGetValue(blockId, out var block) && block.TryGetValue(actionId, out var value) ? value : null;
}

public sealed record SlackStateValue
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public SlackOption? SelectedOption { get; init; }
    public string? SelectedDate { get; init; }
}

/// <summary>A slash command (form fields, docs/protocols/slack.md §4), also what is queued for the worker.</summary>
public sealed record SlackCommand
{
    public string? Command { get; init; }
    public string? Text { get; init; }
    public string? UserId { get; init; }
    public string? UserName { get; init; }
    public string? ChannelId { get; init; }
    public string? ChannelName { get; init; }
    public string? TeamId { get; init; }
    public string? ResponseUrl { get; init; }
    public string? TriggerId { get; init; }

    public static SlackCommand FromForm(IReadOnlyDictionary<string, string> form) => new()
    {
        Command = form.GetValueOrDefault("command"),
        Text = form.GetValueOrDefault("text"),
        UserId = form.GetValueOrDefault("user_id"),
        UserName = form.GetValueOrDefault("user_name"),
        ChannelId = form.GetValueOrDefault("channel_id"),
        ChannelName = form.GetValueOrDefault("channel_name"),
        TeamId = form.GetValueOrDefault("team_id"),
        ResponseUrl = form.GetValueOrDefault("response_url"),
        TriggerId = form.GetValueOrDefault("trigger_id"),
    };
}
