namespace TheModel.Cards;

/// <summary>
/// Every fixed string the cards show, in English and Japanese. Values that come from the domain (state, reason,
/// temperature names) are mapped here too, so both renderers say the same thing.
/// </summary>
public sealed class CardTexts
{
    /// <summary>The reject reasons offered on both platforms, by the names of the domain's <c>RejectReason</c> enum.</summary>
    public static readonly IReadOnlyList<string> RejectReasons =
        ["NotTarget", "NoBudget", "NoAuthority", "NoNeed", "BadTiming", "Unreachable", "Duplicate", "Other"];

    public static readonly CardTexts English = new()
    {
        Language = "en",
        Accept = "Accept",
        Reject = "Reject",
        RejectTitle = "Reject handoff",
        RejectSubmit = "Reject",
        Cancel = "Cancel",
        ReasonLabel = "Reason",
        ReasonPlaceholder = "Choose a reason",
        NoteLabel = "Note (optional)",
        NotePlaceholder = "What should the sender know?",
        Contact = "Contact",
        Score = "Score",
        Source = "Source",
        Budget = "Budget",
        Authority = "Authority",
        Need = "Need",
        Timeline = "Timeline",
        Amount = "Amount",
        Assignee = "Assignee",
        DepartmentQueue = "Department queue",
        RoutedBecause = "Why routed",
        Deadline = "Accept by",
        State = "State",
        Outcome = "Outcome",
        DecidedBy = "By",
        DecidedAt = "When",
        ResponseTime = "Response time",
        Note = "Note",
        Attempt = "Re-offer",
        Overdue = "Overdue",
        More = "more",
        Truncated = "(shortened)",
        States = new Dictionary<string, string>
        {
            ["Offered"] = "Waiting for a decision",
            ["Accepted"] = "Accepted",
            ["Rejected"] = "Rejected",
            ["Expired"] = "Expired (no decision in time)",
        },
        Temperatures = new Dictionary<string, string> { ["Hot"] = "Hot", ["Warm"] = "Warm", ["Cold"] = "Cold" },
        Reasons = new Dictionary<string, string>
        {
            ["NotTarget"] = "Not our target",
            ["NoBudget"] = "No budget",
            ["NoAuthority"] = "No decision authority",
            ["NoNeed"] = "No need",
            ["BadTiming"] = "Bad timing",
            ["Unreachable"] = "Unreachable",
            ["Duplicate"] = "Duplicate",
            ["Other"] = "Other",
        },
    };

    public static readonly CardTexts Japanese = new()
    {
        Language = "ja",
        Accept = JapaneseTerms.Accept,
        Reject = JapaneseTerms.Reject,
        RejectTitle = $"{JapaneseTerms.Reject}の理由",
        RejectSubmit = JapaneseTerms.RejectVerb,
        Cancel = "キャンセル",
        ReasonLabel = "理由",
        ReasonPlaceholder = "理由を選択",
        NoteLabel = "メモ（任意）",
        NotePlaceholder = "送り手に伝えたいこと",
        Contact = "担当者",
        Score = "スコア",
        Source = "流入元",
        Budget = "予算",
        Authority = "決裁権",
        Need = "ニーズ",
        Timeline = "導入時期",
        Amount = "受注金額",
        Assignee = "担当",
        DepartmentQueue = "部署キュー",
        RoutedBecause = "割り当て理由",
        Deadline = $"{JapaneseTerms.Accept}期限",
        State = "状態",
        Outcome = "結果",
        DecidedBy = "判断者",
        DecidedAt = "日時",
        ResponseTime = "応答時間",
        Note = "メモ",
        Attempt = JapaneseTerms.Reassign,
        Overdue = "期限超過",
        More = "件 他",
        Truncated = "（省略）",
        States = new Dictionary<string, string>
        {
            ["Offered"] = "判断待ち",
            ["Accepted"] = $"{JapaneseTerms.Accept}済み",
            ["Rejected"] = $"{JapaneseTerms.Reject}済み",
            ["Expired"] = "期限切れ（判断なし）",
        },
        Temperatures = new Dictionary<string, string> { ["Hot"] = "ホット", ["Warm"] = "ウォーム", ["Cold"] = "コールド" },
        Reasons = new Dictionary<string, string>
        {
            ["NotTarget"] = "対象外",
            ["NoBudget"] = "予算なし",
            ["NoAuthority"] = "決裁権なし",
            ["NoNeed"] = "ニーズなし",
            ["BadTiming"] = "時期尚早",
            ["Unreachable"] = "連絡不可",
            ["Duplicate"] = "重複",
            ["Other"] = "その他",
        },
    };

