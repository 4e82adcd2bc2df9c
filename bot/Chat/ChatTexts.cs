using System.Globalization;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Bot.HandoffCards;
using TheModel.Cards;

namespace TheModel.Bot.Chat;

/// <summary>What the bot says in chat, in English or Japanese, and how it writes numbers (one decimal for rates and hours, yen with separators).</summary>
public sealed class ChatTexts
{
    public static readonly ChatTexts English = new(false);
    public static readonly ChatTexts Japanese = new(true);

    private readonly bool _ja;

    private ChatTexts(bool ja) => _ja = ja;

    public static ChatTexts For(string? language) =>
        language is not null && language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Japanese : English;

    public string Language => _ja ? "ja" : "en";

    private string T(string en, string ja) => _ja ? ja : en;

    // Help -------------------------------------------------------------------------------------------------------

    public string HelpTitle => T("What you can ask me", "使い方");

    public string HelpSection => T("Commands", "コマンド");

    public IReadOnlyList<(string Command, string Description)> Commands => _ja
        ?
        [
            ("ヘルプ", "この一覧"),
            ("ファネル [期間]", "ファネルの数字（今週・先月・直近30日・2026年10月・2026-W05）"),
            ("KPI [部署] [期間]", "部署別KPI（MK・IS・FS・CS）"),
            ("マイキュー / 期限切れ", "自分宛ての判断待ちバトン / 期限を過ぎたバトン"),
            ($"{JapaneseTerms.Renew} / {JapaneseTerms.Churn} / {JapaneseTerms.Upsell} / {JapaneseTerms.KickOff} <メール|会社名> …",
                $"CS: {JapaneseTerms.Renew} <金額> [月数]、{JapaneseTerms.Churn} <理由> [メモ]（Price・NoUsage・Competitor・Budget・Merged・Other）、{JapaneseTerms.Upsell} <金額>、{JapaneseTerms.KickOff}"),
            // The contact command shares the lead row: the help card keeps its ten rows.
            ("リード <メール|会社名> / 接触 <メール|会社名> <種類> <結果> [メモ]",
                "リードの状況 / 接触を記録（種類: 電話・メール・商談・チャット・メモ、結果: 通話できた・不在・送信・予約）"),
            ("逆算 <売上目標>", "売上目標から必要な受注・SQL・MQL・問い合わせ数（1000万、1.5億）"),
            ("ダイジェスト", "週次バトンミーティングのダイジェスト"),
            ("リンク <部署> / リンク ダイジェスト", "（チャンネルで）ここにバトン／ダイジェストを投稿"),
            ("参加 <部署>", $"部署への参加をマネージャーに申請（{JapaneseTerms.Approve}: {JapaneseTerms.Approve} <コード>）"),
        ]
        :
        [
            ("help", "this list"),
            ("funnel [period]", "funnel figures (this-week, last-month, last-30-days, 2026-10, 2026-W05)"),
            ("kpi [dept] [period]", "department KPIs (MK, IS, FS, CS)"),
            ("my queue / overdue", "handoffs waiting for your decision / past their deadline"),
            ("renewed / churned / upsold / onboarded <email|company> …",
                "CS: renewed <amount> [months], churned <reason> [note] (Price, NoUsage, Competitor, Budget, Merged, Other), upsold <amount>, kick-off"),
            ("lead <email|company> / contact <email|company> <kind> <outcome> [note]",
                "where a lead stands / log a touch (kind: call, email, meeting, chat, note; outcome: reached, no_answer, sent, booked)"),
            ("plan <revenue target>", "won deals, SQLs, MQLs and inquiries needed (10m, 1000万, 10,000,000)"),
            ("digest", "the weekly baton meeting digest"),
            ("link <dept> / link digest", "(in a channel) post batons / the digest here"),
            ("join <dept>", "ask a department's managers to add you (they answer: approve <code>)"),
        ];

    public string NotUnderstood(string text) => T($"I didn't understand \"{text}\".", $"「{text}」は分かりませんでした。");

    public string BadArgument(string command, string argument) => argument.Length == 0
        ? T($"\"{command}\" needs more: see the usage below.", $"「{command}」には続きが必要です。下の使い方をご覧ください。")
        : T($"I couldn't read \"{argument}\" for \"{command}\".", $"「{command}」の「{argument}」が読み取れませんでした。");

