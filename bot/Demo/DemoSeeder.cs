using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Bot.Demo;

/// <summary>
/// <c>--seed-demo</c>: fills a new, empty database with a realistic quarter (the last 13 weeks) of The Model:
/// twelve people in four departments, a few hundred leads with Japanese companies and contacts, and their whole
/// relay — handoffs accepted, rejected with reasons, late, expired and re-offered, SQLs won with amounts and lost —
/// so that every figure, card and digest has something real to show. Deterministic: the same seed, the same data
/// (relative to today). Written straight to the store: history cannot go through the live use cases, which stamp "now".
/// </summary>
public sealed class DemoSeeder(TheModelDb db, IBusinessCalendar calendar, ISlaPolicies policies, TimeProvider time, ILogger<DemoSeeder> logger)
{
    public const string Switch = "--seed-demo";
    public const int LeadCount = 480;
    private static readonly TimeSpan Quarter = TimeSpan.FromDays(91);

    private readonly Random random = new(20261116);
    private readonly Dictionary<HandoffKind, SlaPolicy> sla = [];
    private readonly Dictionary<Department, List<Person>> reps = [];
    private readonly Dictionary<Department, int> nextRep = [];
    /// <summary>Outcomes of the demo's calls and mails: apart from <see cref="random"/>, so drawing them does not shift the other stories' draws.</summary>
    private readonly Random outcomes = new(20261208);
    /// <summary>Each lead's running first-contact clock per stage, touched by its first activity.</summary>
    private readonly Dictionary<(Guid Lead, LeadStage Stage), ContactClock> clocks = [];
    private DateTime now;

    /// <summary>
    /// The command line without the switch, for the host's configuration: there, <c>--seed-demo --urls http://…</c>
    /// would make <c>--urls</c> the switch's value (and the bot would listen on the default port). The switch takes none.
    /// </summary>
    public static string[] WithoutSwitch(string[] args) => args.Where(a => a != Switch).ToArray();

    /// <summary>Runs the seed when the switch is on the command line. False means: stop (the seed refused).</summary>
    public static async Task<bool> RunIfAskedAsync(IServiceProvider services, string[] args)
    {
        if (!args.Contains(Switch))
        {
            return true;
        }
        await using var scope = services.CreateAsyncScope();
        var seeder = scope.ServiceProvider.GetRequiredService<DemoSeeder>();
        return await seeder.SeedAsync();
    }

    public async Task<bool> SeedAsync(CancellationToken ct = default)
    {
        if (await db.Leads.AnyAsync(ct) || await db.People.AnyAsync(ct) || await db.Handoffs.AnyAsync(ct))
        {
            logger.LogError("--seed-demo refused: the database already holds people or leads. Seed a new database " +
                "(e.g. ConnectionStrings__TheModel=\"Data Source=demo.db\").");
            Console.Error.WriteLine("--seed-demo refused: the database is not empty. Point ConnectionStrings__TheModel at a new file.");
            Environment.ExitCode = 1;
            return false;
        }
        now = time.GetUtcNow().UtcDateTime;
        foreach (var kind in Enum.GetValues<HandoffKind>())
        {
            sla[kind] = await policies.ForAsync(kind, ct);
        }
        AddPeople();
        var start = now - Quarter;
        for (var i = 0; i < LeadCount; i++)
        {
            // Spread over the quarter, a little busier towards the end (marketing ramps up).
            var at = start + TimeSpan.FromTicks((long)(Quarter.Ticks * Math.Sqrt(random.NextDouble())));
            Relay(i, WorkingMoment(at));
        }
        foreach (var clock in clocks.Values.Where(c => c.FirstTouchAt is null))
        {
            // History is history: a clock already past due is not chased now (the figures count it as missed).
            clock.NextCheckAt = clock.DueAt < now ? ContactClocks.Stopped
                : ContactClocks.Schedule(clock, sla[ContactClocks.KindOf(clock.Stage)], calendar).Select(s => s.DueAt).Where(d => d > now).DefaultIfEmpty(clock.DueAt).Min();
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seeded the demo: {People} people, {Leads} leads, {Handoffs} handoffs, {Events} events",
            await db.People.CountAsync(ct), await db.Leads.CountAsync(ct), await db.Handoffs.CountAsync(ct), await db.Events.CountAsync(ct));
        return true;
    }

