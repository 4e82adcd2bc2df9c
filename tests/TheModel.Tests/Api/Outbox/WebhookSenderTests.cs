using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

public class WebhookSenderTests
{
    private const string Secret = "whsec-test-1234";

    private static TheModelApp NewApp(RecordingServer? server, string? secret = Secret)
    {
        var app = new TheModelApp();
        if (server is not null)
        {
            app.Settings["Webhooks:Won:Url"] = server.BaseUrl + "hooks/won";
        }
        if (secret is not null)
        {
            app.Settings["Webhooks:Won:Secret"] = secret;
        }
        app.Settings["Webhooks:Timeout"] = "00:00:01";
        return app;
    }

    /// <summary>A deal won by a field sales rep; queues the webhook the way the won use case does.</summary>
    private static async Task<Lead> WinAsync(TheModelApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var owner = new Person { Name = "Hanako Sato", Email = "hanako@seller.example", Department = Department.FS };
        var lead = new Lead
        {
            ExternalId = "crm-42", Name = "Taro Yamada", Email = "taro@acme.example", Company = "Acme KK", Stage = LeadStage.Won,
            Department = Department.FS, OwnerId = owner.Id, Amount = 1_200_000m, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        db.People.Add(owner);
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<OutboxWriter>().WonWebhookAsync(lead);
        await db.SaveChangesAsync();
        return lead;
    }

    private static Task<OutboxMessage> WebhookRowAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.Channel == OutboxChannels.Webhook));

    [Fact]
    public async Task Send_WonLead_PostsSignedBodyWithIdempotencyId()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var app = NewApp(server);
        var lead = await WinAsync(app);
        Assert.Equal(1, await app.DispatchAsync());

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/won", request.Path);
        var row = await WebhookRowAsync(app);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(OutboxKinds.WebhookWon, row.Kind);
        Assert.Equal(row.Id.ToString(CultureInfo.InvariantCulture), request.Headers[WebhookSender.DeliveryHeader]);

        // Verify as a receiver would: recompute the HMAC over "t.body" and compare.
        var parts = request.Headers[WebhookSender.SignatureHeader].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), parts["t"]);
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(Secret));
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes($"{parts["t"]}.{request.Body}")));
        Assert.Equal(expected, parts["v1"]);
        Assert.NotEqual(expected, WebhookSender.Sign("another-secret", parts["t"], request.Body));

        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("lead.won", body.GetProperty("event").GetString());
        Assert.Equal(lead.Id, body.GetProperty("leadId").GetGuid());
        Assert.Equal("crm-42", body.GetProperty("externalId").GetString());
        Assert.Equal("Acme KK", body.GetProperty("company").GetString());
        Assert.Equal("taro@acme.example", body.GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal(1_200_000m, body.GetProperty("amount").GetDecimal());
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, body.GetProperty("wonAt").GetDateTime().ToUniversalTime());
        Assert.Equal("Hanako Sato", body.GetProperty("owner").GetProperty("name").GetString());
    }

    [Fact]
    public async Task WonWebhook_NoUrlConfigured_QueuesNothing()
    {
        await using var app = NewApp(server: null);
        await WinAsync(app);
        Assert.False(await app.WithDbAsync(db => db.Outbox.AnyAsync(m => m.Channel == OutboxChannels.Webhook)));
    }

    [Theory]
    [InlineData(500, null, 2)]
    [InlineData(503, "120", 120)]
    [InlineData(429, "30", 30)]
    public async Task Send_ServerErrorOrThrottled_RetriesNoSoonerThanRetryAfter(int status, string? retryAfter, int seconds)
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) =>
        {
            response.StatusCode = status;
            if (retryAfter is not null)
            {
                response.Headers.RetryAfter = retryAfter;
            }
            return Task.CompletedTask;
        };
        await using var app = NewApp(server);
        await WinAsync(app);
        await app.DispatchAsync();

        var row = await WebhookRowAsync(app);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddSeconds(seconds), row.NextAttemptAt);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), row.LastError);

        server.Responder = static (_, response) => { response.StatusCode = 204; return Task.CompletedTask; };
        app.Clock.Advance(TimeSpan.FromSeconds(seconds));
        await app.DispatchAsync();
        Assert.Equal(OutboxStatus.Sent, (await WebhookRowAsync(app)).Status);
        Assert.Equal(2, server.Requests.Count);
        Assert.Single(server.Requests.Select(r => r.Headers[WebhookSender.DeliveryHeader]).Distinct());
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    public async Task Send_ClientError_FailsForGood(int status)
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) => { response.StatusCode = status; return Task.CompletedTask; };
        await using var app = NewApp(server);
        await WinAsync(app);
        await app.DispatchAsync();
        var row = await WebhookRowAsync(app);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await app.DispatchAsync());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Send_ReceiverHangs_TimesOutAndRetries()
    {
        await using var server = await RecordingServer.StartAsync();
        var release = new TaskCompletionSource();
        server.Responder = async (_, _) => await release.Task;
        await using var app = NewApp(server);
        await WinAsync(app);
        try
        {
            await app.DispatchAsync();
        }
        finally
        {
            release.TrySetResult();
        }
        var row = await WebhookRowAsync(app);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.Contains("timed out", row.LastError);
    }

    [Fact]
    public async Task Send_NoSecretConfigured_RefusesToSendUnsigned()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var app = NewApp(server, secret: null);
        await WinAsync(app);
        await app.DispatchAsync();
        var row = await WebhookRowAsync(app);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("Secret", row.LastError);
        Assert.Empty(server.Requests);
    }
}
