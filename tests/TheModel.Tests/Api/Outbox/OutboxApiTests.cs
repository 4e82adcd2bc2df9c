using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

/// <summary>Stands in for a channel at the edge of the world: POSTs each row to a <see cref="RecordingServer"/>.</summary>
internal sealed class RecordingSender(string channel, RecordingServer server) : IOutboxSender
{
    public string Channel => channel;

    public async Task<SendResult> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var response = await http.PostAsJsonAsync("outbox", new { message.Kind, message.Target, message.HandoffId, message.DedupeKey }, ct);
        return response.IsSuccessStatusCode
            ? new SendResult.Sent($"http {(int)response.StatusCode}")
            : new SendResult.Failed($"http {(int)response.StatusCode}");
    }
}

public class OutboxApiTests
{
    private static WebApplicationFactory<Program> WithSender(TheModelApp app, Func<IOutboxSender>? sender) =>
        app.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<IOutboxSender>();
            if (sender is not null)
            {
                services.AddScoped(_ => sender());
            }
        }));

    private static async Task QueueHandoffCardAsync(HttpClient client)
    {
        await client.PutAsJsonAsync("/api/departments/IS", new { slackChannelId = "C0BATON" }).OkJsonAsync();
        await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 90 }).OkJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task QueuedMessage_SurvivesARestart_AndIsSentByTheNextProcess()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var app = new TheModelApp().WithKeys();

        // First process: the lead commits with its card in the outbox, then the process goes away before sending.
        var first = WithSender(app, sender: null);
        await QueueHandoffCardAsync(first.CreateClient().WithKey());
        await first.DisposeAsync();

        // Second process on the same database file.
        var second = WithSender(app, () => new RecordingSender(OutboxChannels.Slack, server));
        var pending = await Rows(second).Where(m => m.Status == OutboxStatus.Pending).ToListAsync();
        var card = Assert.Single(pending);
        Assert.Equal(OutboxKinds.HandoffOffered, card.Kind);

        var sent = await second.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync();

        Assert.Equal(1, sent);
        var recorded = Assert.Single(server.Requests);
        Assert.Contains("C0BATON", recorded.Body);
        Assert.Equal(OutboxStatus.Sent, (await Rows(second).SingleAsync()).Status);
        await second.DisposeAsync();
    }

    [Fact]
    public async Task FailedMessage_IsListedForAdmins_AndRetryPutsItBack()
    {
        await using var server = await RecordingServer.StartAsync();
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await QueueHandoffCardAsync(client);
        // No slack sender is registered in the test app: the dispatcher keeps the row as failed.
        await app.DispatchAsync();

        var failed = await client.GetAsync("/api/outbox?status=failed").OkJsonAsync();
        var row = Assert.Single(failed.GetProperty("items").EnumerateArray());
        Assert.Contains("no sender", row.Str("lastError"));
        var id = row.GetProperty("id").GetInt64();

        var retried = await client.PostAsync($"/api/outbox/{id}/retry", null).OkJsonAsync();
        Assert.Equal("Pending", retried.Str("status"));
        Assert.Equal(0, retried.GetProperty("attempts").GetInt32());
        await (await client.PostAsync($"/api/outbox/{id}/retry", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        var withSender = WithSender(app, () => new RecordingSender(OutboxChannels.Slack, server));
        Assert.Equal(1, await withSender.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync());
        Assert.Single(server.Requests);
        await (await client.GetAsync("/api/outbox?status=bogus")).AssertProblemAsync(HttpStatusCode.BadRequest, "status");
    }

    private static IQueryable<OutboxMessage> Rows(WebApplicationFactory<Program> factory) =>
        factory.Services.CreateScope().ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>().Outbox.AsNoTracking();
}

internal static class KeyedClient
{
    public static HttpClient WithKey(this HttpClient client)
    {
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKit.AdminKey);
        return client;
    }
}