    private void AddPeople()
    {
        (Department Dept, string Name, string Email, bool Manager)[] staff =
        [
            (Department.MK, "高橋 美咲", "misaki.takahashi", true), (Department.MK, "小林 翔太", "shota.kobayashi", false),
            (Department.IS, "山口 直樹", "naoki.yamaguchi", true), (Department.IS, "佐藤 花子", "hanako.sato", false),
            (Department.IS, "鈴木 一郎", "ichiro.suzuki", false), (Department.IS, "中村 彩", "aya.nakamura", false),
            (Department.FS, "渡辺 健太", "kenta.watanabe", true), (Department.FS, "伊藤 誠", "makoto.ito", false),
            (Department.FS, "加藤 由美", "yumi.kato", false), (Department.FS, "吉田 大輔", "daisuke.yoshida", false),
            (Department.CS, "松本 恵", "megumi.matsumoto", true), (Department.CS, "井上 拓也", "takuya.inoue", false),
        ];
        Guid? manager = null;
        foreach (var (dept, name, email, isManager) in staff)
        {
            var person = new Person
            {
                Name = name, Email = $"{email}@themodel-demo.co.jp", Department = dept, Capacity = 40,
                ManagerId = isManager ? null : manager, CreatedAt = now - Quarter - TimeSpan.FromDays(7), UpdatedAt = now,
            };
            if (isManager)
            {
                manager = person.Id;
            }
            else
            {
                (reps.TryGetValue(dept, out var list) ? list : reps[dept] = []).Add(person);
            }
            db.People.Add(person);
        }
        // One IS rep is on leave: routing skips them from today.
        reps[Department.IS][^1].Available = false;
    }

