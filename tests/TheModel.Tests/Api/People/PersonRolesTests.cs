using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.People;

/// <summary>Roles in the directory over the REST API: who may set them, Admin:Emails, and the event every change leaves.</summary>
public class PersonRolesTests
{
    [Fact]
    public async Task Get_NewPerson_IsAMember()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var id = await client.AddPersonAsync("佐藤", "sato@example.co.jp", "IS");

        var person = await client.GetAsync($"/api/people/{id}").OkJsonAsync();

        Assert.Equal("member", person.Str("role"));
        Assert.Equal(0, (await app.CountsAsync()).Events);
    }

    [Fact]
    public async Task Put_AdminKeySetsRole_RecordsWhoWhenAndOldToNew()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var id = await client.AddPersonAsync("山口 部長", "yamaguchi@example.co.jp", "IS");
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var updated = await client.PutAsJsonAsync($"/api/people/{id}", new { name = "山口 部長", department = "IS", role = "Manager" }).OkJsonAsync();

        Assert.Equal("manager", updated.Str("role"));
        var e = await app.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(x => x.Type == LeadEventType.RoleChanged));
        Assert.Equal("crm-admin", e.Actor);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, e.At);
        Assert.Equal(Department.IS, e.Department);
        using var data = JsonDocument.Parse(e.Data!);
        Assert.Equal(id, data.RootElement.GetProperty("personId").GetGuid());
        Assert.Equal(("member", "manager"), (data.RootElement.GetProperty("from").GetString(), data.RootElement.GetProperty("to").GetString()));
    }

    [Fact]
    public async Task Put_SameRoleAgain_RecordsNoEvent()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var id = await client.AddPersonAsync("A", "a@example.co.jp", "IS");

        await client.PutAsJsonAsync($"/api/people/{id}", new { name = "A", department = "IS", role = "member" }).OkJsonAsync();

        Assert.Equal(0, (await app.CountsAsync()).Events);
    }

    [Fact]
    public async Task Put_UnknownRole_Returns400NamingTheField()
    {
        await using var app = new TheModelApp().WithKeys();

        var response = await app.Client().PutAsJsonAsync("/api/people", new { name = "A", email = "a@example.co.jp", department = "IS", role = "owner" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "role");
        Assert.Equal(0, (await app.CountsAsync()).People);
    }

    [Theory]
    [InlineData("role", "admin")]
    [InlineData("slackUserId", "U0ATTACKER")]
    [InlineData("teamsAadObjectId", "aad-attacker")]
    [InlineData("teamsUserId", "29:attacker")]
    public async Task Put_WriteKeyChangingRoleOrIdentity_Returns403AndChangesNothing(string field, string value)
    {
        await using var app = new TheModelApp().WithKeys();
        var id = await app.Client().AddPersonAsync("A", "a@example.co.jp", "IS", slackUserId: "U0A");
        var body = new Dictionary<string, object?> { ["name"] = "Renamed", ["department"] = "FS", [field] = value };

        var response = await app.Client(ApiKit.WriteKey).PutAsJsonAsync($"/api/people/{id}", body);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(field, problem.Str("detail"));
        var person = await app.WithDbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(("A", Department.IS, PersonRole.Member, "U0A", null, null), (person.Name, person.Department, person.Role, person.SlackUserId, person.TeamsAadObjectId, person.TeamsUserId));
        Assert.Equal(0, (await app.CountsAsync()).Events);
    }

    [Fact]
    public async Task Put_WriteKeyAddingPersonWithSlackId_Returns403AndAddsNobody()
    {
        await using var app = new TheModelApp().WithKeys();

        var response = await app.Client(ApiKit.WriteKey).PutAsJsonAsync("/api/people", new { name = "B", email = "b@example.co.jp", department = "IS", slackUserId = "U0B" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, (await app.CountsAsync()).People);
    }

    [Fact]
    public async Task Put_WriteKeyOtherFieldsOrSameIdentity_IsAllowed()
    {
        await using var app = new TheModelApp().WithKeys();
        var id = await app.Client().AddPersonAsync("A", "a@example.co.jp", "IS", slackUserId: "U0A");

        var updated = await app.Client(ApiKit.WriteKey)
            .PutAsJsonAsync($"/api/people/{id}", new { name = "A", department = "FS", capacity = 3, slackUserId = "U0A", role = "member" }).OkJsonAsync();

        Assert.Equal(("FS", 3), (updated.Str("department"), updated.GetProperty("capacity").GetInt32()));
    }

    [Fact]
    public async Task Put_EmailInAdminEmails_MakesAnAdminWhenAddedAndKeepsThemOne()
    {
        await using var app = new TheModelApp().WithKeys();
        app.Settings["Admin:Emails"] = "ops@example.co.jp, Boss@Example.co.jp";

        var added = await app.Client(ApiKit.WriteKey).PutAsJsonAsync("/api/people", new { name = "Boss", email = "boss@EXAMPLE.co.jp", department = "MK" })
            .OkJsonAsync(HttpStatusCode.Created);
        var demoted = await app.Client().PutAsJsonAsync($"/api/people/{added.Id()}", new { name = "Boss", department = "MK", role = "member" }).OkJsonAsync();

        Assert.Equal("admin", added.Str("role"));
        Assert.Equal("admin", demoted.Str("role"));
        var e = await app.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(x => x.Type == LeadEventType.RoleChanged));
        Assert.Equal("crm-writer", e.Actor);
        Assert.Equal("Boss: member → admin", e.Reason);
    }

    [Fact]
    public async Task Start_AdminEmailThatIsNoEmail_StopsNamingTheKey()
    {
        await using var app = new TheModelApp();
        app.Settings["Admin:Emails"] = "ops@example.co.jp;not-an-email";

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("Admin:Emails:1", error.ToString());
    }
}