    // People and channels ----------------------------------------------------------------------------------------

    /// <summary>
    /// The one line a person outside the directory gets: whom to ask, and the id to give them (Teams: Entra object id;
    /// Slack: user id); when self-service joining is on, how to ask for it.
    /// </summary>
    public string NotInDirectory(IReadOnlyList<string> admins, ChatPlatform platform, string platformId, bool allowJoin)
    {
        var whom = admins.Count > 0 ? string.Join(_ja ? "、" : ", ", admins) : T("your sales operations admin", "営業推進（セールスオペレーション）の管理者");
        var idName = platform == ChatPlatform.Teams ? T("Entra object id", "Entra オブジェクト ID") : T("Slack user id", "Slack ユーザー ID");
        var join = allowJoin ? T(" Or send `join <dept>` to ask your department's manager.", " または `参加 <部署>` で部署のマネージャーに申請できます。") : "";
        return T(
            $"Sorry, only people in the directory can use this. Please ask {whom} to add you, with your {idName}: `{platformId}`.{join}",
            $"申し訳ありません。この機能は名簿に登録された方だけが使えます。{whom} に登録を依頼してください（あなたの {idName}: `{platformId}`）。{join}");
    }

    public string JoinDisabled(IReadOnlyList<string> admins, ChatPlatform platform, string platformId) =>
        T("Self-registration is switched off here. ", "このワークスペースでは自分での登録は無効です。") + NotInDirectory(admins, platform, platformId, false);

    public string LinkNotAllowed(Department? department) => department is { } d
        ? T($"Only an admin or a manager of {DepartmentName(d)} can link its baton channel.", $"{DepartmentName(d)}のバトンチャンネルを設定できるのは管理者か同部署のマネージャーだけです。")
        : T("Only an admin or a manager can link the digest channel.", "ダイジェストのチャンネルを設定できるのは管理者かマネージャーだけです。");

    public string AlreadyInDirectory(Department department) => T(
        $"You're already in the directory ({DepartmentName(department)}). To change department, ask an admin.",
        $"すでに名簿に登録されています（{DepartmentName(department)}）。部署の変更は管理者に依頼してください。");

    public string JoinRequested(Department department, string code, int managersTold) => managersTold > 0
        ? T($"I've asked the managers of {DepartmentName(department)} to add you (request {code}). You'll hear back once they decide.",
            $"{DepartmentName(department)}のマネージャーに参加を申請しました（リクエスト {code}）。{JapaneseTerms.Approve}されるとお知らせします。")
        : T($"Your request to join {DepartmentName(department)} is filed (request {code}), but I can't reach its managers in chat: tell them the code.",
            $"{DepartmentName(department)}への参加リクエストを登録しました（{code}）が、マネージャーにチャットで届けられません。コードを伝えてください。");

    public string JoinAlreadyRequested(string code) => T(
        $"Your join request {code} is still waiting for a manager.", $"参加リクエスト {code} はマネージャーの{JapaneseTerms.Approve}待ちです。");

    public string JoinRequestCardText(string name, Department department) => T(
        $"{name} asks to join {DepartmentName(department)}.", $"{name} さんが{DepartmentName(department)}への参加を申請しています。");

    public string JoinRequestNotFound(string code) => T($"No join request {code}.", $"参加リクエスト {code} は見つかりません。");

    public string JoinNotYours(Department department) => T(
        $"Only an admin or a manager of {DepartmentName(department)} can decide this request.",
        $"このリクエストを判断できるのは管理者か{DepartmentName(department)}のマネージャーだけです。");

    public string JoinApproved(string name, Department department) => T(
        $"{name} is now in {DepartmentName(department)}.", $"{name} さんを{DepartmentName(department)}に登録しました。");

    public string JoinDeclined(string name) => T($"{name}'s join request is declined.", $"{name} さんの参加リクエストを{JapaneseTerms.Decline}しました。");

    public string JoinAlreadyDecided(string state) => T($"This request is already {state.ToLowerInvariant()}.", state == "Approved" ? $"このリクエストは{JapaneseTerms.Approve}済みです。" : $"このリクエストは{JapaneseTerms.Decline}済みです。");

    public string Joined(Department department) => T(
        $"You're in {DepartmentName(department)} now. Try `my queue`.",
        $"{DepartmentName(department)}に登録しました。`マイキュー`で自分宛てのバトンを確認できます。");

