using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TheModel.Tests.Support;

/// <summary>One HTTP request as the outside world (Slack, the Bot Connector, a webhook) received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for Slack's Web API, the Bot Connector or a webhook receiver:
/// it records every request and answers with <see cref="Responder"/> (200 <c>{"ok":true}</c> by default).
/// Point the outbound clients' base URL at <see cref="BaseUrl"/>.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    public delegate Task Respond(RecordedRequest request, HttpResponse response);

    public Respond Responder { get; set; } = static async (_, response) =>
    {
        response.ContentType = "application/json";
        await response.WriteAsync("{\"ok\":true}");
    };

    private RecordingServer(WebApplication app)
    {
        this.app = app;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body);
            requests.Enqueue(recorded);
            await Responder(recorded, context.Response);
        });
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => requests.ToArray();

    public static async Task<RecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new RecordingServer(builder.Build());
        await server.app.StartAsync();
        server.BaseUrl = server.app.Urls.First().TrimEnd('/') + "/";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