    /// <summary>One lead's whole story, stopping wherever "now" falls.</summary>
    private void Relay(int index, DateTime createdAt)
    {
        var (company, domain) = Companies[random.Next(Companies.Count)];
        var family = FamilyNames[random.Next(FamilyNames.Count)];
        var given = GivenNames[random.Next(GivenNames.Count)];
        var score = Math.Clamp((int)Math.Round(70 + 18 * Gaussian()), 5, 100);
        var lead = new Lead
        {
            ExternalId = $"demo-{index + 1:0000}",
            Name = $"{family.Kanji} {given.Kanji}",
            Email = $"{given.Romaji}.{family.Romaji}{(index % 7 == 0 ? index.ToString() : "")}@{domain}",
            Title = Titles[random.Next(Titles.Count)],
            Company = company,
            Domain = domain,
            Source = Sources[random.Next(Sources.Count)],
            Score = score,
            CreatedAt = createdAt, UpdatedAt = createdAt, StageChangedAt = createdAt, LastActivityAt = createdAt,
        };
        db.Leads.Add(lead);
        var marketing = Actor.Client("marketing-automation");
        db.Record(lead.Id, LeadEventType.LeadCreated, createdAt, marketing, lead.Source, department: Department.MK, data: new { score });
        if (score < 80)
        {
            return;
        }

        var mqlAt = createdAt.AddMinutes(random.Next(1, 30));
        if (mqlAt > now)
        {
            return;
        }
        Move(lead, LeadStage.Mql, Department.MK, mqlAt);
        db.Record(lead.Id, LeadEventType.BecameMql, mqlAt, marketing, $"score {score} ≥ threshold 80", department: Department.MK);
        var mql = Offer(lead, HandoffKind.MqlToIs, mqlAt, out var decided);
        if (mql is null)
        {
            return;
        }
        if (mql.State == HandoffState.Rejected)
        {
            Move(lead, LeadStage.Nurture, Department.MK, decided);
            lead.OwnerId = null;
            db.Record(lead.Id, LeadEventType.Nurtured, decided, Decider(mql), mql.RejectReason.ToString(), mql, Department.MK);
            return;
        }

        // Accepted by IS: calls, then BANT, or a slow fade.
        var sqlAt = Activities(lead, decided, random.Next(1, 4), maxDays: 12);
        var roll = random.NextDouble();
        if (roll < 0.1 && sqlAt is { } lostAt)
        {
            Lose(lead, lostAt, Decider(mql));
            return;
        }
        if (roll > 0.7 || sqlAt is null)
        {
            return;
        }
        var fsBudget = (decimal)(random.Next(10, 300) * 100_000);
        lead.Bant = new Bant { Budget = fsBudget, Authority = Authorities[random.Next(Authorities.Count)], Need = Needs[random.Next(Needs.Count)], Timeline = Timelines[random.Next(Timelines.Count)] };
        Move(lead, LeadStage.Sql, Department.IS, sqlAt.Value);
        db.Record(lead.Id, LeadEventType.BecameSql, sqlAt.Value, Decider(mql), "BANT complete", department: Department.IS);
        var sql = Offer(lead, HandoffKind.SqlToFs, sqlAt.Value, out decided);
        if (sql is null)
        {
            return;
        }
        if (sql.State == HandoffState.Rejected)
        {
            Move(lead, LeadStage.Mql, Department.IS, decided);
            db.Record(lead.Id, LeadEventType.ReturnedToIs, decided, Decider(sql), sql.RejectReason.ToString(), sql, Department.IS);
            return;
        }

        // FS works the deal; some are left alone long enough to count as neglected (リード放置).
        var neglected = random.NextDouble() < 0.15;
        var closeAt = Activities(lead, decided, neglected ? 0 : random.Next(2, 5), maxDays: 14);
        if (closeAt is null || neglected)
        {
            return;
        }
        var outcome = random.NextDouble();
        if (outcome < 0.55)
        {
            var amount = Math.Round(fsBudget * (decimal)(0.6 + random.NextDouble() * 0.6) / 10_000m) * 10_000m;
            lead.Amount = amount;
            Move(lead, LeadStage.Won, Department.FS, closeAt.Value);
            db.Record(lead.Id, LeadEventType.Won, closeAt.Value, Decider(sql), department: Department.FS, amount: amount);
            Offer(lead, HandoffKind.WonToCs, closeAt.Value, out _);
        }
        else if (outcome < 0.85)
        {
            Lose(lead, closeAt.Value, Decider(sql));
        }
    }

