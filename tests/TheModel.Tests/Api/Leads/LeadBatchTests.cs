using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Batch_ThenOneMore_RoundRobinContinuesAfterTheBatchsLastAssignment()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        // Least recently assigned first is the reverse of id order, so an id tie-break cannot pass for round robin.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var reps = Enumerable.Range(1, 3).Select(i => new TheModel.Api.People.Person
        {
            Id = Guid.Parse($"00000000-0000-0000-0000-00000000000{i}"), Name = $"Rep {i}", Email = $"rep{i}@example.co.jp",
            Department = TheModel.Api.People.Department.IS, LastAssignedAt = now.AddDays(-i),
        }).ToList();
        await app.WithDbAsync(db =>
        {
            db.People.AddRange(reps);
            return db.SaveChangesAsync();
        });

        var batch = await client.PostAsJsonAsync("/api/leads/batch", new { leads = Enumerable.Range(0, 3).Select(i => Lead(i, 90)) }).OkJsonAsync();
        var single = await client.PostAsJsonAsync("/api/leads/batch", new { leads = new[] { Lead(3, 90) } }).OkJsonAsync();

        var order = batch.GetProperty("leads").EnumerateArray().Select(l => l.GetProperty("assigneeId").GetGuid()).ToList();
        Assert.Equal([reps[2].Id, reps[1].Id, reps[0].Id], order);
        // The batch's stamps are instants apart within one clock reading: they must survive the store's precision.
        Assert.Equal(reps[2].Id, single.GetProperty("leads")[0].GetProperty("assigneeId").GetGuid());
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
    [Fact]
    public async Task Batch_LosesARaceOnAnExternalId_RetriesFromScratch_WithoutTheFirstAttemptsRows()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.AddPersonAsync("A", "a@example.co.jp", "IS", capacity: 100);
        var inputs = Enumerable.Range(0, 60).Select(i => new TheModel.Api.Leads.LeadInput($"ma-{i}", $"担当者 {i}", $"p{i}@c{i}.co.jp", null,
            $"株式会社{i}", null, null, "webinar", i % 2 == 0 ? 90 : 40, null)).ToList();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>();
        var intake = scope.ServiceProvider.GetRequiredService<TheModel.Api.Leads.LeadIntake>();
        await intake.IntakeAsync(inputs, TheModel.Api.Common.Actor.Client("api:test"));
        // Another request stores one of the batch's leads between our read and our write.
        await client.PostLeadAsync(new { externalId = "ma-7", name = "先着", company = "株式会社7", score = 10 }).OkJsonAsync(HttpStatusCode.Created);

        var ex = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(TheModel.Api.Common.ApiActors.IsUniqueViolation(ex));
        db.DiscardChanges();
        await intake.IntakeAsync(inputs, TheModel.Api.Common.Actor.Client("api:test"));
        await db.SaveChangesAsync();

        // Nothing of the failed attempt: one lead per externalId (the other request's created ma-7), one event each.
        var (leads, created, offered, events) = await app.WithDbAsync(async d => (
            await d.Leads.CountAsync(),
            await d.Events.CountAsync(e => e.Type == TheModel.Api.Events.LeadEventType.LeadCreated),
            await d.Handoffs.CountAsync(),
            await d.Events.CountAsync(e => e.Type == TheModel.Api.Events.LeadEventType.HandoffOffered)));
        Assert.Equal((60, 60, 30, 30), (leads, created, offered, events));
        Assert.Equal("ma-7", (await app.WithDbAsync(d => d.Leads.SingleAsync(l => l.Name == "担当者 7"))).ExternalId);
    }
    [Fact]
    public async Task UntrackedRows_OfAUnitOfWorkThatNeverSaved_DoNotReachTheNextUserOfThePooledContext()
    {
        await using var app = new TheModelApp().WithKeys();
        TheModel.Api.Store.TheModelDb first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>();
            first.UntrackedInserts = true;
            var now = app.Clock.GetUtcNow().UtcDateTime;
            first.AddNew(new TheModel.Api.Leads.Lead { Name = "never saved", Company = "x", CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now });
            first.UntrackedInserts = false;
            // The request fails here: no save; the scope ends and the context goes back to the pool.
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var next = scope.ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>();
            Assert.Same(first, next); // pooled: the same instance serves the next unit of work
            Assert.Equal(0, await next.SaveChangesAsync());
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Leads.CountAsync(l => l.Name == "never saved")));
    }
}
