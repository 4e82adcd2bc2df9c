using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using TheModel.Api.Outbox;
using TheModel.Bot.Chat;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Bot.Slack;
using TheModel.Cards;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Issue 20 on Slack: the digest's summary in the channel, the details as a reply in its thread, the two charts
/// uploaded into the thread with files.uploadV2 — against the recording listener standing in for Slack.
/// </summary>
public class DigestSlackThreadTests
{
    private const string SummaryTs = "1700000000.000100";

    /// <summary>Slack as far as the digest needs it: posts get increasing ts, uploads get a URL on this server.</summary>
    internal static RecordingServer.Respond Slack(RecordingServer server)
    {
        var posts = 0;
        var files = 0;
        return async (request, response) =>
        {
            response.ContentType = "application/json";
            switch (request.Path)
            {
                case "/api/chat.postMessage":
                    var ts = posts++ == 0 ? SummaryTs : $"1700000000.00020{posts}";
                    await response.WriteAsync($"{{\"ok\":true,\"channel\":\"{DigestWorld.SlackChannel}\",\"ts\":\"{ts}\"}}");
                    break;
                case "/api/files.getUploadURLExternal":
                    files++;
                    await response.WriteAsync($"{{\"ok\":true,\"upload_url\":\"{server.BaseUrl}upload/F{files}\",\"file_id\":\"F{files}\"}}");
                    break;
                case var path when path.StartsWith("/upload/", StringComparison.Ordinal):
                    response.ContentType = "text/plain";
                    await response.WriteAsync($"OK - {request.Body.Length}");
                    break;
                default:
                    await response.WriteAsync("{\"ok\":true}");
                    break;
            }
        };
    }

    private static async Task<(TheModelApp App, RecordingServer Slack)> PostedAsync()
    {
        var slack = await RecordingServer.StartAsync();
        slack.Responder = Slack(slack);
        var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        SlackTestKit.Configure(app, slack);
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        await DigestWorld.LinkChannelsAsync(app, teams: false);
        Assert.NotNull(await ActivatorUtilities.CreateInstance<DigestJob>(app.Services).RunAsync(DigestWorld.Now));
        await app.DispatchAsync();
        return (app, slack);
    }

    private static Dictionary<string, string> Form(RecordedRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(p => p.Key, p => p.Value.ToString());

    [Fact]
    public async Task Dispatch_DigestToSlack_SummaryInChannelThenDetailsAndTwoChartsInItsThread()
    {
        var (app, slack) = await PostedAsync();
        await using var _ = app;
        await using var __ = slack;

        var posts = slack.Requests.Where(r => r.Path == "/api/chat.postMessage").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Null(posts[0]["thread_ts"]);
        Assert.Contains("ボトルネック", SlackTestKit.Texts(posts[0]["blocks"]));
        Assert.DoesNotContain("届いたMQL", SlackTestKit.Texts(posts[0]["blocks"]));
        Assert.Equal(SummaryTs, posts[1]["thread_ts"]!.GetValue<string>());
        Assert.Contains("届いたMQL", SlackTestKit.Texts(posts[1]["blocks"]));

        // files.uploadV2: an upload URL per image (with its alt text), the bytes, then one call sharing both in the thread.
        var urls = slack.Requests.Where(r => r.Path == "/api/files.getUploadURLExternal").Select(Form).ToList();
        Assert.Equal(["funnel-chain.png", "sla-trend.png"], urls.Select(u => u["filename"]));
        Assert.All(urls, u => Assert.False(string.IsNullOrWhiteSpace(u["alt_txt"])));
        Assert.Contains("ファネルの連鎖", urls[0]["alt_txt"]);
        var uploads = slack.Requests.Where(r => r.Path.StartsWith("/upload/", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/upload/F1", "/upload/F2"], uploads.Select(u => u.Path));
        Assert.All(uploads.Zip(urls), x =>
        {
            Assert.Equal(x.Second["length"], x.First.Headers["Content-Length"]);
            Assert.Equal("PNG", x.First.Body.Substring(1, 3));
            Assert.False(x.First.Headers.ContainsKey("Authorization"));
        });
        var complete = Form(Assert.Single(slack.Requests, r => r.Path == "/api/files.completeUploadExternal"));
        Assert.Equal((DigestWorld.SlackChannel, SummaryTs), (complete["channel_id"], complete["thread_ts"]));
        Assert.Equal(["F1", "F2"], JsonNode.Parse(complete["files"])!.AsArray().Select(f => f!["id"]!.GetValue<string>()));

        var rows = await app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannels.Slack).OrderBy(m => m.Id).ToListAsync());
        Assert.Equal([OutboxKinds.DigestWeekly, SlackOutboxSender.DigestThreadKind, SlackOutboxSender.DigestChartsKind], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
    }

    [Fact]
    public async Task Dispatch_SummaryRowRetriedAfterItsThreadWasQueued_PostsNothingAgain()
    {
        var (app, slack) = await PostedAsync();
        await using var _ = app;
        await using var __ = slack;
        var before = slack.Requests.Count;

        // As if the process died after posting and queuing the thread, before the row was marked sent.
        await app.WithDbAsync(async db =>
        {
            var row = await db.Outbox.SingleAsync(m => m.Kind == OutboxKinds.DigestWeekly);
            (row.Status, row.NextAttemptAt, row.SentAt) = (OutboxStatus.Pending, DigestWorld.Now, null);
            var thread = await db.Outbox.SingleAsync(m => m.Kind == SlackOutboxSender.DigestThreadKind);
            (thread.Status, thread.NextAttemptAt, thread.SentAt) = (OutboxStatus.Pending, DigestWorld.Now, null);
            await db.SaveChangesAsync();
        });
        await app.DispatchAsync();

        Assert.Equal(before, slack.Requests.Count);
        var rows = await app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannels.Slack).ToListAsync());
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
    }

    [Fact]
    public async Task ChartImages_DigestWorld_AreValidPngsWithAltTextInTheReadersLanguage()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        var model = DigestAnswers.Figures(await TheModel.Tests.Bot.Digest.DigestFigureQueriesTests.BuildAsync(app), ChatTexts.Japanese).Digest!;

        var images = DigestChartImages.Render(model);

        Assert.Equal(["funnel-chain.png", "sla-trend.png"], images.Select(i => i.FileName));
        foreach (var image in images)
        {
            using var bitmap = SKBitmap.Decode(image.Png);
            Assert.NotNull(bitmap);
            Assert.Equal((DigestChartImages.Width, DigestChartImages.Height), (bitmap.Width, bitmap.Height));
            // Not a blank canvas: the bars and lines drew something other than the background.
            Assert.True(bitmap.Pixels.Distinct().Count() > 10);
            Assert.InRange(image.AltText.Length, 20, SlackApiClient.MaxAltText);
        }
        Assert.StartsWith("ファネルの連鎖の棒グラフ", images[0].AltText);
        Assert.StartsWith("受け渡し種別ごとのSLA遵守率と承諾率の折れ線グラフ（13週間", images[1].AltText);
        // The last week's MQL → IS SLA (4 of 6 in time) ends its range.
        Assert.Contains("MQL → IS SLA", images[1].AltText);
        Assert.Contains("→ 66.7%", images[1].AltText);
    }
}