    /// <summary>Offers a handoff at <paramref name="at"/> and plays out the decision; null when the offer itself is in the future.</summary>
    private Handoff? Offer(Lead lead, HandoffKind kind, DateTime at, out DateTime decidedAt, Handoff? previous = null)
    {
        decidedAt = at;
        if (at > now)
        {
            return null;
        }
        var to = kind.To();
        var team = reps[to];
        var assignee = team[nextRep[to] = (nextRep.GetValueOrDefault(to) + 1) % team.Count];
        assignee.LastAssignedAt = at;
        var route = new RoutingDecision(assignee.Id, RoutingRule.RoundRobin,
            new RoutingFacts { Department = to, Pool = team.Count, Open = 0, Capacity = assignee.Capacity });
        var handoff = new Handoff
        {
            LeadId = lead.Id, Kind = kind, AssigneeId = assignee.Id, Routing = route.Rule,
            RoutingReason = route.Reason, RoutingFacts = route.Facts,
            OfferedAt = at, DeadlineAt = calendar.AddBusinessTime(at, sla[kind].AcceptWithin),
            Attempt = previous is null ? 0 : previous.Attempt + 1, PreviousHandoffId = previous?.Id,
        };
        db.Handoffs.Add(handoff);
        db.Record(lead.Id, LeadEventType.HandoffOffered, at, Actor.System, handoff.RoutingReason, handoff, data: RoutingEventData.Of(route));
        if (ContactClocks.Start(lead, kind, previous is not null, sla[kind], calendar, at) is { } clock)
        {
            db.ContactClocks.Add(clock);
            clocks[(lead.Id, clock.Stage)] = clock;
        }

        // Most answer within the SLA; a tail answers late; a few never answer and the offer expires.
        var window = sla[kind].AcceptWithin.TotalHours;
        var roll = random.NextDouble();
        if (roll < 0.07 && previous is null)
        {
            var expiresAt = calendar.AddBusinessTime(handoff.DeadlineAt, sla[kind].ReassignAfter);
            if (expiresAt > now)
            {
                return handoff;
            }
            handoff.Expire(expiresAt, calendar.BusinessTimeBetween(at, expiresAt).TotalHours);
            db.Record(lead.Id, LeadEventType.HandoffExpired, expiresAt, Actor.System, "SLA ran out", handoff);
            return Offer(lead, kind, expiresAt, out decidedAt, handoff);
        }
        var businessHours = roll < 0.8 ? window * random.NextDouble() * 0.6 : window * (0.8 + random.NextDouble() * 0.8);
        var decided = calendar.AddBusinessTime(at, TimeSpan.FromHours(Math.Max(0.05, businessHours)));
        if (decided > now)
        {
            return handoff;
        }
        var reject = kind != HandoffKind.WonToCs && random.NextDouble() < (kind == HandoffKind.MqlToIs ? 0.22 : 0.12);
        var hours = calendar.BusinessTimeBetween(at, decided).TotalHours;
        if (reject)
        {
            var reason = RejectReasons[random.Next(RejectReasons.Count)];
            handoff.Reject(assignee, assignee, decided, hours, reason, reason == RejectReason.Other ? "担当者退職のため保留" : null);
            db.Record(lead.Id, LeadEventType.HandoffRejected, decided, Actor.Person(assignee.Id, assignee.Name), reason.ToString(), handoff);
        }
        else
        {
            handoff.Accept(assignee, assignee, decided, hours);
            lead.OwnerId = assignee.Id;
            Move(lead, lead.Stage, to, decided);
            db.Record(lead.Id, LeadEventType.HandoffAccepted, decided, Actor.Person(assignee.Id, assignee.Name), null, handoff);
        }
        decidedAt = decided;
        return handoff;
    }

    /// <summary>A few calls and meetings after <paramref name="from"/>; returns when the next step would come, or null if it is past now.</summary>
    private DateTime? Activities(Lead lead, DateTime from, int count, int maxDays)
    {
        var at = from;
        for (var i = 0; i < count; i++)
        {
            at = WorkingMoment(at + TimeSpan.FromHours(random.Next(4, maxDays * 24 / Math.Max(1, count))));
            if (at > now)
            {
                return null;
            }
            lead.LastActivityAt = at;
            lead.UpdatedAt = at;
            var (kind, note) = ActivityNotes[random.Next(ActivityNotes.Count)];
            db.Record(lead.Id, LeadEventType.Activity, at, Owner(lead), note, department: lead.Department, data: new { kind });
            LogActivity(lead, kind, note, at);
        }
        var next = WorkingMoment(at + TimeSpan.FromHours(random.Next(2, 72)));
        return next > now ? null : next;
    }

