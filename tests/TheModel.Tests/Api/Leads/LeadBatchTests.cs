using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Leads;

public class LeadBatchTests
{
    private static object Lead(int i, int score = 50) => new
    {
        externalId = $"ma-{i}",
        name = $"担当者 {i}",
        email = $"person{i}@company{i % 40}.co.jp",
        company = $"株式会社テスト{i % 40}",
        score,
        source = "webinar",
    };

    [Fact]
    public async Task Batch_OfAThousand_StoresAll_AndOffersTheMqlsFairly()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.AddPersonAsync("A", "a@example.co.jp", "IS", capacity: 100);
        await client.AddPersonAsync("B", "b@example.co.jp", "IS", capacity: 100);
        var leads = Enumerable.Range(0, 1000).Select(i => Lead(i, score: i % 10 == 0 ? 90 : 40)).ToList();

        var result = await client.PostAsJsonAsync("/api/leads/batch", new { leads }).OkJsonAsync();

        Assert.Equal(1000, result.GetProperty("created").GetInt32());
        Assert.Equal(100, result.GetProperty("mqls").GetInt32());
        var (leadCount, perAssignee) = await app.WithDbAsync(async db => (
            await db.Leads.CountAsync(),
            await db.Handoffs.GroupBy(h => h.AssigneeId).Select(g => g.Count()).ToListAsync()));
        Assert.Equal(1000, leadCount);
        // Round robin inside one unit of work: 50 each, not 100 to whoever came first.
        Assert.Equal([50, 50], perAssignee.Order());
    }

    [Fact]
    public async Task Batch_BeyondEveryonesCapacity_SendsTheRestToTheQueue()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.AddPersonAsync("A", "a@example.co.jp", "IS", capacity: 3);
        await client.AddPersonAsync("B", "b@example.co.jp", "IS", capacity: 2);
        var leads = Enumerable.Range(0, 8).Select(i => Lead(i, 90)).ToList();

        await client.PostAsJsonAsync("/api/leads/batch", new { leads }).OkJsonAsync();

        var byAssignee = await app.WithDbAsync(db => db.Handoffs.GroupBy(h => h.AssigneeId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync());
        Assert.Equal(3, byAssignee.Single(x => x.Key == null).Count);
        Assert.Equal([2, 3], byAssignee.Where(x => x.Key != null).Select(x => x.Count).Order());
    }

    [Fact]
    public async Task Batch_SentTwice_UpdatesInsteadOfDuplicating()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var leads = Enumerable.Range(0, 20).Select(i => Lead(i, 85)).ToList();
        await client.PostAsJsonAsync("/api/leads/batch", new { leads }).OkJsonAsync();

        var again = await client.PostAsJsonAsync("/api/leads/batch", new { leads }).OkJsonAsync();

        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(20, again.GetProperty("updated").GetInt32());
        Assert.Equal(0, again.GetProperty("mqls").GetInt32());
        var counts = await app.CountsAsync();
        Assert.Equal(20, counts.Leads);
        Assert.Equal(20, counts.Handoffs);
    }

    [Fact]
    public async Task Batch_Of1001_Returns400_AndStoresNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var leads = Enumerable.Range(0, 1001).Select(i => Lead(i)).ToList();

        var response = await client.PostAsJsonAsync("/api/leads/batch", new { leads });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "leads");
        Assert.Equal(0, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task Batch_WithOneBadLead_Returns400NamingIt_AndStoresNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var leads = Enumerable.Range(0, 10).Select(i => i == 7
            ? new { externalId = "bad", name = "x", email = "not-an-email", company = "c", score = 101, source = "x" }
            : Lead(i, 90)).ToList<object>();

        var response = await client.PostAsJsonAsync("/api/leads/batch", new { leads });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "leads[7].email");
        Assert.True(problem.GetProperty("errors").TryGetProperty("leads[7].score", out _));
        var counts = await app.CountsAsync();
        Assert.Equal((0, 0, 0, 0), (counts.Leads, counts.Handoffs, counts.Events, counts.Outbox));
    }

    [Fact]
    public async Task Batch_EmptyOrNullItem_Returns400()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await (await client.PostRawAsync("/api/leads/batch", "{\"leads\":[]}")).AssertProblemAsync(HttpStatusCode.BadRequest, "leads");
        await (await client.PostRawAsync("/api/leads/batch", "{}")).AssertProblemAsync(HttpStatusCode.BadRequest, "leads");
        await (await client.PostRawAsync("/api/leads/batch", "{\"leads\":[null]}")).AssertProblemAsync(HttpStatusCode.BadRequest, "leads[0]");
    }

    [Fact]
    public async Task Batch_SameExternalIdTwiceInOneBatch_IsOneLead()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var result = await client.PostAsJsonAsync("/api/leads/batch", new { leads = new[] { Lead(1, 30), Lead(1, 90) } }).OkJsonAsync();
        Assert.Equal(1, result.GetProperty("created").GetInt32());
        Assert.Equal(1, result.GetProperty("updated").GetInt32());
        var counts = await app.CountsAsync();
        Assert.Equal((1, 1), (counts.Leads, counts.Handoffs));
    }
}
