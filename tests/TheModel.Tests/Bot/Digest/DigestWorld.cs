using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Settings;
using TheModel.Api.Store;
using TheModel.Tests.Api.Kpis;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>
/// A hand-built five weeks of The Model (calendar Asia/Tokyo). "Now" is the FakeClock's start, Monday 2026-11-16 09:00 JST,
/// the default digest time; the digest reports 2026-W46 (Mon 9 – Sun 15 November) against W45, with W42–W45 as the
/// trailing weeks. Expected figures, worked out by hand:
/// <code>
///            inquiries  MQL  SQL  won  lost   MQL rate  MQL→SQL  win rate
///   W46         10       4    1    1    1       0.40     0.25     0.50     revenue 1,000,000
///   W45          8       4    2    1    0       0.50     0.50     1.00     revenue 2,000,000
///   W44         10       5    3    -    -       0.50     0.60      -
///   W43         10       5    2    -    -       0.50     0.40      -
///   W42         10       5    3    -    -       0.50     0.60      -
/// </code>
/// MqlToIs in W46: offered 8 (H1–H8); accepted H1 H2, rejected H3 H4 (NotTarget) H5 (NoBudget), expired H6 → acceptance
/// 2/6; in time H1 H2 H3 H5 → SLA 4/6. Business hours of decisions [2,4,1,10,3] → median 3, p90 10; wall [2,20,1,30,3] →
/// median 3, p90 30. Dropped: H6 expired (Alice, Foxtrot KK) + H7 open past its W46 deadline (queue, Golf GK) = 2; H8 is
/// open but not due. W45: 4 accepted in time → acceptance 1, SLA 1.
/// SqlToFs W46: S1 accepted, S2 rejected NoNeed → 0.5 (W45: S3 accepted → 1). WonToCs W46: one accepted in 9 h.
/// Bottleneck (trailing means): MQL rate 0.4 vs 0.5 (−20%); MQL acceptance 1/3 vs 1 (−66.7%, the largest);
/// MQL→SQL 0.25 vs 0.525 (−52.4%); SQL acceptance 0.5 vs 1; win rate 0.5 vs 1 (−50%).
/// Lead neglect at W46's end (T = 15 Nov 15:00 UTC): held by FS are S1's and S3's leads (accepted in W46 and W45, so not
/// neglected) and Mike's and November's (accepted in July, last called in October — more than 14 days before T; their calls
/// after T do not count) → 2/4 = 1/2. Today's neglected list (by last activity now): only S1's lead, idle 20 days.
/// Recycled in W46: NotTarget 2, NoBudget 1.
/// IS backlog now: offered H7 H8 + accepted-but-still-MQL H1 and two of W45's = 5, over Alice and Bob (capacity 1 each;
/// Carol is unavailable) → 2.5 per member, 2.5× capacity → raise the MQL threshold 80 → 85.
/// </summary>
internal static class DigestWorld
{
    public static readonly DateTime Now = new(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc);
    public const string Week = "2026-W46";
    public const string PreviousWeek = "2026-W45";
    public const string SlackChannel = "C0DIGEST";
    public const string TeamsChannel = "19:digest@thread.tacv2";

