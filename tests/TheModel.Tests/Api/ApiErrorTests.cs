using System.Net;
using System.Net.Http.Json;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api;

/// <summary>Every bad input of the issue gets its code, a problem body, and changes nothing.</summary>
public class ApiErrorTests
{
    [Theory]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\"", null)]
    [InlineData("not json at all", null)]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"score\":\"high\"}", "score")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"score\":85.5}", "score")]
    [InlineData("{\"name\":[1,2],\"company\":\"アクメ\"}", "name")]
    [InlineData("{\"company\":\"アクメ\",\"score\":85}", "name")]
    [InlineData("{\"name\":\"田中\",\"score\":85}", "company")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"score\":101}", "score")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"score\":-1}", "score")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"email\":\"tanaka@\"}", "email")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"email\":\"tanaka acme.co.jp\"}", "email")]
    [InlineData("{\"name\":\"田中\",\"company\":\"アクメ\",\"phone\":\"012345678901234567890123456789012345678901234567890\"}", "phone")]
    [InlineData("", null)]
    [InlineData("[{\"name\":\"田中\",\"company\":\"アクメ\"}]", "body")]
    public async Task PostLead_BadInput_Returns400ProblemWithField_AndChangesNothing(string body, string? field)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();

        var response = await client.PostRawAsync("/api/leads", body);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        var counts = await app.CountsAsync();
        Assert.Equal((0, 0, 0), (counts.Leads, counts.Events, counts.Outbox));
    }

    [Fact]
    public async Task PostLead_NameLongerThanTheColumn_Returns400()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client().PostLeadAsync(new { name = new string('あ', 201), company = "アクメ" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "name");
    }

    [Fact]
    public async Task PostLead_BodyOverOneMegabyte_Returns413()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var huge = "{\"name\":\"田中\",\"company\":\"" + new string('x', 1024 * 1024) + "\"}";

        var response = await client.PostRawAsync("/api/leads", huge);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task PostBatch_ChunkedBodyOverOneMegabyte_Returns413()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var huge = new string(' ', 1024 * 1024 + 10) + "{\"leads\":[]}";
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge)));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/leads/batch") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownIds_Return404Problems()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var id = Guid.NewGuid();
        await (await client.GetAsync($"/api/leads/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PatchAsJsonAsync($"/api/leads/{id}", new { score = 10 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"/api/leads/{id}/won", new { amount = 10 })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"/api/leads/{id}/lost", new { reason = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"/api/leads/{id}/activities", new { note = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsJsonAsync($"/api/leads/{id}/qualify", new { budget = 1, authority = "a", need = "n", timeline = "t" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync($"/api/people/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/departments/XX")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/leads/not-a-guid")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/outbox/999/retry", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StageChanges_BadBodies_Return400WithFieldErrors()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);
        var id = lead.Id();
        var before = await app.CountsAsync();

        var qualify = await client.PostAsJsonAsync($"/api/leads/{id}/qualify", new { budget = 100, authority = "部長" });
        var problem = await qualify.AssertProblemAsync(HttpStatusCode.BadRequest, "need");
        Assert.True(problem.GetProperty("errors").TryGetProperty("timeline", out _));
        await (await client.PostAsJsonAsync($"/api/leads/{id}/won", new { amount = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/won", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/lost", new { reason = " " })).AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/activities", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "note");
        await (await client.PatchAsJsonAsync($"/api/leads/{id}", new { score = 200 })).AssertProblemAsync(HttpStatusCode.BadRequest, "score");
        await (await client.PatchAsJsonAsync($"/api/leads/{id}", new { email = "nope" })).AssertProblemAsync(HttpStatusCode.BadRequest, "email");
        // An inquiry cannot be won: 409 with the stage it is in.
        var wrongStage = await (await client.PostAsJsonAsync($"/api/leads/{id}/won", new { amount = 100 })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Inquiry", wrongStage.Str("stage"));

        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task PostLead_AsPlainText_Returns415Problem()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client().PostAsync("/api/leads", new StringContent("name=田中", System.Text.Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task QueryOfTheWrongType_Returns400Problem()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client().GetAsync("/api/leads?limit=ten");
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task OpenApiDocument_And_Healthz_AreServedWithoutAKey()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client(key: null);
        var health = await client.GetAsync("/healthz").OkJsonAsync();
        Assert.Equal("healthy", health.Str("status"));
        var openApi = await client.GetAsync("/openapi/v1.json").OkJsonAsync();
        Assert.Equal("X-Api-Key", openApi.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey").Str("name"));
        var paths = openApi.GetProperty("paths");
        foreach (var path in new[] { "/api/leads", "/api/leads/batch", "/api/leads/{id}/qualify", "/api/handoffs/{id}/accept",
                     "/api/people", "/api/departments/{code}", "/api/funnel", "/api/kpis", "/api/plan", "/api/settings/qualification", "/api/outbox" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"OpenAPI lacks {path}");
        }
    }
}

/// <summary>A write race a request loses after its one retry answers 409 with a problem body, never 500.</summary>
public class LostRaceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LostWriteRace_Answers409Problem(bool uniqueViolation)
    {
        await using var app = new TheModelApp();
        var problems = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(app.Services);
        var handler = new TheModel.Api.BadRequestExceptionHandler(problems);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
        context.Response.Body = new MemoryStream();
        Exception lost = uniqueViolation
            ? new Microsoft.EntityFrameworkCore.DbUpdateException("insert",
                new Microsoft.Data.Sqlite.SqliteException("SQLite Error 19: 'UNIQUE constraint failed: Leads.ExternalId'.", 19, 2067))
            : new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException("update");

        Assert.True(await handler.TryHandleAsync(context, lost, CancellationToken.None));

        Assert.Equal(409, context.Response.StatusCode);
        Assert.Contains("Concurrent change", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task OtherStoreFailures_AreNotDressedUpAsRaces()
    {
        await using var app = new TheModelApp();
        var problems = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(app.Services);
        var handler = new TheModel.Api.BadRequestExceptionHandler(problems);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = app.Services };
        var notNull = new Microsoft.EntityFrameworkCore.DbUpdateException("insert",
            new Microsoft.Data.Sqlite.SqliteException("SQLite Error 19: 'NOT NULL constraint failed: Leads.Name'.", 19, 1299));

        Assert.False(await handler.TryHandleAsync(context, notNull, CancellationToken.None));
    }
}
