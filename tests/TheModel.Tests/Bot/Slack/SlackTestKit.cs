using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Bot.Slack;
using TheModel.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>A bot with Slack configured, a recording stand-in for Slack's Web API, and requests signed as Slack signs them.</summary>
public sealed class SlackTestKit : IAsyncDisposable
{
    public const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    public const long FixtureTimestamp = 1531420618;
    public const string BotUserId = "UBOT";

    /// <summary>Monday 16 November 2026, 10:00 in Tokyo: a business morning, where the card-flow tests start.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);

    private int ts;

    public TheModelApp App { get; }
    public RecordingServer Slack { get; }
    public HttpClient Client { get; }
    /// <summary>users.info answers, by Slack user id (absent: <c>user_not_found</c>).</summary>
    public Dictionary<string, string> UserEmails { get; } = [];

    private SlackTestKit(TheModelApp app, RecordingServer slack)
    {
        App = app;
        Slack = slack;
        slack.Responder = RespondAsync;
        Client = app.CreateClient();
    }

    /// <param name="settings">Further settings (the app starts here, so they cannot be added afterwards).</param>
    /// <param name="configure">More set-up of the app, before it starts.</param>
    public static async Task<SlackTestKit> StartAsync(DateTimeOffset? now = null, string? databasePath = null, RecordingServer? slack = null,
        IReadOnlyDictionary<string, string?>? settings = null, Action<TheModelApp>? configure = null)
    {
        slack ??= await RecordingServer.StartAsync();
        var app = new TheModelApp(new FakeClock(now ?? DateTimeOffset.FromUnixTimeSeconds(FixtureTimestamp)), databasePath);
        Configure(app, slack);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            app.Settings[key] = value;
        }
        configure?.Invoke(app);
        return new SlackTestKit(app, slack);
    }

    public static void Configure(TheModelApp app, RecordingServer slack)
    {
        app.Settings["Slack:SigningSecret"] = "an-old-secret-still-accepted";
        app.Settings["Slack:SigningSecrets:0"] = Secret;
        app.Settings["Slack:BotToken"] = "xoxb-test-token";
        app.Settings["Slack:ApiBaseUrl"] = slack.BaseUrl + "api/";
        app.Settings["Slack:BotUserId"] = BotUserId;
        app.Settings["Slack:AutoRun"] = "false";
    }

    public IReadOnlyList<RecordedRequest> Calls(string method) => Slack.Requests.Where(r => r.Path == "/api/" + method).ToList();

    public static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    /// <summary>Every string value under <paramref name="node"/>: what the blocks would show, without JSON escaping.</summary>
    public static string Texts(JsonNode? node) => node switch
    {
        JsonArray array => string.Join("\n", array.Select(Texts)),
        JsonObject obj => string.Join("\n", obj.Select(p => Texts(p.Value))),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => "",
    };

    /// <summary>The stand-in's normal answers (tests wrap it to inject failures).</summary>
    public async Task RespondAsync(RecordedRequest request, HttpResponse response)
    {
        response.ContentType = "application/json";
        var method = request.Path.Replace("/api/", "");
        string answer;
        switch (method)
        {
            case "chat.postMessage":
                var channel = Body(request)["channel"]!.GetValue<string>();
                answer = JsonSerializer.Serialize(new { ok = true, channel, ts = $"1700000000.{Interlocked.Increment(ref ts):D6}" });
                break;
            case "conversations.open":
                var users = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Body)["users"].ToString();
                answer = JsonSerializer.Serialize(new { ok = true, channel = new { id = "D" + users } });
                break;
            case "users.info":
                var user = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.Query)["user"].ToString();
                answer = UserEmails.TryGetValue(user, out var email)
                    ? JsonSerializer.Serialize(new { ok = true, user = new { id = user, real_name = "Slack " + user, locale = "en-US", profile = new { email } } })
                    : "{\"ok\":false,\"error\":\"user_not_found\"}";
                break;
            default:
                answer = "{\"ok\":true}";
                break;
        }
        await response.WriteAsync(answer);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string body, string contentType, long? timestamp = null, string? secret = null, string? signature = null)
    {
        var stamp = (timestamp ?? App.Clock.GetUtcNow().ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Add("X-Slack-Request-Timestamp", stamp);
        request.Headers.Add("X-Slack-Signature", signature ?? SlackSignature.Sign(secret ?? Secret, stamp, bytes));
        return Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PostEventAsync(string json, long? timestamp = null) =>
        PostAsync("/slack/events", json, "application/json", timestamp);

    public Task<HttpResponseMessage> PostInteractionAsync(string payloadJson) =>
        PostAsync("/slack/interactivity", "payload=" + Uri.EscapeDataString(payloadJson), "application/x-www-form-urlencoded");

    public Task<HttpResponseMessage> PostCommandAsync(string text, string user = "UASSIGNEE", string channel = "CIS") =>
        PostAsync("/slack/commands",
            $"token=x&team_id=T1&team_domain=acme&channel_id={channel}&channel_name=sales&user_id={user}&user_name=rep&command=%2Fbaton" +
            $"&text={Uri.EscapeDataString(text)}&api_app_id=A1&response_url={Uri.EscapeDataString(Slack.BaseUrl + "commands/T1/1/abc")}&trigger_id=1.2.3",
            "application/x-www-form-urlencoded");

    /// <summary>Runs queued Slack work, then the outbox, until both are quiet.</summary>
    public async Task DrainAsync()
    {
        var worker = App.Services.GetRequiredService<SlackInboundWorker>();
        while (await worker.RunOnceAsync() + await App.DispatchAsync() > 0)
        {
        }
    }

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "slack", name));

    public async Task<T> Db<T>(Func<TheModelDb, Task<T>> action) => await App.WithDbAsync(action);

    /// <summary>The ts of the handoff card posted to <paramref name="channel"/>.</summary>
    public Task<string> CardTsAsync(string channel = "CIS") =>
        Db(db => db.PostedCards.Where(p => p.ConversationId == channel).Select(p => p.MessageId).SingleAsync());

    /// <summary>Posts the offer's cards, accepts it as the assignee from its card in <paramref name="channel"/> and sends the updates; that card's ts.</summary>
    public async Task<string> AcceptFromChannelAsync(Guid handoffId, string channel = "CIS")
    {
        await DrainAsync();
        var ts = await CardTsAsync(channel);
        var accepted = await PostInteractionAsync(BlockAction(CardActions.Accept, handoffId.ToString(), channel: channel, messageTs: ts));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await DrainAsync();
        return ts;
    }

    /// <summary>
    /// Inside Sales with its Slack channel <c>CIS</c>, an assignee <c>UASSIGNEE</c>, their manager <c>UMANAGER</c>,
    /// an outsider <c>UOTHER</c> in Field Sales, and one MQL → IS handoff offered to the assignee.
    /// </summary>
    public async Task<Seeded> SeedHandoffAsync(bool assigneeLinked = true)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var manager = new Person { Name = "Manager", Email = "manager@acme.test", Department = Department.IS, SlackUserId = "UMANAGER", Locale = "en-US" };
        var assignee = new Person { Name = "Rep", Email = "rep@acme.test", Department = Department.IS, ManagerId = manager.Id, SlackUserId = assigneeLinked ? "UASSIGNEE" : null, Locale = "en-US" };
        var other = new Person { Name = "Other", Email = "other@acme.test", Department = Department.FS, SlackUserId = "UOTHER", Locale = "en-US", Available = false };
        manager.Available = false;
        db.People.AddRange(manager, assignee, other);
        await db.LinkAsync(Department.IS, slackChannelId: "CIS");
        var lead = new Lead { Name = "Hana <Sato>", Company = "Acme & Co", Email = "hana@customer.test", Score = 90, Stage = LeadStage.Mql };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
        await db.SaveChangesAsync();
        return new Seeded(handoff.Id, assignee.Id, manager.Id);
    }

    public static string BlockAction(string actionId, string value, string user = "UASSIGNEE", string channel = "CIS", string messageTs = "1700000000.000001", string trigger = "111.222.abc") =>
        new JsonObject
        {
            ["type"] = "block_actions",
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "someone", ["team_id"] = "T1" },
            ["api_app_id"] = "A1",
            ["team"] = new JsonObject { ["id"] = "T1" },
            ["container"] = new JsonObject { ["type"] = "message", ["message_ts"] = messageTs, ["channel_id"] = channel, ["is_ephemeral"] = false },
            ["trigger_id"] = trigger,
            ["channel"] = new JsonObject { ["id"] = channel },
            ["message"] = new JsonObject { ["type"] = "message", ["ts"] = messageTs, ["bot_id"] = "B1" },
            ["response_url"] = "https://hooks.slack.com/actions/T1/1/x",
            ["actions"] = new JsonArray
            {
                new JsonObject { ["action_id"] = actionId, ["block_id"] = "b1", ["type"] = "button", ["value"] = value, ["action_ts"] = "1700000001.000001" },
            },
        }.ToJsonString();

    public static string RejectSubmission(string privateMetadata, string? reason, string? note = null, string user = "UASSIGNEE")
    {
        var values = new JsonObject();
        if (reason is not null)
        {
            values["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "static_select", ["selected_option"] = new JsonObject { ["value"] = reason } } };
        }
        values["note"] = new JsonObject { ["note"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = note } };
        return new JsonObject
        {
            ["type"] = "view_submission",
            ["user"] = new JsonObject { ["id"] = user },
            ["team"] = new JsonObject { ["id"] = "T1" },
            ["trigger_id"] = "333.444.def",
            ["view"] = new JsonObject
            {
                ["id"] = "V1",
                ["type"] = "modal",
                ["callback_id"] = CardActions.RejectSubmit,
                ["private_metadata"] = privateMetadata,
                ["state"] = new JsonObject { ["values"] = values },
            },
        }.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Slack.DisposeAsync();
    }
}

public sealed record Seeded(Guid HandoffId, Guid AssigneeId, Guid ManagerId);
