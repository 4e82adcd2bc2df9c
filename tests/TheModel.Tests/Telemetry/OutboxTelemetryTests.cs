using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;
using TheModel.Tests.Support;

namespace TheModel.Tests.Telemetry;

/// <summary>The dispatcher's sends (<c>themodel.outbox.sent</c>/<c>failed</c>, <c>outbox.send</c> spans) and the backlog gauges.</summary>
public class OutboxTelemetryTests
{
    private static TheModelApp WebhookApp(RecordingServer server)
    {
        var app = new TheModelApp();
        app.Settings["Webhooks:Won:Url"] = server.BaseUrl + "hooks/won";
        app.Settings["Webhooks:Won:Secret"] = "whsec-test-1234";
        return app;
    }

    /// <summary>A won deal, with the webhook row the won use case queues.</summary>
    private static async Task WinAsync(TheModelApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var owner = new Person { Name = "Hanako Sato", Email = "hanako@seller.example", Department = Department.FS };
        var lead = new Lead
        {
            Name = "Taro Yamada", Email = "taro@acme.example", Company = "Acme KK", Stage = LeadStage.Won, Department = Department.FS,
            OwnerId = owner.Id, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        db.People.Add(owner);
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<OutboxWriter>().WonWebhookAsync(lead);
        await db.SaveChangesAsync();
    }

    private static double Sum(MeterRecorder meters, string instrument, string platform) =>
        meters.Of(instrument).Where(m => m.Has("platform", platform)).Sum(m => m.Value);

    [Fact]
    public async Task Dispatch_SentRow_CountsSentForItsPlatform_AndTracesTheSend()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var app = WebhookApp(server);
        await WinAsync(app);
        using var meters = new MeterRecorder(app);
        using var spans = new ActivityRecorder();

        // Our own parent span: the dispatcher's spans are its children, which tells them from other tests' sends.
        string traceId;
        using (var parent = ActivityRecorder.TestSource.StartActivity("test"))
        {
            traceId = parent!.TraceId.ToString();
            Assert.Equal(1, await app.DispatchAsync());
        }

        Assert.Equal(1, Sum(meters, "themodel.outbox.sent", OutboxChannels.Webhook));
        Assert.Empty(meters.Of("themodel.outbox.failed"));
        var send = Assert.Single(spans.Stopped("outbox.send"), a => a.TraceId.ToString() == traceId);
        Assert.Equal(OutboxChannels.Webhook, send.GetTagItem("platform"));
        Assert.Equal(OutboxKinds.WebhookWon, send.GetTagItem("kind"));
        Assert.Equal("sent", send.GetTagItem("outcome"));
    }

    [Fact]
    public async Task Dispatch_RowRefusedForGood_CountsFailedNotSent()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = static (_, response) =>
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            return Task.CompletedTask;
        };
        await using var app = WebhookApp(server);
        await WinAsync(app);
        using var meters = new MeterRecorder(app);

        Assert.Equal(1, await app.DispatchAsync());

        Assert.Equal(1, Sum(meters, "themodel.outbox.failed", OutboxChannels.Webhook));
        Assert.Empty(meters.Of("themodel.outbox.sent"));
    }

    [Fact]
    public async Task BacklogGauges_ReadTheStoreAtMostOncePerInterval_ByPlatform()
    {
        await using var app = new TheModelApp();
        using var meters = new MeterRecorder(app);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await AddPendingAsync(app, OutboxChannels.Slack, now.AddSeconds(-90), now.AddSeconds(-30));

        meters.Collect();
        Assert.Equal(2, Gauge(meters, "themodel.outbox.pending", OutboxChannels.Slack));
        Assert.Equal(90, Gauge(meters, "themodel.outbox.oldest_pending_age", OutboxChannels.Slack));
        Assert.Equal(0, Gauge(meters, "themodel.outbox.pending", OutboxChannels.Teams));
        Assert.Equal(0, Gauge(meters, "themodel.outbox.oldest_pending_age", OutboxChannels.Teams));

        // Within the interval the gauges repeat the last reading; the store is not asked again.
        await AddPendingAsync(app, OutboxChannels.Teams, now.AddSeconds(-10));
        meters.Collect();
        Assert.Equal(0, Gauge(meters, "themodel.outbox.pending", OutboxChannels.Teams));

        app.Clock.Advance(OutboxBacklog.MaxAge);
        meters.Collect();
        Assert.Equal(1, Gauge(meters, "themodel.outbox.pending", OutboxChannels.Teams));
        Assert.Equal(10 + OutboxBacklog.MaxAge.TotalSeconds, Gauge(meters, "themodel.outbox.oldest_pending_age", OutboxChannels.Teams));
        Assert.Equal(2, Gauge(meters, "themodel.outbox.pending", OutboxChannels.Slack));
    }

    /// <summary>The last value the gauge reported for the platform.</summary>
    private static double Gauge(MeterRecorder meters, string instrument, string platform) =>
        meters.Of(instrument).Last(m => m.Has("platform", platform)).Value;

    private static Task AddPendingAsync(TheModelApp app, string channel, params DateTime[] createdAt) => app.WithDbAsync(async db =>
    {
        foreach (var at in createdAt)
        {
            db.Outbox.Add(new OutboxMessage
            {
                Channel = channel, Target = "C1", Kind = OutboxKinds.ChatReply, DedupeKey = $"test:{Guid.NewGuid()}",
                CreatedAt = at, NextAttemptAt = at.AddDays(1),
            });
        }
        await db.SaveChangesAsync();
    });
}