    private CardTexts()
    {
    }

    /// <summary>Japanese for <c>ja</c>, <c>ja-JP</c> …; English otherwise.</summary>
    public static CardTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Japanese : English;

    public required string Language { get; init; }
    public required string Accept { get; init; }
    public required string Reject { get; init; }
    public required string RejectTitle { get; init; }
    public required string RejectSubmit { get; init; }
    public required string Cancel { get; init; }
    public required string ReasonLabel { get; init; }
    public required string ReasonPlaceholder { get; init; }
    public required string NoteLabel { get; init; }
    public required string NotePlaceholder { get; init; }
    public required string Contact { get; init; }
    public required string Score { get; init; }
    public required string Source { get; init; }
    public required string Budget { get; init; }
    public required string Authority { get; init; }
    public required string Need { get; init; }
    public required string Timeline { get; init; }
    public required string Amount { get; init; }
    public required string Assignee { get; init; }
    public required string DepartmentQueue { get; init; }
    public required string RoutedBecause { get; init; }
    public required string Deadline { get; init; }
    public required string State { get; init; }
    public required string Outcome { get; init; }
    public required string DecidedBy { get; init; }
    public required string DecidedAt { get; init; }
    public required string ResponseTime { get; init; }
    public required string Note { get; init; }
    public required string Attempt { get; init; }
    public required string Overdue { get; init; }
    public required string More { get; init; }
    public required string Truncated { get; init; }
    private IReadOnlyDictionary<string, string> States { get; init; } = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, string> Temperatures { get; init; } = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, string> Reasons { get; init; } = new Dictionary<string, string>();

    /// <summary>"Accepted" → "承諾済み"; an unknown state is shown as given.</summary>
    public string StateLabel(string state) => States.GetValueOrDefault(state, state);

    public string TemperatureLabel(string temperature) => Temperatures.GetValueOrDefault(temperature, temperature);

    /// <summary>"NoBudget" → "予算なし"; a value that is already a label (or free text) is shown as given.</summary>
    public string ReasonText(string reason) => Reasons.GetValueOrDefault(reason, reason);

    // Contacts: worded here from Language rather than as entries in both instances above.

    private bool Ja => Language == "ja";

    /// <summary>The button of a contact action (<see cref="CardActions.ContactLogs"/>).</summary>
    public string ContactActionLabel(string action) => action switch
    {
        CardActions.ContactCallReached => Ja ? "📞 通話できた" : "📞 Reached by phone",
        CardActions.ContactEmailSent => Ja ? "✉ メール送信" : "✉ Email sent",
        CardActions.ContactMeetingBooked => Ja ? "📅 商談予約" : "📅 Meeting booked",
        CardActions.ContactNoAnswer => Ja ? "✖ 不在" : "✖ No answer",
        _ => action,
    };

    public string ContactNoteLabel => Ja ? "接触メモ（任意）" : "Contact note (optional)";
    public string ContactNotePlaceholder => Ja ? "話した内容、次の一手" : "What was said, what comes next";
    /// <summary>The kick-off button of an accepted Won → CS card (<see cref="CardActions.KickOff"/>).</summary>
    public string KickOffLabel => Ja ? "✅ 導入完了" : "✅ Kick-off done";

    public string ContactTitle => Ja ? "接触を記録（メモは任意、ボタン一つで記録）" : "Log a contact (note optional, one click)";
}
