using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TheModel.Bot.Slack;

/// <summary>
/// Slack's v0 request signature (docs/protocols/slack.md §1): HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c>
/// keyed with the signing secret's literal bytes, compared in constant time, within 5 minutes either way.
/// </summary>
public static class SlackSignature
{
    /// <summary>Slack's replay window; symmetric so a future-dated request is refused as well as a stale one.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static bool Verify(IReadOnlyList<string> secrets, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (secrets.Count == 0 || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !signature.StartsWith("v0=", StringComparison.Ordinal) || signature.Length != 3 + 64)
        {
            return false;
        }
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)Window.TotalSeconds)
        {
            return false;
        }
        var presented = Encoding.ASCII.GetBytes(signature);
        var valid = false;
        foreach (var secret in secrets)
        {
            // Every secret is tried (no early exit) so timing says nothing about which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(Sign(secret, timestamp, body)));
        }
        return valid;
    }

    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        var basestring = new byte[prefix.Length + body.Length];
        prefix.CopyTo(basestring, 0);
        body.CopyTo(basestring.AsSpan(prefix.Length));
        return "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), basestring));
    }
}
