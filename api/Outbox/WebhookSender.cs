using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace TheModel.Api.Outbox;

/// <summary>
/// Delivers <c>webhook</c> outbox rows: POSTs the stored JSON body to the row's URL, signed with HMAC-SHA256 over
/// <c>{unix time}.{body}</c> (header <c>X-TheModel-Signature: t=…,v1=…</c>, the scheme Stripe and Slack use, so
/// receivers can refuse replays by the timestamp) and carrying the outbox id as an idempotency key, so a receiver can
/// drop the repeats that at-least-once delivery may bring. The secret is <c>Webhooks:{Name}:Secret</c> for kind
/// <c>webhook.{name}</c>.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhooksOptions> options, TimeProvider time, ILogger<WebhookSender> logger) : IOutboxSender
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "X-TheModel-Signature";
    public const string DeliveryHeader = "X-TheModel-Delivery";
    public const string EventHeader = "X-TheModel-Event";

    public string Channel => OutboxChannels.Webhook;

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (!Uri.TryCreate(message.Target, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return new SendResult.Failed($"'{message.Target}' is not an http(s) URL");
        }
        var name = message.Kind.StartsWith("webhook.", StringComparison.Ordinal) ? message.Kind["webhook.".Length..] : message.Kind;
        var secret = options.Value.For(name)?.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            // An unsigned call could be forged by anyone who learns the URL; refuse rather than weaken the receiver.
            return new SendResult.Failed($"Webhooks:{name}:Secret is not configured; webhooks are only sent signed");
        }
        var body = message.Payload ?? "{}";
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SignatureHeader, $"t={timestamp},v1={Sign(secret, timestamp, body)}");
        request.Headers.Add(DeliveryHeader, message.Id.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Idempotency-Key", $"themodel-outbox-{message.Id}");
        request.Headers.Add(EventHeader, message.Kind);

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(HttpClientName).SendAsync(request, ct);
        }
        catch (HttpRequestException ex)
        {
            return new SendResult.Retry($"{url.Host}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult.Retry($"{url.Host}: timed out");
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendResult.Sent($"HTTP {status}");
            }
            if (status is 408 or 429 or >= 500)
            {
                return new SendResult.Retry($"{url.Host} answered HTTP {status}", RetryAfter(response.Headers.RetryAfter));
            }
            logger.LogWarning("Webhook {Kind} to {Host} refused with HTTP {Status}", message.Kind, url.Host, status);
            return new SendResult.Failed($"{url.Host} answered HTTP {status}");
        }
    }

    /// <summary>Lower-case hex HMAC-SHA256 of <c>{timestamp}.{body}</c> (UTF-8) with the shared secret.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when date > time.GetUtcNow() => date - time.GetUtcNow(),
        _ => null,
    };
}
