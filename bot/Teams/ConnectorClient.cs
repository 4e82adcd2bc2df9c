using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace TheModel.Bot.Teams;

/// <summary>What the Connector said: the new activity/conversation id on success, else the status and when to retry.</summary>
public sealed record ConnectorResult(HttpStatusCode? Status, string? Id = null, TimeSpan? RetryAfter = null, string? Error = null)
{
    public bool Ok => Status is { } s && (int)s is >= 200 and < 300;

    /// <summary>Throttled or a transient platform failure (docs/protocols/teams.md §3: retry 429, 412, 502, 504), or no answer at all.</summary>
    public bool Retryable => Status is null or HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.Unauthorized;
}

/// <summary>
/// The Bot Connector REST calls we use (docs/protocols/teams.md §3), always against a conversation's own <c>serviceUrl</c>.
/// Only a known Connector host is called (in dev mode also the local test clients): a forged or misconfigured
/// service URL never receives our credentials nor our users' data. Retries are the outbox's job (it honours Retry-After).
/// </summary>
public sealed class ConnectorClient(HttpClient http, IBotTokenProvider tokens, TeamsOptions options, TimeProvider time, ILogger<ConnectorClient> logger)
{
    public Task<ConnectorResult> SendToConversationAsync(string serviceUrl, string conversationId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities", activity, ct);

    public Task<ConnectorResult> ReplyToActivityAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, ct);

    public Task<ConnectorResult> UpdateActivityAsync(string serviceUrl, string conversationId, string activityId, JsonObject activity, CancellationToken ct) =>
        SendAsync(HttpMethod.Put, serviceUrl, $"v3/conversations/{Uri.EscapeDataString(conversationId)}/activities/{Uri.EscapeDataString(activityId)}", activity, ct);

    /// <summary>Creates (or finds) the 1:1 chat with a user: <c>{bot, members:[user], channelData.tenant, tenantId}</c>.</summary>
    public Task<ConnectorResult> CreatePersonalConversationAsync(string serviceUrl, string botId, string userId, string tenantId, CancellationToken ct)
    {
        var parameters = new JsonObject
        {
            ["bot"] = new JsonObject { ["id"] = botId },
            ["members"] = new JsonArray { new JsonObject { ["id"] = userId } },
            ["isGroup"] = false,
            ["tenantId"] = tenantId,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenantId } },
        };
        return SendAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters, ct);
    }

    private async Task<ConnectorResult> SendAsync(HttpMethod method, string serviceUrl, string path, JsonObject body, CancellationToken ct)
    {
        if (!Uri.TryCreate(serviceUrl.EndsWith('/') ? serviceUrl : serviceUrl + "/", UriKind.Absolute, out var service)
            || service.Scheme is not ("https" or "http"))
        {
            return new(HttpStatusCode.BadRequest, Error: $"bad service URL '{serviceUrl}'");
        }
        using var request = new HttpRequestMessage(method, new Uri(service, path))
        {
            Content = new StringContent(body.ToJsonString(Activity.Json), Encoding.UTF8, "application/json"),
        };
        // Every mode: a stored service URL came from an activity, and an activity's word is not enough to make us call
        // an arbitrary host (with our token, or with what users said).
        if (!MayCall(service, request.RequestUri!))
        {
            logger.LogError("Refusing to call {Host}: not a Connector host this bot may call", service.Host);
            return new(HttpStatusCode.Forbidden, Error: $"service host {service.Host} is not allowed (a Microsoft Connector host or Teams:TrustedServiceHosts)");
        }
        if (options.AuthEnabled)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(ct));
        }
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Connector {Method} {Path} answered {Status}: {Body}", method, path, (int)response.StatusCode, Truncate(text));
                return new(response.StatusCode, RetryAfter: RetryAfterOf(response), Error: $"{(int)response.StatusCode} {Truncate(text)}");
            }
            return new(response.StatusCode, IdOf(text));
        }
        catch (HttpRequestException ex)
        {
            return new(null, Error: ex.Message);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            return new(null, Error: $"timed out: {ex.Message}");
        }
    }

    /// <summary>The service URL's own host only, on the allow-list (<see cref="TeamsOptions.IsAllowedServiceUrl(Uri)"/>).</summary>
    private bool MayCall(Uri service, Uri target) =>
        target.Host.Equals(service.Host, StringComparison.OrdinalIgnoreCase) && target.Port == service.Port
        && options.IsAllowedServiceUrl(service);

    private TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };

    private static string? IdOf(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(text)?["id"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