    /// <summary>The activity row, and the first touch (and contact) on the lead's running clock.</summary>
    private void LogActivity(Lead lead, string kind, string note, DateTime at)
    {
        var activityKind = kind switch { "email" => ActivityKind.Email, "meeting" => ActivityKind.Meeting, _ => ActivityKind.Call };
        var outcome = activityKind switch
        {
            ActivityKind.Email => ActivityOutcome.Sent,
            ActivityKind.Meeting => ActivityOutcome.Booked,
            _ => outcomes.NextDouble() < 0.6 ? ActivityOutcome.Reached : ActivityOutcome.NoAnswer,
        };
        var activity = new LeadActivity { LeadId = lead.Id, PersonId = lead.OwnerId, Kind = activityKind, Outcome = outcome, At = at, Note = note, RecordedAt = at };
        db.Activities.Add(activity);
        if (!clocks.TryGetValue((lead.Id, lead.Stage), out var clock))
        {
            return;
        }
        if (clock.FirstTouchAt is null)
        {
            clock.FirstTouchAt = at;
            clock.FirstTouchBusinessHours = calendar.BusinessTimeBetween(clock.StartedAt, at).TotalHours;
            clock.NextCheckAt = ContactClocks.Stopped;
        }
        if (clock.FirstContactAt is null && activity.IsContact)
        {
            clock.FirstContactAt = at;
        }
    }

    private void Lose(Lead lead, DateTime at, Actor actor)
    {
        var from = lead.Department;
        lead.LostReason = LostReasons[random.Next(LostReasons.Count)];
        db.Record(lead.Id, LeadEventType.Lost, at, actor, lead.LostReason, department: from);
        db.Record(lead.Id, LeadEventType.Nurtured, at, actor, "Lost", department: Department.MK);
        lead.OwnerId = null;
        Move(lead, LeadStage.Nurture, Department.MK, at);
    }

    private static void Move(Lead lead, LeadStage stage, Department department, DateTime at)
    {
        if (lead.Stage != stage)
        {
            lead.StageChangedAt = at;
        }
        lead.Stage = stage;
        lead.Department = department;
        lead.UpdatedAt = at;
        lead.LastActivityAt = at > lead.LastActivityAt ? at : lead.LastActivityAt;
    }

    private Actor Owner(Lead lead) =>
        reps.Values.SelectMany(p => p).FirstOrDefault(p => p.Id == lead.OwnerId) is { } p ? Actor.Person(p.Id, p.Name) : Actor.System;

    private Actor Decider(Handoff handoff) =>
        reps[handoff.To].FirstOrDefault(p => p.Id == handoff.AssigneeId) is { } p ? Actor.Person(p.Id, p.Name) : Actor.System;

