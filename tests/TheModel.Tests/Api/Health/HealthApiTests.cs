using System.Net;
using System.Text.Json;
using TheModel.Api.Outbox;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Health;

public class HealthApiTests
{
    [Fact]
    public async Task Healthz_WithoutKey_IsLiveWithoutAskingTheStore()
    {
        await using var app = new TheModelApp().WithKeys();
        var body = await app.Client(key: null).GetAsync("/healthz").OkJsonAsync();
        Assert.Equal("healthy", body.Str("status"));
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task Readyz_WithoutKey_NamesTheStoreAndOutboxChecks()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client(key: null).GetAsync("/readyz");
        var body = await response.JsonAsync();

        // Whether the store counts as migrated depends on the migrations in the build; the shape does not.
        var checks = Checks(body);
        Assert.Equal(["outbox", "store"], checks.Keys.Order());
        Assert.All(checks.Values, c => Assert.Contains(c.Status, new[] { "healthy", "unhealthy" }));
        Assert.All(checks.Values, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
        Assert.Equal("healthy", checks["outbox"].Status);
        Assert.Equal(checks.Values.All(c => c.Status == "healthy") ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(checks.Values.All(c => c.Status == "healthy") ? "healthy" : "unhealthy", body.Str("status"));
    }

    [Fact]
    public async Task Readyz_PendingRowOlderThanDefaultMaxAge_IsUnhealthyWith503()
    {
        await using var app = new TheModelApp();
        var client = app.Client(key: null);
        await QueueAsync(app);

        app.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("healthy", Checks(await (await client.GetAsync("/readyz")).JsonAsync())["outbox"].Status);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var response = await client.GetAsync("/readyz");
        var body = await response.JsonAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", body.Str("status"));
        var outbox = Checks(body)["outbox"];
        Assert.Equal("unhealthy", outbox.Status);
        Assert.Contains("Health:OutboxMaxAge", outbox.Description);
    }

    [Fact]
    public async Task Readyz_OldRowSent_IsHealthyAgain()
    {
        await using var app = new TheModelApp();
        var id = await QueueAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.WithDbAsync(async db =>
        {
            (await db.Outbox.FindAsync(id))!.Status = OutboxStatus.Sent;
            await db.SaveChangesAsync();
        });

        Assert.Equal("healthy", Checks(await (await app.Client(key: null).GetAsync("/readyz")).JsonAsync())["outbox"].Status);
    }

    [Fact]
    public async Task Readyz_ConfiguredMaxAge_IsUsed()
    {
        await using var app = new TheModelApp();
        app.Settings["Health:OutboxMaxAge"] = "00:01:00";
        await QueueAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        var response = await app.Client(key: null).GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unhealthy", Checks(await response.JsonAsync())["outbox"].Status);
    }

    [SqliteOnlyFact("the store is made unreachable by putting a folder where its file was")]
    public async Task Readyz_StoreUnreachable_IsUnhealthyWith503()
    {
        await using var app = new TheModelApp();
        var client = app.Client(key: null);
        // Removing the file alone is not enough: SQLite would open a new, empty one.
        SqliteFiles.Delete(app.DatabasePath);
        Directory.CreateDirectory(app.DatabasePath);
        try
        {
            var response = await client.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("unhealthy", (await response.JsonAsync()).Str("status"));
            Assert.Equal("unhealthy", Checks(await response.JsonAsync())["store"].Status);
            // Liveness does not depend on the store.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            Directory.Delete(app.DatabasePath);
        }
    }

    private static async Task<long> QueueAsync(TheModelApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var row = new OutboxMessage
        {
            Channel = OutboxChannels.Webhook, Target = "https://example.invalid/hook", Kind = OutboxKinds.WebhookWon,
            DedupeKey = $"health-test:{Guid.NewGuid()}", CreatedAt = now, NextAttemptAt = now,
        };
        await app.WithDbAsync(async db =>
        {
            db.Outbox.Add(row);
            await db.SaveChangesAsync();
        });
        return row.Id;
    }

    private static Dictionary<string, (string Status, string Description)> Checks(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.Str("name"), c => (c.Str("status"), c.Str("description")));
}
