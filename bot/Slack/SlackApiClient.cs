using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TheModel.Bot.Slack;

/// <summary>What one Web API call came to. Most failures arrive as HTTP 200 with <c>ok:false</c> (docs/protocols/slack.md §5).</summary>
public sealed record SlackApiResponse(bool Ok, string? Error, JsonElement Body, int HttpStatus, TimeSpan? RetryAfter = null)
{
    public bool RateLimited => HttpStatus == 429 || Error == "ratelimited";

    /// <summary>
    /// The call may or may not have taken effect: a timeout, a broken connection, a 5xx, or Slack's own
    /// <c>internal_error</c>/<c>fatal_error</c> ("some of the operation may have succeeded").
    /// </summary>
    public bool Uncertain => HttpStatus == 0 || HttpStatus >= 500 || Error is "internal_error" or "fatal_error" or "request_timeout" or "service_unavailable";

    public string? String(params string[] path)
    {
        var current = Body;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }

    public string Describe() => Ok ? "ok" : $"{Error ?? "error"} (HTTP {HttpStatus})";
}

/// <summary>
/// Slack Web API over plain HTTP, each method with the encoding Slack documents for it (docs/protocols/slack.md §5):
/// JSON + bearer token for the write methods, form for <c>conversations.open</c>, GET query for the reads.
/// Never retries by itself: callers decide (the outbox honours <c>Retry-After</c>; <c>chat.postMessage</c> is
/// never repeated blindly).
/// </summary>
public sealed class SlackApiClient(HttpClient http, SlackOptions options, TimeProvider time, ILogger<SlackApiClient> logger)
{
    public Task<SlackApiResponse> PostMessageAsync(JsonObject message, CancellationToken ct) => JsonAsync("chat.postMessage", message, ct);

    public Task<SlackApiResponse> UpdateAsync(JsonObject message, CancellationToken ct) => JsonAsync("chat.update", message, ct);

    public Task<SlackApiResponse> PostEphemeralAsync(JsonObject message, CancellationToken ct) => JsonAsync("chat.postEphemeral", message, ct);

    public Task<SlackApiResponse> OpenViewAsync(string triggerId, JsonObject view, CancellationToken ct) =>
        JsonAsync("views.open", new JsonObject { ["trigger_id"] = triggerId, ["view"] = view }, ct);

    /// <summary>Sets a user's App Home tab to <paramref name="view"/> (type <c>home</c>); replaces whatever was there.</summary>
    public Task<SlackApiResponse> PublishViewAsync(string userId, JsonObject view, CancellationToken ct) =>
        JsonAsync("views.publish", new JsonObject { ["user_id"] = userId, ["view"] = view }, ct);

    public Task<SlackApiResponse> OpenConversationAsync(string userId, CancellationToken ct) =>
        SendAsync("conversations.open", HttpMethod.Post, new FormUrlEncodedContent([new("users", userId)]), null, ct);

    public Task<SlackApiResponse> UserInfoAsync(string userId, CancellationToken ct) =>
        SendAsync("users.info", HttpMethod.Get, null, $"user={Uri.EscapeDataString(userId)}&include_locale=true", ct);

    public Task<SlackApiResponse> LookupByEmailAsync(string email, CancellationToken ct) =>
        SendAsync("users.lookupByEmail", HttpMethod.Get, null, $"email={Uri.EscapeDataString(email)}", ct);

    /// <summary>
    /// One page of the messages after <paramref name="oldest"/>, newest first, with their metadata (only returned when
    /// asked for): how an uncertain post is looked for before posting again. Slack may serve fewer than <c>limit</c>
    /// even when more remain; the next page is asked for with <c>response_metadata.next_cursor</c>.
    /// </summary>
    public Task<SlackApiResponse> HistoryAsync(string channel, DateTimeOffset oldest, string? cursor, CancellationToken ct) =>
        SendAsync("conversations.history", HttpMethod.Get, null,
            $"channel={Uri.EscapeDataString(channel)}&oldest={Ts(oldest)}&include_all_metadata=true&limit=100"
            + (string.IsNullOrEmpty(cursor) ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), ct);

    /// <summary>A moment as Slack writes timestamps: Unix seconds with six decimals.</summary>
    public static string Ts(DateTimeOffset at)
    {
        var micros = (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{micros / 1_000_000}.{micros % 1_000_000:D6}");
    }

    /// <summary>Step 1 of <c>files.uploadV2</c>: an upload URL and file id for <paramref name="length"/> bytes (form-encoded; alt text at most 1000 characters).</summary>
    public Task<SlackApiResponse> GetUploadUrlExternalAsync(string filename, long length, string? altText, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("filename", filename),
            new("length", length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (!string.IsNullOrWhiteSpace(altText))
        {
            form.Add(new("alt_txt", altText.Length <= MaxAltText ? altText : altText[..(MaxAltText - 1)] + "…"));
        }
        return SendAsync("files.getUploadURLExternal", HttpMethod.Post, new FormUrlEncodedContent(form), null, ct);
    }

    /// <summary>Slack's limit for <c>alt_txt</c> (<c>alt_txt_too_large</c> above it).</summary>
    public const int MaxAltText = 1000;

    /// <summary>Step 2: the file's bytes to the URL step 1 gave (it carries its own authority: no token). Slack answers 200 with plain text.</summary>
    public async Task<SlackApiResponse> UploadFileAsync(string uploadUrl, byte[] bytes, CancellationToken ct)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, uploadUrl) { Content = content };
        return await ExecuteAsync(FileUpload, request, ct);
    }