    public string IdentityTaken => T(
        "That email belongs to someone already linked to another account. Ask an administrator.",
        "このメールアドレスは別のアカウントに紐づいています。管理者に確認してください。");

    public string LinkNeedsChannel => T(
        "Run `link` in the channel you want to link, not in a personal chat.",
        "`リンク`は個人チャットではなく、紐づけたいチャンネルで実行してください。");

    public string LinkedDepartment(Department department) => T(
        $"This channel is now the baton channel of {DepartmentName(department)}: new handoffs are posted here.",
        $"このチャンネルを{DepartmentName(department)}のバトンチャンネルにしました。新しいバトンはここに投稿されます。");

    public string LinkedDigest => T(
        "This channel now receives the weekly baton meeting digest.",
        "このチャンネルに週次バトンミーティングのダイジェストを投稿します。");

    public string BadPeriod(string? error) => T($"I couldn't use that period: {error}", $"その期間は使えません: {error}");

    // Queue, overdue, lead ---------------------------------------------------------------------------------------

    public string QueueTitle(int count) => T($"Your queue: {count} open handoff{(count == 1 ? "" : "s")}", $"マイキュー: 判断待ち {count}件");

    public string QueueEmpty => T("Nothing is waiting for your decision.", "判断待ちのバトンはありません。");

    public string AwaitingFirstTouchTitle(int count) => T($"Accepted, not yet contacted: {count}", $"受領済み・未着手: {count}件");

    public string OverdueTitle(Department? department, int count) => department is { } d
        ? T($"Overdue handoffs for {d}: {count}", $"{d} の期限超過バトン: {count}件")
        : T($"Overdue handoffs: {count}", $"期限超過バトン: {count}件");

    public string OverdueNone => T("No handoff is past its deadline.", "期限を過ぎたバトンはありません。");

    public string AndMore(int count) => T($"…and {count} more", $"…ほか {count}件");

    public string LeadTitle(string query) => T($"Lead: {query}", $"リード: {query}");

    public string LeadNotFound(string query) => T($"No lead matches \"{query}\".", $"「{query}」に一致するリードはありません。");

    public string Stage => T("Stage", "ステージ");

    public string DepartmentLabel => T("Department", "部署");

    public string Owner => T("Owner", "担当");

    public string Nobody => T("(none)", "（なし）");

    public string Score => T("Score", "スコア");

    public string Email => T("Email", "メール");

    public string Queue => T("department queue", "部署キュー");

    public string StageName(LeadStage stage) => stage switch
    {
        LeadStage.Inquiry => T("Inquiry", "問い合わせ"),
        LeadStage.Mql => "MQL",
        LeadStage.Sql => "SQL",
        LeadStage.Won => T("Won", "受注"),
        LeadStage.Lost => T("Lost", "失注"),
        LeadStage.Nurture => T("Nurture", "ナーチャリング"),
        _ => stage.ToString(),
    };

    public string EventName(LeadEventType type) => type switch
    {
        LeadEventType.LeadCreated => T("Lead created", "リード作成"),
        LeadEventType.LeadUpdated => T("Lead updated", "リード更新"),
        LeadEventType.ScoreChanged => T("Score changed", "スコア変更"),
        LeadEventType.BecameMql => T("Became MQL", "MQL化"),
        LeadEventType.BecameSql => T("Became SQL", "SQL化"),
        LeadEventType.Won => T("Won", "受注"),
        LeadEventType.Lost => T("Lost", "失注"),
        LeadEventType.Nurtured => T("Back to nurture", "ナーチャリングへ"),
        LeadEventType.ReturnedToIs => T("Returned to IS", "ISへ差し戻し"),
        LeadEventType.Activity => T("Activity", "活動"),
        LeadEventType.HandoffOffered => T("Handoff offered", "バトン送付"),
        LeadEventType.HandoffAccepted => T("Handoff accepted", $"バトン{JapaneseTerms.Accept}"),
        LeadEventType.HandoffRejected => T("Handoff rejected", $"バトン{JapaneseTerms.Reject}"),
        LeadEventType.HandoffExpired => T("Handoff expired", "バトン期限切れ"),
        LeadEventType.HandoffReassigned => T("Handoff reassigned", $"バトン{JapaneseTerms.Reassign}"),
        LeadEventType.SlaReminder => T("SLA reminder", "SLAリマインド"),
        LeadEventType.SlaEscalated => T("SLA escalated", "SLAエスカレーション"),
        LeadEventType.RoleChanged => T("Role changed", "ロール変更"),
        _ => type.ToString(),
    };

