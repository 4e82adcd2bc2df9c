using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Bot.Chat;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Qualification;

/// <summary>The MQL threshold as a valve: one rule for the API and chat, an event per turn, a notice in the digest channel.</summary>
public class ThresholdValveTests
{
    private static async Task<TheModelApp> AppWithDigestChannelAsync()
    {
        var app = new TheModelApp().WithKeys();
        app.CreateClient();
        await app.WithDbAsync(async db =>
        {
            db.Settings.Add(new Setting { Key = "digest-channel:slack", Json = "{\"conversationId\":\"C_DIGEST\"}" });
            await db.SaveChangesAsync();
        });
        return app;
    }

    private static async Task<Person> PersonAsync(TheModelApp app, PersonRole role, Department department, string slack)
    {
        var person = new Person { Name = $"{department} {role}", Email = $"{slack}@example.jp", Department = department, Role = role, SlackUserId = slack, Locale = "en-US" };
        await app.WithDbAsync(async db =>
        {
            db.People.Add(person);
            await db.SaveChangesAsync();
        });
        return person;
    }

    private static async Task<ChatReply> SayAsync(TheModelApp app, Person person, string text)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
        {
            Platform = ChatPlatform.Slack, Text = text, UserId = person.SlackUserId!, UserName = person.Name, UserEmail = person.Email,
            ConversationId = "C_ANY", IsPersonal = false,
        });
    }

    private static Task<List<OutboxMessage>> NoticesAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.ThresholdChanged).OrderBy(m => m.Id).ToListAsync());

    [Fact]
    public async Task Put_NewThreshold_IsAnEventInTheHistoryAndAnnouncedInTheDigestChannel()
    {
        await using var app = await AppWithDigestChannelAsync();
        var client = app.Client();
        await client.PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 75 }).OkJsonAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await client.PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 70 }).OkJsonAsync();

        var settings = await client.GetAsync("/api/settings/qualification").OkJsonAsync();
        Assert.Equal(70, settings.GetProperty("mqlThreshold").GetInt32());
        var history = settings.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal([(75, 70), (80, 75)], history.Select(h => (h.GetProperty("from").GetInt32(), h.GetProperty("to").GetInt32())));
        Assert.All(history, h => Assert.Equal("api", h.Str("why")));
        Assert.Equal("crm-admin", history[0].Str("by"));

        var notices = await NoticesAsync(app);
        Assert.Equal(2, notices.Count);
        Assert.All(notices, n => Assert.Equal(("slack", "C_DIGEST"), (n.Channel, n.Target)));
        Assert.Contains("80 → 75", JsonDocument.Parse(notices[0].Payload!).RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Chat_IsManagerTurnsTheValve_NextIntakeUsesTheNewThreshold()
    {
        await using var app = await AppWithDigestChannelAsync();
        var manager = await PersonAsync(app, PersonRole.Manager, Department.IS, "UISMGR");
        var client = app.Client();
        var before = await client.PostLeadAsync(new { name = "A", company = "A社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Inquiry", before.Str("stage"));

        var reply = await SayAsync(app, manager, "threshold 60");
        Assert.True(reply.Private);
        Assert.Contains("80 → 60", reply.Text);

        var after = await client.PostLeadAsync(new { name = "B", company = "B社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Mql", after.Str("stage"));
        var turned = await app.WithDbAsync(db => db.Events.AsNoTracking().SingleAsync(e => e.Type == LeadEventType.ThresholdChanged));
        Assert.Equal((manager.Id, "chat"), (turned.ActorId!.Value, turned.Reason));
        Assert.Single(await NoticesAsync(app));

        var shown = await SayAsync(app, manager, "閾値");
        Assert.Contains("MQL threshold: 60", shown.Text);
        Assert.Contains("80 → 60", shown.Text);
    }

    [Theory]
    [InlineData(PersonRole.Member, Department.IS, "threshold 60")]
    [InlineData(PersonRole.Manager, Department.FS, "threshold 60")]
    [InlineData(PersonRole.Manager, Department.MK, "閾値 101")]
    [InlineData(PersonRole.Admin, Department.CS, "threshold -1")]
    public async Task Chat_NotAllowedOrOutOfRange_PrivateReplyAndNothingChanged(PersonRole role, Department department, string text)
    {
        await using var app = await AppWithDigestChannelAsync();
        var person = await PersonAsync(app, role, department, "UWHO");

        var reply = await SayAsync(app, person, text);

        Assert.True(reply.Private);
        Assert.Matches("^Not yours|nothing changed", reply.Text);
        var settings = await app.Client().GetAsync("/api/settings/qualification").OkJsonAsync();
        Assert.Equal(80, settings.GetProperty("mqlThreshold").GetInt32());
        Assert.Empty(settings.GetProperty("history").EnumerateArray());
        Assert.Empty(await NoticesAsync(app));
    }

    [Fact]
    public async Task Put_OutOfRange_Returns400AndNothingChanged()
    {
        await using var app = await AppWithDigestChannelAsync();
        var response = await app.Client().PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 101 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await NoticesAsync(app));
        Assert.Empty((await app.Client().GetAsync("/api/settings/qualification").OkJsonAsync()).GetProperty("history").EnumerateArray());
    }
}
