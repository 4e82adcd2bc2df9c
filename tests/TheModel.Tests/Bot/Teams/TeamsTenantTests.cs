using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// One organisation (issue #14): an activity from another Microsoft 365 tenant, another channel or with a service URL
/// the bot would not call is answered 403 before anything of it is stored — in dev mode as with an AppId.
/// </summary>
public class TeamsTenantTests
{
    private const string ForeignTenant = "tenant-9999";
    private static readonly IPAddress Connector = IPAddress.Parse("52.112.0.10");

    /// <summary>Dev mode (no AppId) serving our tenant only, with the directory seeded (the rep's Teams user id still unknown).</summary>
    private static async Task<(TheModelApp App, RecordingServer Connector, TeamsPeople People)> StartAsync(bool tenantList = true)
    {
        var connector = await StartConnectorAsync();
        var app = new TheModelApp();
        if (tenantList)
        {
            app.Settings["Teams:AllowedTenants:0"] = TenantId;
        }
        var people = await SeedDirectoryAsync(app, repHasTeamsUserId: false);
        return (app, connector, people);
    }

    private static async Task AssertUnchangedAsync(TheModelApp app, IReadOnlyDictionary<string, IReadOnlyList<string>> before)
    {
        var after = await StoreSnapshot.TakeAsync(app);
        Assert.Empty(StoreSnapshot.Changes(before, after));
    }

    [Fact]
    public async Task Message_FromAnotherTenant_Is403AndNothingIsStored()
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var before = await StoreSnapshot.TakeAsync(app);