    /// <summary>Moves an instant into Tokyo office hours (people mostly work then).</summary>
    private DateTime WorkingMoment(DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, calendar.TimeZone);
        while (local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            local = local.Date.AddDays(1).AddHours(9 + random.Next(0, 9));
        }
        if (local.Hour is < 9 or >= 18)
        {
            local = local.Date.AddHours(9 + random.Next(0, 9)).AddMinutes(random.Next(60));
        }
        var result = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), calendar.TimeZone);
        return result > now ? utc : result;
    }

    private double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static readonly IReadOnlyList<(string Name, string Domain)> Companies =
    [
        ("株式会社さくらテクノロジー", "sakura-tech.co.jp"), ("富士山ソリューションズ株式会社", "fujisan-sol.co.jp"),
        ("株式会社みなと物流", "minato-logi.co.jp"), ("東海精密工業株式会社", "tokai-seimitsu.co.jp"),
        ("株式会社北斗システム", "hokuto-sys.co.jp"), ("青葉フーズ株式会社", "aoba-foods.co.jp"),
        ("株式会社ひかり不動産", "hikari-re.co.jp"), ("瀬戸内マリン株式会社", "setouchi-marine.co.jp"),
        ("株式会社つばさメディカル", "tsubasa-med.co.jp"), ("大和建設株式会社", "yamato-kensetsu.co.jp"),
        ("株式会社いろはデザイン", "iroha-design.co.jp"), ("京橋ファイナンス株式会社", "kyobashi-fin.co.jp"),
        ("株式会社あおぞら教育", "aozora-edu.co.jp"), ("信濃エナジー株式会社", "shinano-energy.co.jp"),
        ("株式会社こだま通信", "kodama-tsushin.co.jp"), ("浪速商事株式会社", "naniwa-shoji.co.jp"),
        ("株式会社はやぶさ運輸", "hayabusa-unyu.co.jp"), ("みちのく酒造株式会社", "michinoku-shuzo.co.jp"),
        ("株式会社ことぶきホテルズ", "kotobuki-hotels.co.jp"), ("日本橋アパレル株式会社", "nihonbashi-apparel.co.jp"),
        ("株式会社わかばクリニック", "wakaba-clinic.jp"), ("札幌データラボ株式会社", "sapporo-datalab.co.jp"),
        ("株式会社にじいろ保険", "nijiiro-hoken.co.jp"), ("博多ロボティクス株式会社", "hakata-robotics.co.jp"),
        ("株式会社すばる化学", "subaru-kagaku.co.jp"), ("横浜港湾サービス株式会社", "yokohama-kowan.co.jp"),
        ("株式会社たまがわ製薬", "tamagawa-pharma.co.jp"), ("金沢クラフト株式会社", "kanazawa-craft.co.jp"),
        ("株式会社ゆずりはIT", "yuzuriha-it.co.jp"), ("近江リテール株式会社", "omi-retail.co.jp"),
    ];

    private static readonly IReadOnlyList<(string Kanji, string Romaji)> FamilyNames =
    [
        ("田中", "tanaka"), ("山本", "yamamoto"), ("中島", "nakajima"), ("小川", "ogawa"), ("石井", "ishii"), ("森", "mori"),
        ("清水", "shimizu"), ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"), ("岡田", "okada"), ("藤田", "fujita"),
        ("後藤", "goto"), ("長谷川", "hasegawa"), ("村上", "murakami"), ("近藤", "kondo"), ("坂本", "sakamoto"), ("遠藤", "endo"),
    ];

    private static readonly IReadOnlyList<(string Kanji, string Romaji)> GivenNames =
    [
        ("太郎", "taro"), ("陽子", "yoko"), ("健一", "kenichi"), ("真由美", "mayumi"), ("翔", "sho"), ("結衣", "yui"),
        ("大翔", "hiroto"), ("さくら", "sakura"), ("隆", "takashi"), ("明美", "akemi"), ("悠斗", "yuto"), ("愛", "ai"),
    ];

    private static readonly IReadOnlyList<string> Titles = ["情報システム部 部長", "営業企画部 課長", "経営企画室 室長", "代表取締役", "DX推進部 主任", "総務部 マネージャー", "マーケティング部 担当"];
    private static readonly IReadOnlyList<string> Sources = ["webinar", "whitepaper", "exhibition", "website-form", "referral", "seminar", "ads"];
    private static readonly IReadOnlyList<string> Authorities = ["部長決裁", "役員会承認", "社長決裁", "情シス部長"];
    private static readonly IReadOnlyList<string> Needs = ["営業プロセスの可視化", "リード管理の一元化", "インサイドセールス立ち上げ", "商談管理の属人化解消", "解約率の改善"];
    private static readonly IReadOnlyList<string> Timelines = ["今期中", "来期4月", "3か月以内", "半年以内"];
    private static readonly IReadOnlyList<string> LostReasons = ["競合製品に決定", "予算凍結", "導入時期未定", "社内稟議否決", "価格"];
    private static readonly IReadOnlyList<(string Kind, string Note)> ActivityNotes =
    [
        ("call", "初回架電: 課題ヒアリング"), ("email", "資料送付"), ("meeting", "オンライン商談"), ("call", "不在のため再架電"),
        ("meeting", "デモ実施"), ("email", "見積書送付"),
    ];

    private static readonly IReadOnlyList<RejectReason> RejectReasons =
    [
        RejectReason.NotTarget, RejectReason.NotTarget, RejectReason.NoBudget, RejectReason.NoBudget, RejectReason.NoAuthority,
        RejectReason.NoNeed, RejectReason.BadTiming, RejectReason.BadTiming, RejectReason.Unreachable, RejectReason.Unreachable,
        RejectReason.Duplicate, RejectReason.Other,
    ];
}
