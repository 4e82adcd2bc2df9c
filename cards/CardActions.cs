namespace TheModel.Cards;

/// <summary>
/// Action verbs / action ids on our cards: defined once, used by the renderers and by the Teams/Slack routers.
/// A test checks by reflection that every one has a handler on each platform.
/// </summary>
public static class CardActions
{
    public const string Accept = "handoff.accept";
    /// <summary>Teams: opens the reason form on the card; Slack: opens the reject modal.</summary>
    public const string Reject = "handoff.reject";
    /// <summary>Submits the reason (Teams card form / Slack modal callback).</summary>
    public const string RejectSubmit = "handoff.reject.submit";
    /// <summary>Teams <c>refresh</c>: re-renders the card in its current state for the viewer.</summary>
    public const string Refresh = "handoff.refresh";

    /// <summary>A join request card's buttons, on both platforms (<see cref="JoinRequestCards"/>).</summary>
    public const string JoinApprove = "join.approve";
    public const string JoinDecline = "join.decline";

    /// <summary>The Teams my-batons card (<c>my queue</c>): its <c>refresh</c>, and Accept / Reject per open baton.</summary>
    public const string MyBatonsRefresh = "myBatons.refresh";
    public const string MyBatonsAccept = "myBatons.accept";
    public const string MyBatonsReject = "myBatons.reject";

    /// <summary>What the my-batons card carries (Teams only; the Slack home reuses the handoff card's ids).</summary>
    public static readonly IReadOnlyList<string> MyBatons = [MyBatonsRefresh, MyBatonsAccept, MyBatonsReject];

    /// <summary>What a Teams handoff card carries: Accept, Reject (the <c>Action.ShowCard</c>'s id), RejectSubmit, Refresh.</summary>
    public static readonly IReadOnlyList<string> Teams = [Accept, Reject, RejectSubmit, Refresh];

    /// <summary>What Slack uses: the two buttons and the modal's <c>callback_id</c>. Slack has no card refresh.</summary>
    public static readonly IReadOnlyList<string> Slack = [Accept, Reject, RejectSubmit];

    /// <summary>What a join request card carries, on Teams and on Slack alike.</summary>
    public static readonly IReadOnlyList<string> JoinRequest = [JoinApprove, JoinDecline];

    public static readonly IReadOnlyList<string> All = [Accept, Reject, RejectSubmit, Refresh, JoinApprove, JoinDecline];
}
