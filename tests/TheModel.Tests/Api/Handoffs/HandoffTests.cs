using TheModel.Api.Handoffs;
using TheModel.Api.People;

namespace TheModel.Tests.Api.Handoffs;

public class HandoffTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 1, 0, 0, DateTimeKind.Utc);

    private static (Handoff Handoff, Person Assignee) Offered(HandoffKind kind = HandoffKind.MqlToIs)
    {
        var manager = new Person { Name = "Manager", Department = Department.IS };
        var assignee = new Person { Name = "Rep", Department = Department.IS, ManagerId = manager.Id };
        return (new Handoff { Kind = kind, AssigneeId = assignee.Id, OfferedAt = Now, DeadlineAt = Now.AddHours(24) }, assignee);
    }

    [Fact]
    public void Accept_ByAssignee_Accepts()
    {
        var (handoff, assignee) = Offered();
        var result = handoff.Accept(assignee, assignee, Now.AddHours(1), 1);
        Assert.True(result.Succeeded);
        Assert.Equal(HandoffState.Accepted, handoff.State);
        Assert.Equal(assignee.Id, handoff.DecidedById);
        Assert.Equal(1, handoff.Version);
    }

    [Theory]
    [InlineData(1000, DecisionStatus.Done)]
    [InlineData(1001, DecisionStatus.NoteTooLong)]
    [InlineData(10_000, DecisionStatus.NoteTooLong)]
    public void Reject_NoteLength_IsLimitedToTheCardsInput(int length, DecisionStatus expected)
    {
        var (handoff, assignee) = Offered();
        var result = handoff.Reject(assignee, assignee, Now.AddHours(1), 1, RejectReason.NoBudget, new string('x', length));
        Assert.Equal(expected, result.Status);
        Assert.Equal(expected == DecisionStatus.Done ? HandoffState.Rejected : HandoffState.Offered, handoff.State);
        Assert.Equal(expected == DecisionStatus.Done ? length : null, handoff.RejectNote?.Length);
    }

    [Fact]
    public void Accept_WhenAlreadyAccepted_ReportsAlreadyDecided()
    {
        var (handoff, assignee) = Offered();
        handoff.Accept(assignee, assignee, Now.AddHours(1), 1);
        var again = handoff.Accept(assignee, assignee, Now.AddHours(2), 2);
        Assert.Equal(DecisionStatus.AlreadyDecided, again.Status);
        Assert.Equal(Now.AddHours(1), handoff.DecidedAt);
    }

    [Fact]
    public void Accept_ByAssigneesManager_Accepts()
    {
        var (handoff, assignee) = Offered();
        var manager = new Person { Id = assignee.ManagerId!.Value, Name = "Manager", Department = Department.IS };
        Assert.True(handoff.Accept(manager, assignee, Now, 0).Succeeded);
    }

    [Fact]
    public void Accept_BySomeoneElse_IsNotYours()
    {
        var (handoff, assignee) = Offered();
        var other = new Person { Name = "Other", Department = Department.IS };
        Assert.Equal(DecisionStatus.NotYours, handoff.Accept(other, assignee, Now, 0).Status);
        Assert.Equal(HandoffState.Offered, handoff.State);
    }

    [Fact]
    public void Accept_QueuedByTargetDepartmentMember_AcceptsAndAssigns()
    {
        var handoff = new Handoff { Kind = HandoffKind.SqlToFs, OfferedAt = Now, DeadlineAt = Now.AddHours(9) };
        var fs = new Person { Name = "FS rep", Department = Department.FS };
        var isRep = new Person { Name = "IS rep", Department = Department.IS };
        Assert.Equal(DecisionStatus.NotYours, handoff.Accept(isRep, null, Now, 0).Status);
        Assert.True(handoff.Accept(fs, null, Now, 0).Succeeded);
        Assert.Equal(fs.Id, handoff.AssigneeId);
    }

    [Fact]
    public void Expire_WhenOffered_Expires_AndNotAfterDecision()
    {
        var (handoff, assignee) = Offered();
        Assert.True(handoff.Expire(Now.AddDays(2), 24).Succeeded);
        Assert.Equal(HandoffState.Expired, handoff.State);
        Assert.Equal(DecisionStatus.AlreadyDecided, handoff.Accept(assignee, assignee, Now.AddDays(2), 24).Status);
    }
}
