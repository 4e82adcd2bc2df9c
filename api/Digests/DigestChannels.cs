using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Conversations;
using TheModel.Api.Store;

namespace TheModel.Api.Digests;

/// <summary>
/// The channels linked with <c>link digest</c>, read from Settings. The digest itself lives in <c>bot/Digest</c>; this
/// (with <see cref="DigestOptions"/>) stays in the domain because the MQL threshold advice and the outbox failure
/// notices post to the same channels, and the domain cannot reference the bot.
/// </summary>
public sealed class DigestChannels(TheModelDb db, ILogger<DigestChannels> logger)
{
    /// <summary>Settings key prefix written by <c>link digest</c>: <c>digest-channel:teams</c>, <c>digest-channel:slack</c>.</summary>
    public const string KeyPrefix = "digest-channel:";
    private static readonly string TeamsKey = Key(ChatPlatform.Teams);
    private static readonly string SlackKey = Key(ChatPlatform.Slack);

    /// <summary>The Settings key of <paramref name="platform"/>'s digest channel.</summary>
    public static string Key(ChatPlatform platform) => KeyPrefix + platform.Key();

    /// <summary>The linked digest channels, Teams first; a setting that cannot be read is logged and skipped.</summary>
    public async Task<IReadOnlyList<(ChatPlatform Platform, string ConversationId)>> ChannelsAsync(CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == TeamsKey || s.Key == SlackKey)
            .OrderByDescending(s => s.Key)
            .Select(s => new { s.Key, s.Json })
            .ToListAsync(ct);
        var channels = new List<(ChatPlatform, string)>();
        foreach (var row in rows)
        {
            ChatPlatforms.TryParse(row.Key[KeyPrefix.Length..], out var platform);
            string? conversationId = null;
            try
            {
                using var json = JsonDocument.Parse(row.Json);
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("conversationId", out var id) && id.ValueKind == JsonValueKind.String)
                {
                    conversationId = id.GetString();
                }
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Digest channel setting {Key} is not valid JSON; skipped", row.Key);
            }
            if (string.IsNullOrWhiteSpace(conversationId))
            {
                logger.LogWarning("Digest channel setting {Key} has no conversationId; skipped", row.Key);
                continue;
            }
            channels.Add((platform, conversationId));
        }
        return channels;
    }
}

/// <summary>The JSON stored under <c>digest-channel:{teams|slack}</c> in Settings: where the weekly digest goes.</summary>
public sealed record DigestChannel(string ConversationId, string LinkedBy, DateTime LinkedAt);

public static class DigestChannelsExtensions
{
    /// <summary>
    /// What the domain shares with the digest: <see cref="DigestOptions"/> (its <c>Language</c> is the channels' language)
    /// and <see cref="DigestChannels"/>. The digest itself is registered by the bot's <c>AddDigest</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDigestChannels(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DigestOptions>().BindConfiguration(DigestOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DigestOptions>, DigestOptionsValidator>());
        // The digest's classes take the options themselves: they are read once, at start.
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<DigestOptions>>().Value);
        services.TryAddScoped<DigestChannels>();
        return builder;
    }
}