    /// <summary>Step 3: shares the uploaded files in one message of <paramref name="channelId"/>, in the thread of <paramref name="threadTs"/> when given.</summary>
    public Task<SlackApiResponse> CompleteUploadExternalAsync(IReadOnlyList<(string Id, string Title)> files, string channelId, string? threadTs, CancellationToken ct)
    {
        var list = new JsonArray(files.Select(f => (JsonNode)new JsonObject { ["id"] = f.Id, ["title"] = f.Title }).ToArray());
        var form = new List<KeyValuePair<string, string>> { new("files", list.ToJsonString()), new("channel_id", channelId) };
        if (!string.IsNullOrEmpty(threadTs))
        {
            form.Add(new("thread_ts", threadTs));
        }
        return SendAsync("files.completeUploadExternal", HttpMethod.Post, new FormUrlEncodedContent(form), null, ct);
    }

    private const string FileUpload = "file_upload";

    public Task<SlackApiResponse> AuthTestAsync(CancellationToken ct) =>
        SendAsync("auth.test", HttpMethod.Post, new FormUrlEncodedContent([]), null, ct);

    /// <summary>Posts to an interaction's / command's <c>response_url</c> (absolute, carries its own authority: no token).</summary>
    public async Task<SlackApiResponse> RespondAsync(string responseUrl, JsonObject message, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, responseUrl) { Content = Json(message) };
        return await ExecuteAsync("response_url", request, ct);
    }

    private Task<SlackApiResponse> JsonAsync(string method, JsonObject body, CancellationToken ct) =>
        SendAsync(method, HttpMethod.Post, Json(body), null, ct);

    private static StringContent Json(JsonObject body)
    {
        var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        // Slack wants exactly "application/json; charset=utf-8" on JSON posts (anything else: invalid_charset).
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    private async Task<SlackApiResponse> SendAsync(string method, HttpMethod verb, HttpContent? content, string? query, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(verb, method + (query is null ? "" : "?" + query)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken ?? "");
        return await ExecuteAsync(method, request, ct);
    }

    private async Task<SlackApiResponse> ExecuteAsync(string method, HttpRequestMessage request, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            logger.LogWarning("Slack {Method}: no answer ({Error})", method, ex.Message);
            return new SlackApiResponse(false, "transport_error", default, 0);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter?.Delta
                ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : null);
            if (status == 429 && retryAfter is null)
            {
                retryAfter = TimeSpan.FromSeconds(1);
            }
            JsonElement body = default;
            try
            {
                body = JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException)
            {
                // response_url answers a bare "ok"; a proxy's error page is not JSON either.
            }
            var ok = body.ValueKind == JsonValueKind.Object
                ? body.TryGetProperty("ok", out var okProp) && okProp.ValueKind == JsonValueKind.True
                : response.IsSuccessStatusCode && method is "response_url" or FileUpload;
            var error = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out var e) ? e.GetString()
                : ok ? null : $"http_{status}";
            var result = new SlackApiResponse(ok, error, body, status, retryAfter);
            Log(method, result);
            return result;
        }
    }

    private void Log(string method, SlackApiResponse result)
    {
        var hints = new List<string>();
        if (result.Body.ValueKind == JsonValueKind.Object)
        {
            if (result.Body.TryGetProperty("warning", out var warning) && warning.ValueKind == JsonValueKind.String)
            {
                hints.Add(warning.GetString()!);
            }
            if (result.Body.TryGetProperty("needed", out var needed) && needed.ValueKind == JsonValueKind.String)
            {
                hints.Add($"needed scope {needed.GetString()}");
            }
            if (result.Body.TryGetProperty("response_metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "warnings", "messages" })
                {
                    if (meta.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        hints.AddRange(list.EnumerateArray().Select(x => x.ToString()));
                    }
                }
            }
        }
        if (!result.Ok)
        {
            logger.LogWarning("Slack {Method} failed: {Error} (HTTP {Status}) {Hints}", method, result.Error, result.HttpStatus, string.Join("; ", hints));
        }
        else if (hints.Count > 0)
        {
            logger.LogInformation("Slack {Method} warnings: {Hints}", method, string.Join("; ", hints));
        }
    }
}

/// <summary>Our bot user id, so the bot never answers itself: configured, else asked once from <c>auth.test</c>.</summary>
public sealed class SlackBotIdentity(SlackOptions options, IServiceScopeFactory scopes)
{
    private string? learnt;

    public async Task<string?> BotUserIdAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(options.BotUserId))
        {
            return options.BotUserId;
        }
        if (learnt is not null)
        {
            return learnt;
        }
        await using var scope = scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<SlackApiClient>().AuthTestAsync(ct);
        if (result.Ok && result.String("user_id") is { Length: > 0 } id)
        {
            learnt = id;
        }
        return learnt;
    }

    /// <summary>Without a network call: configured or already learnt.</summary>
    public string? Known => !string.IsNullOrEmpty(options.BotUserId) ? options.BotUserId : learnt;
}