    public string DepartmentName(Department department) => department switch
    {
        Department.MK => T("Marketing (MK)", "マーケティング (MK)"),
        Department.IS => T("Inside Sales (IS)", "インサイドセールス (IS)"),
        Department.FS => T("Field Sales (FS)", "フィールドセールス (FS)"),
        Department.CS => T("Customer Success (CS)", "カスタマーサクセス (CS)"),
        _ => department.ToString(),
    };

    // Figures ----------------------------------------------------------------------------------------------------

    /// <summary>A period's label in the reader's words (<see cref="PeriodLabels"/>): 先週, 直近90日, 2026年11月.</summary>
    public string PeriodLabel(string label) => PeriodLabels.For(label, Language);

    public string FunnelTitle(string period) => T($"Funnel · {period}", $"ファネル · {period}");

    public string KpiTitle(string period, Department? department) => department is { } d
        ? T($"KPIs · {d} · {period}", $"KPI · {d} · {period}")
        : T($"KPIs · {period}", $"KPI · {period}");

    public string PlanTitle(decimal target) => T($"Reverse plan · {Yen(target)}", $"逆算 · {Yen(target)}");

    public string PlanTitle(decimal target, bool recurring) => recurring
        ? T($"Reverse plan · {Yen(target)} recurring", $"逆算 · 継続 {Yen(target)}")
        : PlanTitle(target);

    public string RecurringTarget => T("Recurring revenue target", "継続売上目標");
    public string Retained => T("Expected to stay (renewal)", "継続見込み（更新）");
    public string RenewalRate => T("Renewal rate", "更新率");

    public string PlanBasis(string period) => T($"Rates from {period}", $"{period}の実績から算出");

    public string PlanIncomplete => T(
        "Not enough history to compute every step (—).",
        "実績が足りず、計算できない項目があります（—）。");

    public string Stages => T("Stages", "ステージ");
    public string Conversion => T("Conversion", "転換率");
    public string Inquiries => T("Inquiries", "問い合わせ");
    public string Mqls => "MQL";
    public string Sqls => "SQL";
    public string Won => T("Won", "受注");
    public string Lost => T("Lost", "失注");
    public string Revenue => T("Revenue", "売上");
    public string MqlRate => T("MQL rate", "MQL率");
    public string MqlToSql => "MQL→SQL";
    public string WinRate => T("Win rate", "受注率");
    public string Offered => T("Offered", "送付");
    public string Accepted => T("Accepted", JapaneseTerms.Accept);
    public string Rejected => T("Rejected", JapaneseTerms.Reject);
    public string Expired => T("Expired", "期限切れ");
    public string AcceptanceRate => T("Acceptance rate", $"{JapaneseTerms.Accept}率");
    public string SlaCompliance => T("SLA compliance", "SLA遵守率");
    public string ResponseMedian => T("Response (median, business)", "応答時間（中央値・営業時間）");
    public string ResponseP90 => T("Response (p90, business)", "応答時間（p90・営業時間）");
    public string ResponseMedianWall => T("Response (median, clock)", "応答時間（中央値・実時間）");
    public string DroppedBalls => T("Dropped balls", "ポテンヒット");
    public string RejectReasons => T("Reject reasons", $"{JapaneseTerms.Reject}理由");
    public string DroppedBallsCallout(int count) => T($"Dropped balls: {count}", $"ポテンヒット {count}件");
    public string LeadNeglectRate => T("Lead neglect rate", "リード放置率");
    public string Recycled => T("Recycled to nurture", "ナーチャリングへ戻った理由");
    public string Overall => T("Overall", "全体");
    public string Needed => T("Needed", "必要数");
    public string Assumptions => T("Assumptions", "前提");
    public string Target => T("Revenue target", "売上目標");
    public string AverageWonAmount => T("Average won amount", "平均受注金額");