    private static DateTime U(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    public static async Task SeedAsync(TheModelApp app)
    {
        (Guid Lead, DateTime LastCall)[] held = [];
        await app.WithDbAsync(async db =>
        {
            var alice = Person(db, "Alice", Department.IS, capacity: 1);
            var bob = Person(db, "Bob", Department.IS, capacity: 1);
            Person(db, "Carol", Department.IS, capacity: 30, available: false);
            var dan = Person(db, "Dan", Department.FS, capacity: 10);

            // Funnel events: distinct leads per stage and week (W46 dates are 9–14 Nov UTC, all inside the JST week).
            Stage(db, LeadEventType.LeadCreated, 10, U(11, 9, 1));
            Stage(db, LeadEventType.BecameMql, 4, U(11, 10, 1));
            Stage(db, LeadEventType.BecameSql, 1, U(11, 11, 1));
            Event(db, LeadEventType.Won, U(11, 12, 1), amount: 1_000_000m);
            Event(db, LeadEventType.Lost, U(11, 12, 2), reason: "競合");
            Event(db, LeadEventType.Nurtured, U(11, 10, 3), reason: "NotTarget");
            Event(db, LeadEventType.Nurtured, U(11, 11, 3), reason: "NotTarget");
            Event(db, LeadEventType.Nurtured, U(11, 11, 5), reason: "NoBudget");
            Stage(db, LeadEventType.LeadCreated, 8, U(11, 3, 1));
            Stage(db, LeadEventType.BecameMql, 4, U(11, 4, 1));
            Stage(db, LeadEventType.BecameSql, 2, U(11, 5, 1));
            Event(db, LeadEventType.Won, U(11, 6, 1), amount: 2_000_000m);
            foreach (var (day, sqls) in new[] { (27, 3), (20, 2), (13, 3) })
            {
                Stage(db, LeadEventType.LeadCreated, 10, U(10, day, 1));
                Stage(db, LeadEventType.BecameMql, 5, U(10, day, 2));
                Stage(db, LeadEventType.BecameSql, sqls, U(10, day, 3));
            }

            // MqlToIs, W46.
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Accepted, U(11, 9, 1), U(11, 10, 1), U(11, 9, 3), 2, 2, alice, Lead(db, "Alpha KK", "Aki Abe", LeadStage.Mql));
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Accepted, U(11, 9, 2), U(11, 10, 2), U(11, 9, 22), 4, 20, bob, Lead(db, "Bravo KK", "Ben Baba", LeadStage.Sql));
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Rejected, U(11, 10, 1), U(11, 11, 1), U(11, 10, 2), 1, 1, alice, Lead(db, "Charlie KK", "Chie Chiba", LeadStage.Nurture), RejectReason.NotTarget);
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Rejected, U(11, 10, 2), U(11, 11, 2), U(11, 11, 8), 10, 30, bob, Lead(db, "Delta KK", "Dai Doi", LeadStage.Nurture), RejectReason.NotTarget);
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Rejected, U(11, 11, 1), U(11, 12, 1), U(11, 11, 4), 3, 3, alice, Lead(db, "Echo KK", "Emi Endo", LeadStage.Nurture), RejectReason.NoBudget);
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Expired, U(11, 11, 2), U(11, 12, 2), U(11, 12, 5), 12, 27, alice, Lead(db, "Foxtrot KK", "Fumiko Sato", LeadStage.Mql));
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Offered, U(11, 12, 1), U(11, 13, 1), null, null, null, null, Lead(db, "Golf GK", "Goro Ito", LeadStage.Mql));
            Handoff(db, HandoffKind.MqlToIs, HandoffState.Offered, U(11, 14, 1), U(11, 17, 1), null, null, null, bob, Lead(db, "Hotel GK", "Hana Hori", LeadStage.Mql));
            // MqlToIs, W45: four accepted within the SLA; two of the leads are still MQLs.
            for (var i = 0; i < 4; i++)
            {
                var offered = U(11, 3, 1 + i);
                Handoff(db, HandoffKind.MqlToIs, HandoffState.Accepted, offered, offered.AddHours(24), offered.AddHours(1), 1, 1, bob,
                    Lead(db, $"W45 Co {i}", $"W45 Person {i}", i < 2 ? LeadStage.Mql : LeadStage.Sql));
            }

            // SqlToFs: W46 S1 accepted (lead idle 20 days), S2 rejected NoNeed; W45 S3 accepted (lead active 2 days ago).
            Handoff(db, HandoffKind.SqlToFs, HandoffState.Accepted, U(11, 12, 3), U(11, 13, 3), U(11, 12, 8), 5, 5, dan,
                Lead(db, "India KK", "Ichiro Ito", LeadStage.Sql, lastActivity: Now.AddDays(-20)));
            Handoff(db, HandoffKind.SqlToFs, HandoffState.Rejected, U(11, 12, 4), U(11, 13, 4), U(11, 12, 6), 2, 2, dan,
                Lead(db, "Juliet KK", "Jun Jo", LeadStage.Mql), RejectReason.NoNeed);
            Handoff(db, HandoffKind.SqlToFs, HandoffState.Accepted, U(11, 4, 1), U(11, 5, 1), U(11, 4, 2), 1, 1, dan,
                Lead(db, "Kilo KK", "Ken Kato", LeadStage.Sql, lastActivity: Now.AddDays(-2)));
            // SqlToFs accepted in July (before the 13 weeks of the trend), called in October and again after W46's end.
            var mike = Lead(db, "Mike KK", "Mai Mori", LeadStage.Sql, lastActivity: U(7, 1, 3), created: U(6, 1, 0));
            var november = Lead(db, "November KK", "Nao Noda", LeadStage.Sql, lastActivity: U(7, 1, 4), created: U(6, 1, 0));
            Handoff(db, HandoffKind.SqlToFs, HandoffState.Accepted, U(7, 1, 1), U(7, 2, 1), U(7, 1, 3), 2, 2, dan, mike);
            Handoff(db, HandoffKind.SqlToFs, HandoffState.Accepted, U(7, 1, 2), U(7, 2, 2), U(7, 1, 4), 2, 2, dan, november);
            held = [(mike.Id, U(10, 20, 1)), (november.Id, U(10, 25, 1))];
            // WonToCs, W46.
            Handoff(db, HandoffKind.WonToCs, HandoffState.Accepted, U(11, 13, 1), U(11, 16, 1), U(11, 13, 10), 9, 9, null,
                Lead(db, "Lima KK", "Rin Rai", LeadStage.Won));
            await db.SaveChangesAsync();
        });
        foreach (var (lead, lastCall) in held)
        {
            await LeadHistory.LogCallAsync(app, lead, lastCall);
            // A test whose clock starts a week earlier cannot log a call in its future.
            if (U(11, 15, 20) <= app.Clock.GetUtcNow().UtcDateTime)
            {
                await LeadHistory.LogCallAsync(app, lead, U(11, 15, 20));
            }
        }
    }

    /// <summary>What <c>link digest</c> stores, for both platforms.</summary>
    public static async Task LinkChannelsAsync(TheModelApp app, bool teams = true, bool slack = true)
    {
        await app.WithDbAsync(async db =>
        {
            if (teams)
            {
                db.Settings.Add(new Setting { Key = "digest-channel:teams", Json = ChannelJson(TeamsChannel), UpdatedAt = Now });
            }
            if (slack)
            {
                db.Settings.Add(new Setting { Key = "digest-channel:slack", Json = ChannelJson(SlackChannel), UpdatedAt = Now });
            }
            await db.SaveChangesAsync();
        });
    }

    public static Task<List<OutboxMessage>> DigestPostsAsync(TheModelApp app) =>
        app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.DigestWeekly).OrderBy(m => m.Id).ToListAsync());

    private static string ChannelJson(string conversationId) =>
        JsonSerializer.Serialize(new { conversationId, linkedBy = "U0ADMIN", linkedAt = Now }, JsonSerializerOptions.Web);

    private static Person Person(TheModelDb db, string name, Department department, int capacity, bool available = true)
    {
        var person = new Person
        {
            Name = name, Email = $"{name.ToLowerInvariant()}@example.jp", Department = department, Capacity = capacity, Available = available,
            CreatedAt = Now, UpdatedAt = Now,
        };
        db.People.Add(person);
        return person;
    }

    private static Lead Lead(TheModelDb db, string company, string contact, LeadStage stage, DateTime? lastActivity = null, DateTime? created = null)
    {
        var at = created ?? U(11, 1, 0);
        var lead = new Lead
        {
            Name = contact, Company = company, Stage = stage, CreatedAt = at, UpdatedAt = at, StageChangedAt = at,
            LastActivityAt = lastActivity ?? Now.AddDays(-1),
        };
        db.Leads.Add(lead);
        return lead;
    }

    private static void Handoff(TheModelDb db, HandoffKind kind, HandoffState state, DateTime offered, DateTime deadline, DateTime? decided,
        double? businessHours, double? wallHours, Person? assignee, Lead lead, RejectReason? reason = null) =>
        db.Handoffs.Add(new Handoff
        {
            LeadId = lead.Id, Kind = kind, State = state, OfferedAt = offered, DeadlineAt = deadline, DecidedAt = decided,
            ResponseBusinessHours = businessHours, ResponseWallHours = wallHours, AssigneeId = assignee?.Id, RejectReason = reason,
            Routing = assignee is null ? RoutingRule.Queue : RoutingRule.RoundRobin, RoutingReason = "test",
        });

    private static void Stage(TheModelDb db, LeadEventType type, int leads, DateTime at)
    {
        for (var i = 0; i < leads; i++)
        {
            Event(db, type, at.AddMinutes(i));
        }
    }

    private static void Event(TheModelDb db, LeadEventType type, DateTime at, decimal? amount = null, string? reason = null) =>
        db.Events.Add(new LeadEvent { LeadId = Guid.NewGuid(), Type = type, At = at, Amount = amount, Reason = reason });
}
