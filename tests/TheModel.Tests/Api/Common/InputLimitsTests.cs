using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Common;

/// <summary>Every string a CRM or an admin sends has a limit: 10,000 characters are answered 400 naming the field, and nothing is stored.</summary>
public class InputLimitsTests
{
    private static readonly string Huge = new('x', 10_000);

    [Theory]
    [InlineData("name")]
    [InlineData("company")]
    [InlineData("email")]
    [InlineData("externalId")]
    [InlineData("title")]
    [InlineData("domain")]
    [InlineData("phone")]
    [InlineData("source")]
    public async Task CreateLead_TenThousandCharacters_Is400NamingTheField_AndStoresNothing(string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var lead = new Dictionary<string, object?> { ["name"] = "Hana Sato", ["company"] = "Acme", ["email"] = "hana@acme.example", [field] = Huge };

        await (await app.Client().PostAsJsonAsync("/api/leads", lead)).AssertProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(0, await app.WithDbAsync(db => db.Leads.CountAsync()));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("email")]
    public async Task PutPerson_TenThousandCharacters_Is400NamingTheField_AndStoresNothing(string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var person = new Dictionary<string, object?> { ["name"] = "Hana Sato", ["email"] = "hana@acme.example", ["department"] = "IS", [field] = Huge };

        await (await app.Client().PutAsJsonAsync("/api/people", person)).AssertProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(0, await app.WithDbAsync(db => db.People.CountAsync()));
    }

    [Fact]
    public async Task PutDepartment_TenThousandCharacterDisplayName_Is400()
    {
        await using var app = new TheModelApp().WithKeys();

        await (await app.Client().PutAsJsonAsync("/api/departments/IS", new { displayName = Huge })).AssertProblemAsync(HttpStatusCode.BadRequest, "displayName");

        Assert.Equal(0, await app.WithDbAsync(db => db.Departments.CountAsync(d => d.DisplayName == Huge)));
    }

    [Fact]
    public async Task SearchLeads_TenThousandCharacterQuery_Is400()
    {
        await using var app = new TheModelApp().WithKeys();
        await (await app.Client().GetAsync("/api/leads?q=" + Huge)).AssertProblemAsync(HttpStatusCode.BadRequest, "q");
    }

    [Fact]
    public async Task LeadNotes_TenThousandCharacters_Are400_AndStoreNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = (await client.PostLeadAsync(new { name = "Hana Sato", company = "Acme", score = 10 }).OkJsonAsync(HttpStatusCode.Created)).Id();
        var events = await app.WithDbAsync(db => db.Events.CountAsync());

        await (await client.PostAsJsonAsync($"/api/leads/{lead}/lost", new { reason = Huge })).AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { note = Huge })).AssertProblemAsync(HttpStatusCode.BadRequest, "note");

        Assert.Equal(events, await app.WithDbAsync(db => db.Events.CountAsync()));
        Assert.Null(await app.WithDbAsync(db => db.Leads.Select(l => l.LostReason).SingleAsync()));
    }

    [Fact]
    public async Task RejectHandoff_TenThousandCharacterNote_Is400_AndTheHandoffStaysOpen()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var rep = await client.AddPersonAsync("Riko Sato", "riko@example.jp", "IS");
        var handoff = (await client.PostLeadAsync(new { name = "Hana Sato", company = "Acme", score = 90 }).OkJsonAsync(HttpStatusCode.Created))
            .GetProperty("offered").Id();

        await (await client.PostAsJsonAsync($"/api/handoffs/{handoff}/reject", new { personId = rep, reason = "NoBudget", note = Huge }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "note");

        var stored = await app.WithDbAsync(db => db.Handoffs.SingleAsync(h => h.Id == handoff));
        Assert.Equal(HandoffState.Offered, stored.State);
        Assert.Null(stored.RejectNote);
    }

    [Fact]
    public void NoteLimit_IsTheCardsInputLimitOnBothPlatforms()
    {
        Assert.Equal(InputLimits.Note, AdaptiveCardRenderer.MaxNoteLength);
        Assert.Equal(InputLimits.Note, BlockKitRenderer.MaxNoteLength);
    }
}