    public string KpiLabel(string key) => key switch
    {
        "inquiries" => Inquiries,
        "mqls" => T("MQLs", "MQL"),
        "mqlRate" => MqlRate,
        "sqls" => T("SQLs", "SQL"),
        "mqlToSql" or "sqlRate" => MqlToSql,
        "won" => Won,
        "lost" => Lost,
        "winRate" => WinRate,
        "revenue" => Revenue,
        "offered" => Offered,
        "accepted" => Accepted,
        "rejected" => Rejected,
        "expired" => Expired,
        "acceptanceRate" => AcceptanceRate,
        "mqlsReceived" => T("MQLs received", "届いたMQL"),
        "mqlsRejected" => T("MQLs rejected", "差し戻されたMQL"),
        "mqlAcceptanceRate" => T("MQL acceptance rate", $"MQL{JapaneseTerms.Accept}率"),
        "sqlsReceived" => T("SQLs received", "届いたSQL"),
        "sqlAcceptanceRate" => T("SQL acceptance rate", $"SQL{JapaneseTerms.Accept}率"),
        "onboardingsReceived" => T("Won deals received", "届いた受注"),
        "onboardingAcceptanceRate" => T("Onboarding acceptance rate", $"オンボーディング{JapaneseTerms.Accept}率"),
        "kickoffMedianBusinessHours" => T("Kickoff time, median (business h)", "キックオフまで 中央値（営業時間）"),
        "kickoffP90BusinessHours" => T("Kickoff time, p90 (business h)", "キックオフまで p90（営業時間）"),
        "slaCompliance" => SlaCompliance,
        "responseMedianBusinessHours" or "responseTimeMedian" or "medianResponseHours" => ResponseMedian,
        "responseP90BusinessHours" or "responseTimeP90" or "p90ResponseHours" => ResponseP90,
        "responseMedianWallHours" => ResponseMedianWall,
        "droppedBalls" => DroppedBalls,
        "leadNeglectRate" => LeadNeglectRate,
        "contactRate" => T("Contact rate", "コンタクト率"),
        "firstTouchMedianHours" => T("Lead response time, median (business h)", "リード対応時間 中央値（営業時間）"),
        "firstTouchP90Hours" => T("Lead response time, p90 (business h)", "リード対応時間 p90（営業時間）"),
        "contactSlaCompliance" => T("First contact within SLA", "期限内の初回接触率"),
        "opportunities" => T("Opportunities", "商談数"),
        "firstMeetingMedianHours" => T("Time to first meeting, median (business h)", "初回商談まで 中央値（営業時間）"),
        "recycled" => T("Recycled", "ナーチャリング戻り"),
        "onboardingMedianDays" => T("Won → onboarded, median (days)", "受注→導入完了 中央値（日）"),
        "renewalRate" => RenewalRate,
        "churnRate" => T("Churn rate", "解約率"),
        "upsells" => T("Upsells", "アップセル件数"),
        "upsellAmount" => T("Upsell amount", "アップセル金額"),
        "renewalsDue" => T("Renewals due (next 90 days)", "更新予定（90日以内）"),
        _ => Humanize(key),
    };

    public string Reason(string reason) => Cards.CardTexts.For(Language).ReasonText(reason);

    public const string None = "—";

    public string Count(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v).ToString("N0", CultureInfo.InvariantCulture) : None;

