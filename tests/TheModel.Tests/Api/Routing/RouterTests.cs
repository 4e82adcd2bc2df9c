using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Routing;

public class RouterTests
{
    private static readonly DateTime T0 = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);

    private static Router.Candidate C(int n, DateTime? last = null, int open = 0, int capacity = 5, bool available = true) =>
        new(new Guid($"00000000-0000-0000-0000-{n:000000000000}"), $"P{n}", available, capacity, last, open);

    [Fact]
    public void PickRoundRobin_PicksTheLeastRecentlyAssigned_NotTheFirstInTheList()
    {
        var picked = Router.PickRoundRobin([C(1, T0.AddHours(2)), C(2, T0.AddHours(1)), C(3, T0.AddHours(3))]);
        Assert.Equal("P2", picked?.Name);
    }

    [Fact]
    public void PickRoundRobin_NeverAssignedComesFirst()
    {
        Assert.Equal("P3", Router.PickRoundRobin([C(1, T0), C(2, T0.AddHours(1)), C(3)])?.Name);
    }

    [Fact]
    public void PickRoundRobin_SkipsUnavailableAndFullMembers()
    {
        var picked = Router.PickRoundRobin([C(1, available: false), C(2, open: 5, capacity: 5), C(3, T0.AddDays(1), open: 4, capacity: 5)]);
        Assert.Equal("P3", picked?.Name);
    }

    [Fact]
    public void PickRoundRobin_NobodyEligible_ReturnsNull()
    {
        Assert.Null(Router.PickRoundRobin([C(1, available: false), C(2, open: 3, capacity: 3)]));
        Assert.Null(Router.PickRoundRobin([]));
    }

    [Fact]
    public void PickRoundRobin_RepeatedRounds_GiveEveryoneTheSameShare_WhateverTheListOrder()
    {
        var people = new List<Router.Candidate> { C(3), C(1), C(2) };
        var counts = new Dictionary<string, int>();
        var clock = T0;
        for (var round = 0; round < 30; round++)
        {
            // Shuffle the order each time: fairness must not depend on it.
            people = round % 2 == 0 ? people.AsEnumerable().Reverse().ToList() : people.OrderBy(p => p.Name).ToList();
            var pick = Router.PickRoundRobin(people)!;
            counts[pick.Name] = counts.GetValueOrDefault(pick.Name) + 1;
            clock = clock.AddMinutes(1);
            people = people.Select(p => p.Id == pick.Id ? p with { LastAssignedAt = clock } : p).ToList();
        }
        Assert.All(counts.Values, c => Assert.Equal(10, c));
    }

    [Fact]
    public async Task RouteAsync_ThroughTheStore_RotatesAndSkipsUnavailableAndFull_ThenQueues()
    {
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var away = new Person { Name = "不在", Department = Department.IS, Available = false, Email = "away@x.jp" };
        var full = new Person { Name = "満杯", Department = Department.IS, Capacity = 1, Email = "full@x.jp" };
        var a = new Person { Name = "A", Department = Department.IS, Capacity = 2, Email = "a@x.jp" };
        var b = new Person { Name = "B", Department = Department.IS, Capacity = 2, Email = "b@x.jp" };
        var fsRep = new Person { Name = "FS", Department = Department.FS, Email = "fs@x.jp" };
        db.People.AddRange(away, full, a, b, fsRep);
        var existing = new Lead { Name = "既存", Company = "既存社", CreatedAt = T0, UpdatedAt = T0, StageChangedAt = T0, LastActivityAt = T0 };
        db.Leads.Add(existing);
        db.Handoffs.Add(new Handoff { LeadId = existing.Id, Kind = HandoffKind.MqlToIs, AssigneeId = full.Id, OfferedAt = T0, DeadlineAt = T0.AddDays(1) });
        await db.SaveChangesAsync();

        var router = scope.ServiceProvider.GetRequiredService<Router>();
        var lead = new Lead { Name = "新規", Company = "新規社" };
        var picks = new List<RoutingDecision>();
        for (var i = 0; i < 5; i++)
        {
            // Unsaved assignments count: a batch routes several leads before its one save.
            var decision = await router.RouteAsync(lead, Department.IS, []);
            picks.Add(decision);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(new[] { a.Id, b.Id }.Order(), picks.Take(2).Select(p => p.AssigneeId!.Value).Order());
        Assert.Equal(new[] { a.Id, b.Id }.Order(), picks.Skip(2).Take(2).Select(p => p.AssigneeId!.Value).Order());
        Assert.Equal(RoutingRule.Queue, picks[4].Rule);
        Assert.Null(picks[4].AssigneeId);
        Assert.Contains("queue", picks[4].Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RouteAsync_CompanyWithAnOwnerInTheDepartment_GoesToTheAccountOwner()
    {
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var owner = new Person { Name = "担当", Department = Department.IS, Email = "owner@x.jp", LastAssignedAt = T0.AddDays(1) };
        var idle = new Person { Name = "暇", Department = Department.IS, Email = "idle@x.jp" };
        db.People.AddRange(owner, idle);
        db.Leads.Add(new Lead { Name = "既存", Company = "アクメ", Domain = "acme.co.jp", OwnerId = owner.Id, CreatedAt = T0, UpdatedAt = T0, StageChangedAt = T0, LastActivityAt = T0 });
        await db.SaveChangesAsync();

        var decision = await scope.ServiceProvider.GetRequiredService<Router>()
            .RouteAsync(new Lead { Name = "新規", Company = "アクメ", Domain = "acme.co.jp" }, Department.IS, []);

        Assert.Equal(owner.Id, decision.AssigneeId);
        Assert.Equal(RoutingRule.AccountOwner, decision.Rule);
        Assert.Contains("acme.co.jp", decision.Reason);
    }
}
