using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api;

/// <summary>API keys and small HTTP helpers shared by the REST API tests.</summary>
public static class ApiKit
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string WriteKey = "test-write-key-0123456789";
    public const string ReadKey = "test-read-key-0123456789";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>Configures an admin, a write and a read key (call before the first request).</summary>
    public static TheModelApp WithKeys(this TheModelApp app)
    {
        app.Settings["Api:Keys:0:Name"] = "crm-admin";
        app.Settings["Api:Keys:0:Key"] = AdminKey;
        app.Settings["Api:Keys:0:Scopes"] = "admin";
        app.Settings["Api:Keys:1:Name"] = "crm-writer";
        app.Settings["Api:Keys:1:Key"] = WriteKey;
        app.Settings["Api:Keys:1:Scopes"] = "write";
        app.Settings["Api:Keys:2:Name"] = "dashboard";
        app.Settings["Api:Keys:2:Key"] = ReadKey;
        app.Settings["Api:Keys:2:Scopes"] = "read";
        return app;
    }

    public static HttpClient Client(this TheModelApp app, string? key = AdminKey)
    {
        var client = app.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> OkJsonAsync(this Task<HttpResponseMessage> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem response with the status (and, when given, a field-level error for <paramref name="field"/>).</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (field is not null)
        {
            Assert.True(problem.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _),
                $"expected a field error for '{field}': {body}");
        }
        return problem;
    }

    public static async Task<Guid> AddPersonAsync(this HttpClient client, string name, string email, string department,
        Guid? managerId = null, int? capacity = null, bool? available = null, string? slackUserId = null)
    {
        var person = await client.PutAsJsonAsync("/api/people", new { name, email, department, managerId, capacity, available, slackUserId })
            .OkJsonAsync(HttpStatusCode.Created);
        return person.GetProperty("id").GetGuid();
    }

    public static Task<HttpResponseMessage> PostLeadAsync(this HttpClient client, object lead) => client.PostAsJsonAsync("/api/leads", lead);

    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    public static Guid Id(this JsonElement element, string property = "id") => element.GetProperty(property).GetGuid();

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString() ?? "";

    /// <summary>Row counts of the tables a failed request must leave untouched.</summary>
    public static Task<(int Leads, int Handoffs, int Events, int Outbox, int People)> CountsAsync(this TheModelApp app) =>
        app.WithDbAsync(async db => (db.Leads.Count(), db.Handoffs.Count(), db.Events.Count(), db.Outbox.Count(), db.People.Count()));
}
