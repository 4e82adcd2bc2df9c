using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Outbox;
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

    /// <summary>The Settings key of <paramref name="channel"/>'s digest channel (<c>teams</c> or <c>slack</c>).</summary>
    public static string Key(string channel) => KeyPrefix + channel;

    /// <summary>The linked digest channels, Teams first; a setting that cannot be read is logged and skipped.</summary>
    public async Task<IReadOnlyList<(string Channel, string ConversationId)>> ChannelsAsync(CancellationToken ct = default)
    {
        var rows = await db.Settings.AsNoTracking()
            .Where(s => s.Key == KeyPrefix + OutboxChannels.Teams || s.Key == KeyPrefix + OutboxChannels.Slack)
            .OrderByDescending(s => s.Key)
            .Select(s => new { s.Key, s.Json })
            .ToListAsync(ct);
        var channels = new List<(string, string)>();
        foreach (var row in rows)
        {
            var channel = row.Key[KeyPrefix.Length..];
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
            channels.Add((channel, conversationId));
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
