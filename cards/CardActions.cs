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

    /// <summary>
    /// A contact logged from an accepted card, one click each: Teams <c>Action.Execute</c> verbs and Slack
    /// button action ids alike. The optional note is an input on the card itself (<see cref="CardFields.ContactNote"/>), which
    /// both platforms hand back with the click (Teams merges it into the data, Slack sends the message's <c>state</c>).
    /// </summary>
    public const string ContactCallReached = "contact.call-reached";
    public const string ContactEmailSent = "contact.email-sent";
    public const string ContactMeetingBooked = "contact.meeting-booked";
    public const string ContactNoAnswer = "contact.call-no-answer";

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

    /// <summary>The four contact actions, in the order the cards show them: on an accepted card, on both platforms.</summary>
    public static readonly IReadOnlyList<string> ContactLogs = [ContactCallReached, ContactEmailSent, ContactMeetingBooked, ContactNoAnswer];

    /// <summary>
    /// Customer Success on an accepted Won → CS card: the holder records the kick-off (導入完了) with one
    /// click, on both platforms (Teams <c>Action.Execute</c> verb, Slack button action id).
    /// </summary>
    public const string KickOff = "customer.kick-off";

    /// <summary>The renewal card's decisions, Teams <c>Action.Execute</c> verbs and Slack button action ids; each click carries the lead id.</summary>
    public const string Renewed = "renewal.renewed";
    public const string Churned = "renewal.churned";
    public const string Upsold = "renewal.upsold";

    /// <summary>The Customer Success actions (the Won → CS card's kick-off, the renewal card's decisions), on both platforms.</summary>
    public static readonly IReadOnlyList<string> Customer = [KickOff, .. RenewalCards.Actions];

    /// <summary>
    /// The digest's advice button: sets the MQL threshold to the suggested value, which the click carries
    /// (Teams <c>data.threshold</c>, Slack the button's <c>value</c>). Same rule as <c>threshold N</c> in chat.
    /// </summary>
    public const string DigestSetThreshold = "digest.threshold";

    /// <summary>What a weekly digest with advice carries, on Teams and on Slack alike.</summary>
    public static readonly IReadOnlyList<string> Digest = [DigestSetThreshold];

    public static readonly IReadOnlyList<string> All = [Accept, Reject, RejectSubmit, Refresh, JoinApprove, JoinDecline,
        .. ContactLogs, .. Customer, .. Digest];
}
