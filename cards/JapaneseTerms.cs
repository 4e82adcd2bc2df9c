namespace TheModel.Cards;

/// <summary>
/// One Japanese word per action (docs/glossary.md): every card, chat answer and notice says these and no synonym, so
/// that a Teams card and a Slack message never name the same click differently. A test scans the sources and the
/// rendered cards for <see cref="Retired"/> words and for the join-request words outside this file.
/// </summary>
public static class JapaneseTerms
{
    /// <summary>Taking a baton (a handoff): 承諾する, 承諾済み, 承諾率, 承諾期限.</summary>
    public const string Accept = "承諾";

    /// <summary>Sending a baton back with a reason: 差し戻す, 差し戻し済み, 差し戻し理由.</summary>
    public const string Reject = "差し戻し";

    /// <summary>Reject, as a verb on a button that does it.</summary>
    public const string RejectVerb = "差し戻す";

    /// <summary>Moving an open baton to someone else (by hand or after expiry).</summary>
    public const string Reassign = "再割り当て";

    /// <summary>Approving a join request: a different action from accepting a baton, so a different word.</summary>
    public const string Approve = "承認";

    /// <summary>Declining a join request.</summary>
    public const string Decline = "却下";

    /// <summary>Customer Success: the contract was renewed (更新する, 更新日, 更新率).</summary>
    public const string Renew = "更新";

    /// <summary>The customer left (解約率, 解約理由).</summary>
    public const string Churn = "解約";

    /// <summary>The customer bought more.</summary>
    public const string Upsell = "アップセル";

    /// <summary>The customer was kicked off after the hand-over to CS.</summary>
    public const string KickOff = "導入完了";

    /// <summary>
    /// Words no text may use: 受け取 and 受諾 were synonyms of <see cref="Accept"/>; <see cref="Approve"/> and
    /// <see cref="Decline"/> are the join request's own, so a text about batons must not say them.
    /// </summary>
    public static readonly IReadOnlyList<string> Retired = ["受け取", "受諾"];
}
