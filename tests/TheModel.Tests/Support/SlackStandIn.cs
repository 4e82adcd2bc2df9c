using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace TheModel.Tests.Support;

/// <summary>A message as the stand-in Slack keeps it in a channel's history.</summary>
public sealed record SlackStoredMessage(string Ts, string Text, JsonObject? Metadata);

/// <summary>
/// What the stand-in answers instead of its normal answer: a status and body, or a dropped connection; with
/// <paramref name="Hang"/>, only once that task completes (a sender whose process dies while waiting never sees it).
/// </summary>
public sealed record SlackFault(int Status, string Body = "", string? RetryAfter = null, bool Reset = false, Task? Hang = null)
{
    public static SlackFault Unavailable => new(503, "upstream unavailable");

    public static SlackFault Error(string error) => new(200, $"{{\"ok\":false,\"error\":\"{error}\"}}");
}

/// <summary>
/// Slack's history, in front of a <see cref="RecordingServer"/>: <c>chat.postMessage</c> stores the message (with its
/// metadata) in its channel, <c>conversations.history</c> serves it back newest first, at most <see cref="PageSize"/>
/// a page whatever <c>limit</c> asks (Slack may serve fewer), with cursor paging and <c>oldest</c>/<c>latest</c>
/// honoured; metadata only with <c>include_all_metadata=true</c>. Other methods go to the wrapped responder.
/// A post can be stored and its answer lost (<see cref="LoseOutcome"/>), as when Slack got it but the sender timed out.
/// </summary>
public sealed class SlackStandIn
{
    private readonly object gate = new();
    private readonly Dictionary<string, List<SlackStoredMessage>> channels = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;
    private long sequence;

    public SlackStandIn(TimeProvider clock) => this.clock = clock;

    /// <summary>The most messages one history page holds (15 for apps outside the Marketplace since 2025).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Answers a request with a fault instead of handling it (nothing is stored); null: handled normally.</summary>
    public Func<RecordedRequest, SlackFault?>? Fault { get; set; }

    /// <summary>For a post that is stored: the answer the sender gets instead of <c>ok</c> (null: the normal answer).</summary>
    public Func<RecordedRequest, SlackFault?>? LoseOutcome { get; set; }

    /// <summary>Channels that do not exist: every method on them answers <c>channel_not_found</c>.</summary>
    public HashSet<string> Missing { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<SlackStoredMessage> History(string channel)
    {
        lock (gate)
        {
            return channels.TryGetValue(channel, out var list) ? list.ToList() : [];
        }
    }

    /// <summary>Messages of other people posted now (no metadata).</summary>
    public void Chatter(string channel, int count)
    {
        for (var i = 0; i < count; i++)
        {
            Store(channel, $"chatter {i}", null);
        }
    }

    /// <summary>The responder for the recording server: Slack's history methods here, the rest to <paramref name="others"/>.</summary>
    public RecordingServer.Respond Over(RecordingServer.Respond others) => async (request, response) =>
    {
        var method = request.Path.Replace("/api/", "", StringComparison.Ordinal);
        if (method is not ("chat.postMessage" or "conversations.history"))
        {
            await others(request, response);
            return;
        }
        if (Fault?.Invoke(request) is { } fault)
        {
            await WriteAsync(response, fault);
            return;
        }
        response.ContentType = "application/json";
        if (method == "chat.postMessage")
        {
            var body = JsonNode.Parse(request.Body)!.AsObject();
            var channel = body["channel"]!.GetValue<string>();
            if (Missing.Contains(channel))
            {
                await response.WriteAsync("{\"ok\":false,\"error\":\"channel_not_found\"}");
                return;
            }
            var stored = Store(channel, body["text"]?.GetValue<string>() ?? "", body["metadata"]?.DeepClone().AsObject());
            if (LoseOutcome?.Invoke(request) is { } lost)
            {
                await WriteAsync(response, lost);
                return;
            }
            await response.WriteAsync(JsonSerializer.Serialize(new { ok = true, channel, ts = stored.Ts }));
            return;
        }
        await response.WriteAsync(HistoryPage(QueryHelpers.ParseQuery(request.Query)));
    };

    private string HistoryPage(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var channel = query["channel"].ToString();
        if (Missing.Contains(channel))
        {
            return "{\"ok\":false,\"error\":\"channel_not_found\"}";
        }
        var oldest = query.TryGetValue("oldest", out var o) ? decimal.Parse(o.ToString(), CultureInfo.InvariantCulture) : 0m;
        var latest = query.TryGetValue("latest", out var l) ? decimal.Parse(l.ToString(), CultureInfo.InvariantCulture) : decimal.MaxValue;
        var limit = query.TryGetValue("limit", out var n) ? int.Parse(n.ToString(), CultureInfo.InvariantCulture) : 100;
        // The cursor carries the ts of the last message served: the next page starts below it.
        if (query.TryGetValue("cursor", out var c) && c.ToString().Length > 0)
        {
            var before = Encoding.UTF8.GetString(Convert.FromBase64String(c.ToString()))["next_ts:".Length..];
            latest = Math.Min(latest, decimal.Parse(before, CultureInfo.InvariantCulture));
        }
        var include = query.TryGetValue("include_all_metadata", out var m) && m.ToString() is "true" or "1";
        List<SlackStoredMessage> window;
        lock (gate)
        {
            window = (channels.TryGetValue(channel, out var list) ? list : [])
                .Where(x => Value(x.Ts) > oldest && Value(x.Ts) < latest)
                .OrderByDescending(x => Value(x.Ts))
                .ToList();
        }
        var page = window.Take(Math.Min(limit, PageSize)).ToList();
        var more = window.Count > page.Count;
        var answer = new JsonObject
        {
            ["ok"] = true,
            ["messages"] = new JsonArray(page.Select(x =>
            {
                var item = new JsonObject { ["type"] = "message", ["ts"] = x.Ts, ["text"] = x.Text };
                if (include && x.Metadata is not null)
                {
                    item["metadata"] = x.Metadata.DeepClone();
                }
                return (JsonNode)item;
            }).ToArray()),
            ["has_more"] = more,
            ["response_metadata"] = new JsonObject
            {
                ["next_cursor"] = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes("next_ts:" + page[^1].Ts)) : "",
            },
        };
        return answer.ToJsonString();
    }

    private SlackStoredMessage Store(string channel, string text, JsonObject? metadata)
    {
        lock (gate)
        {
            // Unique and increasing like Slack's: the clock's second, then a sequence.
            var ts = string.Create(CultureInfo.InvariantCulture, $"{clock.GetUtcNow().ToUnixTimeSeconds()}.{++sequence:D6}");
            var stored = new SlackStoredMessage(ts, text, metadata);
            if (!channels.TryGetValue(channel, out var list))
            {
                channels[channel] = list = [];
            }
            list.Add(stored);
            return stored;
        }
    }

    private static decimal Value(string ts) => decimal.Parse(ts, CultureInfo.InvariantCulture);

    public static async Task WriteAsync(HttpResponse response, SlackFault fault)
    {
        if (fault.Hang is { } hang)
        {
            await hang;
        }
        if (fault.Reset)
        {
            response.HttpContext.Abort();
            return;
        }
        response.StatusCode = fault.Status;
        if (fault.RetryAfter is not null)
        {
            response.Headers.RetryAfter = fault.RetryAfter;
        }
        response.ContentType = "application/json";
        await response.WriteAsync(fault.Body);
    }
}
