namespace TheModel.Cards;

/// <summary>
/// Input ids and data keys on our cards (the values a click hands back, beside the verb in <see cref="CardActions"/>):
/// defined once, written by the renderers and read by the Teams/Slack routers, so the two sides cannot drift apart.
/// A test fails on any of these written as a string literal in the renderers or routers.
/// </summary>
public static class CardFields
{
    /// <summary>Teams <c>Action.Execute</c> data: the handoff the click is about (a join request's id on its card).</summary>
    public const string HandoffId = "handoffId";

    /// <summary>The reject reason: the Teams handoff card's choice set id; the Slack reject modal's block and action id.</summary>
    public const string Reason = "reason";

    /// <summary>The reject note: the Teams handoff card's text input id; the Slack reject modal's block and action id.</summary>
    public const string Note = "note";

    /// <summary>The contact note input on an accepted card: its id (Teams) and block/action id (Slack).</summary>
    public const string ContactNote = "contact_note";

    /// <summary>The digest advice button's data (Teams): the MQL threshold the click sets.</summary>
    public const string Threshold = "threshold";

    /// <summary>The renewal card's inputs: ids (Teams) and block/action ids (Slack).</summary>
    public const string RenewedAmount = "renewal_amount";
    public const string RenewedTerm = "renewal_term";
    public const string ChurnReason = "churn_reason";
    public const string ChurnNote = "churn_note";
    public const string UpsoldAmount = "upsell_amount";

    /// <summary>Teams <c>Action.Execute</c> data on the renewal card: the lead (customer) the click is about.</summary>
    public const string LeadId = "leadId";

    /// <summary>
    /// Data key (and its value <see cref="MyBatonsView"/>) on the my-batons card's actions: the handoff card's verbs then
    /// answer the refreshed my-batons card instead of the handoff card.
    /// </summary>
    public const string View = "view";
    public const string MyBatonsView = "myBatons";

    /// <summary>The reason input of one baton's form on the my-batons card: ids are unique per card, so each form names its own.</summary>
    public static string ReasonFor(string handoffId) => $"{Reason}.{handoffId}";

    /// <summary>Every id and key above (not the <see cref="MyBatonsView"/> value), for the lint test.</summary>
    public static readonly IReadOnlyList<string> All = [HandoffId, Reason, Note, ContactNote, Threshold, View,
        RenewedAmount, RenewedTerm, ChurnReason, ChurnNote, UpsoldAmount, LeadId];
}