    public string Count(int? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : None;

    /// <summary>A ratio (0.123) as a percentage with one decimal (12.3%).</summary>
    public string Percent(double? ratio) => ratio is { } r && double.IsFinite(r) ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : None;

    public string Days(double? days) => days is { } d && double.IsFinite(d) ? d.ToString("0.0", CultureInfo.InvariantCulture) + T(" d", "日") : None;

    public string Hours(double? hours) => hours is { } h && double.IsFinite(h) ? h.ToString("0.0", CultureInfo.InvariantCulture) + T("h", "時間") : None;

    public string Yen(decimal? amount) => amount is { } a
        ? T($"¥{decimal.Round(a, 0).ToString("N0", CultureInfo.InvariantCulture)}", $"{decimal.Round(a, 0).ToString("N0", CultureInfo.InvariantCulture)}円")
        : None;

    /// <summary>A <c>KpiValue</c> by its unit (<c>count</c>, <c>ratio</c>, <c>hours</c>, <c>currency</c>).</summary>
    public string Format(double? value, string unit) => unit switch
    {
        "ratio" => Percent(value),
        "hours" => Hours(value),
        "days" => Days(value),
        "currency" => value is { } v && double.IsFinite(v) ? Yen((decimal)v) : None,
        "count" => Count(value),
        _ => value is { } x && double.IsFinite(x) ? x.ToString("0.#", CultureInfo.InvariantCulture) : None,
    };

    public static string KindLabel(HandoffKind kind) => HandoffCardFactory.KindLabel(kind);

    /// <summary><c>responseTimeP90</c> → <c>Response time p90</c> for keys we have no label for.</summary>
    private static string Humanize(string key)
    {
        var chars = new List<char>();
        foreach (var c in key)
        {
            if (char.IsUpper(c) && chars.Count > 0)
            {
                chars.Add(' ');
                chars.Add(char.ToLowerInvariant(c));
            }
            else
            {
                chars.Add(chars.Count == 0 ? char.ToUpperInvariant(c) : c);
            }
        }
        return new string(chars.ToArray());
    }

    // Contacts ---------------------------------------------------------------------------------------------------

    public string ActivityKindLabel(ActivityKind kind) => kind switch
    {
        ActivityKind.Call => T("📞 call", "📞 電話"),
        ActivityKind.Email => T("✉ email", "✉ メール"),
        ActivityKind.Meeting => T("📅 meeting", "📅 商談"),
        ActivityKind.Chat => T("💬 chat", "💬 チャット"),
        _ => T("📝 note", "📝 メモ"),
    };

    public string ActivityOutcomeLabel(ActivityOutcome outcome) => outcome switch
    {
        ActivityOutcome.Reached => T("reached", "通話できた"),
        ActivityOutcome.NoAnswer => T("no answer", "不在"),
        ActivityOutcome.Sent => T("sent", "送信"),
        _ => T("booked", "予約"),
    };

    public string ContactLogged(ActivityKind kind, ActivityOutcome outcome, string company, string name, double? firstTouchHours) =>
        T($"Logged {ActivityKindLabel(kind)} — {ActivityOutcomeLabel(outcome)} for {company} ({name}).",
            $"{company}（{name}）に {ActivityKindLabel(kind)} — {ActivityOutcomeLabel(outcome)} を記録しました。")
        + (firstTouchHours is { } h ? " " + FirstTouch(h) : "");

    /// <summary>"first touch after 2h 10m (business)" / 「初回接触まで 2時間10分(営業時間)」.</summary>
    public string FirstTouch(double businessHours) => HandoffCardFactory.FirstTouchText(businessHours, _ja) + T(".", "。");

    public string ContactNoBaton => T("This baton no longer exists; nothing was logged.", "このバトンは見つかりません。記録していません。");

    public string ContactNoteTooLong => T($"The note may be at most {TheModel.Api.Common.InputLimits.Note} characters; nothing was logged.",
        $"メモは {TheModel.Api.Common.InputLimits.Note} 文字以内にしてください。記録していません。");

    public string ContactNoLead(string query) => T($"No lead matches \"{query}\"; nothing was logged.", $"「{query}」に当たるリードはありません。記録していません。");

    public string ContactAmbiguous(string query, IEnumerable<string> leads) =>
        T($"\"{query}\" matches several leads; give the email. Nothing was logged:", $"「{query}」に当たるリードが複数あります。メールで指定してください（未記録）:")
        + string.Concat(leads.Select(l => "\n• " + l));

    public string ContactNotYours(string company) => T(
        $"Only whoever holds {company}, their manager or an admin may log its contacts; nothing was logged.",
        $"{company} の接触を記録できるのは担当者・そのマネージャー・管理者だけです。記録していません。");

    public string ContactInconsistent(ActivityKind kind, ActivityOutcome outcome) => T(
        $"{ActivityKindLabel(kind)} — {ActivityOutcomeLabel(outcome)} does not go together (sent is for email and chat, no answer for call, meeting and note); nothing was logged.",
        $"{ActivityKindLabel(kind)} と {ActivityOutcomeLabel(outcome)} は組み合わせられません（送信はメール・チャット、不在は電話・商談・メモ）。記録していません。");

    public string ContactFailed => T("The lead changed at the same moment; nothing was logged. Try again.", "同時に更新があったため記録できませんでした。もう一度お試しください。");
}
