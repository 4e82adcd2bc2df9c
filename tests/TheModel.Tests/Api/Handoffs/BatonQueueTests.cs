using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Bot.Chat;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Handoffs;

public class BatonQueueTests
{
    internal sealed record World(Person Manager, Person Rep, Person Colleague, Handoff Offer, Handoff Queued, Handoff Overdue,
        Handoff AcceptedUntouched, Handoff AcceptedMovedOn, Handoff ColleagueOffer);

    /// <summary>
    /// IS: a manager, a rep and a colleague. The rep has an offer due in 3h, an overdue offer, an accepted lead still an
    /// MQL, and an accepted lead already an SQL; the department queue holds one offer; the colleague has an overdue offer.
    /// </summary>
    internal static async Task<World> SeedAsync(TheModelApp app, string? repSlack = null, string? repTeams = null)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var manager = new Person { Name = "Boss", Email = "boss@example.com", Department = Department.IS, Role = PersonRole.Manager, Locale = "en-US", CreatedAt = now, UpdatedAt = now };
        var rep = new Person
        {
            Name = "Rep One", Email = "rep@example.com", Department = Department.IS, ManagerId = manager.Id, Locale = "en-US",
            SlackUserId = repSlack, TeamsUserId = repTeams, TeamsAadObjectId = repTeams is null ? null : "aad-rep", CreatedAt = now, UpdatedAt = now,
        };
        var colleague = new Person { Name = "Colleague", Email = "col@example.com", Department = Department.IS, ManagerId = manager.Id, Locale = "ja-JP", CreatedAt = now, UpdatedAt = now };
        Lead NewLead(string company, LeadStage stage, Person? owner = null) => new()
        {
            Name = "Contact of " + company, Company = company, Email = $"x@{company.ToLowerInvariant()}.example", Score = 85, Stage = stage,
            Department = Department.IS, OwnerId = owner?.Id, CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now,
        };
        Handoff Offer(Lead lead, Person? assignee, double dueInHours) => new()
        {
            LeadId = lead.Id, Kind = HandoffKind.MqlToIs, AssigneeId = assignee?.Id, Routing = assignee is null ? RoutingRule.Queue : RoutingRule.RoundRobin,
            RoutingReason = "test", OfferedAt = now.AddHours(-10), DeadlineAt = now.AddHours(dueInHours),
        };
        var leads = new[]
        {
            NewLead("Alpha", LeadStage.Mql), NewLead("Bravo", LeadStage.Mql), NewLead("Charlie", LeadStage.Mql),
            NewLead("Delta", LeadStage.Mql, rep), NewLead("Echo", LeadStage.Sql, rep), NewLead("Foxtrot", LeadStage.Mql),
        };
        var offer = Offer(leads[0], rep, 3);
        var queued = Offer(leads[1], null, 5);
        var overdue = Offer(leads[2], rep, -1);
        var untouched = Offer(leads[3], rep, -5);
        untouched.Accept(rep, rep, now.AddHours(-6), 4);
        var movedOn = Offer(leads[4], rep, -5);
        movedOn.Accept(rep, rep, now.AddHours(-7), 3);
        var colleagueOffer = Offer(leads[5], colleague, -2);
        await app.WithDbAsync(async db =>
        {
            db.People.AddRange(manager, rep, colleague);
            db.Leads.AddRange(leads);
            db.Handoffs.AddRange(offer, queued, overdue, untouched, movedOn, colleagueOffer);
            await db.SaveChangesAsync();
        });
        return new World(manager, rep, colleague, offer, queued, overdue, untouched, movedOn, colleagueOffer);
    }

    private static async Task<PersonBatons> BatonsAsync(TheModelApp app, Guid personId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModel.Api.Store.TheModelDb>();
        var person = await db.People.FindAsync(personId);
        return await scope.ServiceProvider.GetRequiredService<BatonQueue>().ForAsync(person!);
    }

    [Fact]
    public async Task ForAsync_Rep_ListsOverdueOffersQueueAndUntouchedAccepted()
    {
        await using var app = new TheModelApp();
        var w = await SeedAsync(app);

        var batons = await BatonsAsync(app, w.Rep.Id);

        Assert.Equal([w.Overdue.Id], batons.Overdue.Select(b => b.Handoff.Id));
        Assert.Equal([w.Offer.Id, w.Queued.Id], batons.Offers.Select(b => b.Handoff.Id));
        Assert.True(batons.Offers[1].FromQueue);
        Assert.Equal([w.AcceptedUntouched.Id], batons.AwaitingFirstTouch.Select(b => b.Handoff.Id));
        Assert.Equal(4, batons.Total);
        Assert.Empty(batons.Team);
    }

    [Fact]
    public async Task ForAsync_Manager_SeesTheirPeoplesCounts()
    {
        await using var app = new TheModelApp();
        var w = await SeedAsync(app);

        var batons = await BatonsAsync(app, w.Manager.Id);

        Assert.Equal(["Colleague", "Rep One"], batons.Team.Select(m => m.Person.Name));
        Assert.Equal((0, 1, 0), (batons.Team[0].Offers, batons.Team[0].Overdue, batons.Team[0].AwaitingFirstTouch));
        Assert.Equal((1, 1, 1), (batons.Team[1].Offers, batons.Team[1].Overdue, batons.Team[1].AwaitingFirstTouch));
    }

    [Fact]
    public async Task MyQueueAndApiAssigneeFilter_SamePerson_ListTheSameBatons()
    {
        await using var app = new TheModelApp().WithKeys();
        var w = await SeedAsync(app, repTeams: "29:rep");
        using var client = app.Client();

        var batons = await BatonsAsync(app, w.Rep.Id);
        var api = await client.GetAsync($"/api/handoffs?assignee={w.Rep.Id}").OkJsonAsync();
        ChatReply reply;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            reply = await scope.ServiceProvider.GetRequiredService<IChatCommandHandler>().HandleAsync(new ChatRequest
            {
                Platform = ChatPlatform.Teams, Text = "my queue", UserId = "29:rep", UserAadObjectId = "aad-rep", ConversationId = "a:rep", IsPersonal = true,
            });
        }

        var expected = batons.All.Select(b => b.Handoff.Id).Order().ToList();
        Assert.Equal(expected, api.GetProperty("items").EnumerateArray().Select(i => i.Id()).Order().ToList());
        Assert.Equal(4, api.GetProperty("total").GetInt32());
        Assert.Equal(expected, reply.Batons!.All.Select(b => b.Handoff.Id).Order().ToList());
        // The open ones come as cards, by deadline; the accepted one as a line.
        Assert.Equal([w.Overdue.Id.ToString(), w.Offer.Id.ToString(), w.Queued.Id.ToString()], reply.Handoffs.Select(h => h.HandoffId));
        Assert.Contains("Accepted, not yet contacted: 1", reply.Text);
        Assert.Contains("Delta", reply.Text);
        Assert.DoesNotContain("Echo", reply.Text);
    }

    [Fact]
    public async Task ApiAssigneeFilter_UnknownPerson_IsEmpty()
    {
        await using var app = new TheModelApp().WithKeys();
        await SeedAsync(app);
        using var client = app.Client();

        var api = await client.GetAsync($"/api/handoffs?assignee={Guid.NewGuid()}").OkJsonAsync();

        Assert.Equal(0, api.GetProperty("total").GetInt32());
    }
}