        var response = await PostAsync(app, FromTenant(Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep), ForeignTenant));
        await app.DispatchAsync();

        Assert.Equal(403, response.Status);
        await AssertUnchangedAsync(app, before);
        Assert.Empty(connector.Requests);
    }

    [Fact]
    public async Task Message_FromOurTenant_IsStoredAndAnswered()
    {
        var (app, connector, people) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var before = await StoreSnapshot.TakeAsync(app);

        var response = await PostAsync(app, Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep));
        await app.DispatchAsync();

        Assert.Equal(200, response.Status);
        // The snapshot sees what a served message leaves: the conversation, the person's Teams id, the sent reply.
        var changed = StoreSnapshot.Changes(before, await StoreSnapshot.TakeAsync(app));
        Assert.Contains(changed, c => c.StartsWith("Conversations:", StringComparison.Ordinal));
        Assert.Contains(changed, c => c.StartsWith("People:", StringComparison.Ordinal));
        Assert.Contains(changed, c => c.StartsWith("Outbox:", StringComparison.Ordinal));
        var (conversation, rep) = await app.WithDbAsync(async db =>
            (await db.Conversations.SingleAsync(), await db.People.SingleAsync(p => p.Id == people.Rep.Id)));
        Assert.Equal(TenantId, conversation.TenantId);
        Assert.Equal(Users.Rep.UserId, rep.TeamsUserId);
        Assert.Single(connector.Requests);
    }

    [Fact]
    public async Task Installation_FromAnotherTenant_Is403AndNoConversationIsStored()
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var before = await StoreSnapshot.TakeAsync(app);

        var response = await PostAsync(app, FromTenant(Installation(connector.BaseUrl, Channel(connector.BaseUrl)), ForeignTenant));

        Assert.Equal(403, response.Status);
        await AssertUnchangedAsync(app, before);
    }

    [Fact]
    public async Task Message_NamingNoTenant_WhileAListIsInForce_Is403()
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var before = await StoreSnapshot.TakeAsync(app);

        var response = await PostAsync(app, FromTenant(Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep), null));

        Assert.Equal(403, response.Status);
        await AssertUnchangedAsync(app, before);
    }

    [Fact]
    public async Task Message_OurTenantInTheConversationButAnotherInChannelData_Is403()
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var message = Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep);
        message["channelData"]!["tenant"]!["id"] = ForeignTenant;

        Assert.Equal(403, (await PostAsync(app, message)).Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task DevMode_WithoutATenantList_AcceptsEveryTenant()
    {
        var (app, connector, _) = await StartAsync(tenantList: false);
        await using var _a = app;
        await using var _c = connector;

        var response = await PostAsync(app, FromTenant(Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep), ForeignTenant));

        Assert.Equal(200, response.Status);
        Assert.Equal(ForeignTenant, await app.WithDbAsync(db => db.Conversations.Select(c => c.TenantId).SingleAsync()));
    }

    [Fact]
    public async Task CardClick_FromAnotherTenant_Is403AndTheHandoffStaysOffered_FromOurTenantItIsAccepted()
    {
        var (app, connector, people) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        Assert.Equal(200, (await PostAsync(app, Installation(connector.BaseUrl, Channel(connector.BaseUrl)))).Status);
        await LinkDepartmentAsync(app, Department.IS, ChannelId);
        var handoffId = await OfferLeadAsync(app);
        await app.DispatchAsync();
        var posted = connector.Requests.Count;
        var before = await StoreSnapshot.TakeAsync(app);
        var data = new JsonObject { ["handoffId"] = handoffId.ToString() };

        var foreign = await PostAsync(app, FromTenant(Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.Accept, data.DeepClone().AsObject()), ForeignTenant));
        await app.DispatchAsync();

        Assert.Equal(403, foreign.Status);
        await AssertUnchangedAsync(app, before);
        Assert.Equal(posted, connector.Requests.Count);

        var ours = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.Accept, data.DeepClone().AsObject()));

        Assert.Equal(200, ours.Status);
        var handoff = await app.WithDbAsync(db => db.Handoffs.SingleAsync(h => h.Id == handoffId));
        Assert.Equal(HandoffState.Accepted, handoff.State);
        Assert.Equal(people.Rep.Id, handoff.DecidedById);
    }

    [Fact]
    public async Task Message_FromAnotherTenantWithAValidToken_Is403AndNothingIsStored()
    {
        await using var keys = await SigningAuthority.StartAsync("msteams");
        await using var app = new TheModelApp();
        app.Settings["Teams:AppId"] = AppId;
        app.Settings["Teams:OpenIdMetadataUrl"] = keys.MetadataUrl;
        app.Settings["Teams:TenantId"] = TenantId;
        const string serviceUrl = "https://smba.trafficmanager.net/apac/";
        await SeedDirectoryAsync(app, repHasTeamsUserId: false);
        var before = await StoreSnapshot.TakeAsync(app);

        // A multi-tenant registration: the other tenant side-loaded an app with our bot id and the Connector signs its traffic.
        var foreign = FromTenant(Message(serviceUrl, Personal("a:rep-dm"), "help", Users.Rep), ForeignTenant);
        var refused = await PostAsync(app, foreign, keys.Token(app.Clock.GetUtcNow(), serviceUrl), Connector);

        Assert.Equal(403, refused.Status);
        await AssertUnchangedAsync(app, before);

        var ours = await PostAsync(app, Message(serviceUrl, Personal("a:rep-dm"), "help", Users.Rep), keys.Token(app.Clock.GetUtcNow(), serviceUrl), Connector);

        Assert.Equal(200, ours.Status);
        Assert.Equal(TenantId, await app.WithDbAsync(db => db.Conversations.Select(c => c.TenantId).SingleAsync()));
    }

    [Theory]
    [InlineData("msteams", 200)]
    [InlineData("emulator", 200)]
    [InlineData("webchat", 200)]
    [InlineData("slack", 403)]
    [InlineData("directline", 403)]
    [InlineData(null, 403)]
    public async Task DevMode_ChannelId_OnlyTeamsAndTheLocalTestClients(string? channelId, int status)
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;

        var response = await PostAsync(app, With(Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep), "channelId", channelId));

        Assert.Equal(status, response.Status);
        Assert.Equal(status == 200 ? 1 : 0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task WithAppId_ALocalClientChannelEvenWithAnEndorsedKey_Is403()
    {
        await using var keys = await SigningAuthority.StartAsync("msteams", "webchat");
        await using var app = new TheModelApp();
        app.Settings["Teams:AppId"] = AppId;
        app.Settings["Teams:OpenIdMetadataUrl"] = keys.MetadataUrl;
        app.Settings["Teams:TenantId"] = TenantId;
        const string serviceUrl = "https://smba.trafficmanager.net/apac/";
        var message = With(Message(serviceUrl, Personal("a:alex-dm"), "help"), "channelId", "webchat");

        var response = await PostAsync(app, message, keys.Token(app.Clock.GetUtcNow(), serviceUrl), Connector);

        Assert.Equal(403, response.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Theory]
    [InlineData("https://evil.example.com/teams/")]
    [InlineData("http://smba.trafficmanager.net/apac/")]
    [InlineData("https://smba.trafficmanager.net.evil.example.com/")]
    [InlineData("http://10.0.0.8:3978/")]
    public async Task Message_WithAServiceUrlTheBotWouldNotCall_Is403AndNothingIsStored(string serviceUrl)
    {
        var (app, connector, _) = await StartAsync();
        await using var _a = app;
        await using var _c = connector;
        var before = await StoreSnapshot.TakeAsync(app);

        var response = await PostAsync(app, Message(serviceUrl, Personal("a:rep-dm"), "help", Users.Rep));

        Assert.Equal(403, response.Status);
        await AssertUnchangedAsync(app, before);
    }

    [Fact]
    public async Task StoredServiceUrlOutsideTheAllowList_IsNeverCalled_AndTheRowFails()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        // Production mode, and the local connector is not a trusted host: what an old or forged row points at.
        app.Settings["Teams:AppId"] = AppId;
        app.Settings["Teams:AppPassword"] = "s3cret";
        app.Settings["Teams:TenantId"] = TenantId;
        await StoreChannelAsync(app, connector.BaseUrl);
        await SeedDirectoryAsync(app);
        await LinkDepartmentAsync(app, Department.IS, ChannelId);
        var handoffId = await OfferLeadAsync(app);

        await app.DispatchAsync();

        Assert.Empty(connector.Requests);
        var row = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.HandoffId == handoffId && m.Target == ChannelId));
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("127.0.0.1", row.LastError);
        Assert.Contains("Teams:TrustedServiceHosts", row.LastError);
    }

    [Fact]
    public async Task DevMode_StoredServiceUrlOnAnotherHost_FailsTheRowWithoutCallingIt()
    {
        await using var app = new TheModelApp();
        await StoreChannelAsync(app, "https://evil.example.com/teams/");
        await SeedDirectoryAsync(app);
        await LinkDepartmentAsync(app, Department.IS, ChannelId);
        var handoffId = await OfferLeadAsync(app);

        await app.DispatchAsync();

        // Not a network error (that would be retried): refused before any call.
        var row = await app.WithDbAsync(db => db.Outbox.SingleAsync(m => m.HandoffId == handoffId && m.Target == ChannelId));
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Contains("evil.example.com", row.LastError);
    }

    private static Task StoreChannelAsync(TheModelApp app, string serviceUrl) => app.WithDbAsync(async db =>
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        db.Conversations.Add(new ChatConversation
        {
            Channel = ChatPlatform.Teams, ConversationId = ChannelId, ConversationType = "channel", ServiceUrl = serviceUrl,
            TenantId = TenantId, TeamId = TeamId, BotId = BotId, CreatedAt = now, UpdatedAt = now,
        });
        await db.SaveChangesAsync();
    });
}
