using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Routing;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.HandoffCards;

/// <summary>
/// Builds the channel-neutral <see cref="HandoffCardModel"/> from the store, for one reader: texts in the
/// reader's language, times in the reader's time zone. Teams and Slack both render what this returns.
/// </summary>
public sealed class HandoffCardFactory(TheModelDb db, TimeProvider time, IBusinessCalendar calendar)
{
    public async Task<HandoffCardModel?> BuildAsync(Guid handoffId, Person? reader, string? banner = null, CancellationToken ct = default) =>
        await ReadAsync(handoffId, ct) is { } source ? Build(source, reader, banner) : null;

    /// <summary>What the card of a handoff is rendered from (one round trip), to render it for several readers.</summary>
    public async Task<HandoffCardSource?> ReadAsync(Guid handoffId, CancellationToken ct = default) =>
        await HandoffCardSource.Query(db, handoffId, ct) is { } source
            ? source with { Clock = await ClockAsync(source.Handoff, ct), Back = await RecycledLine.ReadAsync(db, source.Handoff, ct) }
            : null;

    public HandoffCardModel Build(HandoffCardSource source, Person? reader, string? banner = null) =>
        Build(source.Handoff, source.Lead, source.People, reader, banner, clock: source.Clock, back: source.Back);

    /// <summary>The clock started with (or just before) this offer: a re-offer after expiry shows the same clock.</summary>
    private async Task<ContactClock?> ClockAsync(Handoff handoff, CancellationToken ct) =>
        ContactClocks.StageOf(handoff.Kind) is { } stage
            ? await db.ContactClocks.AsNoTracking()
                .Where(c => c.LeadId == handoff.LeadId && c.Stage == stage && c.StartedAt <= handoff.OfferedAt)
                .OrderByDescending(c => c.StartedAt).FirstOrDefaultAsync(ct)
            : null;

    /// <summary>The contact action a card verb logs (<see cref="TheModel.Cards.CardActions.ContactLogs"/>), or null.</summary>
    public static (ActivityKind Kind, ActivityOutcome Outcome)? ContactOf(string verb) => verb switch
    {
        TheModel.Cards.CardActions.ContactCallReached => (ActivityKind.Call, ActivityOutcome.Reached),
        TheModel.Cards.CardActions.ContactEmailSent => (ActivityKind.Email, ActivityOutcome.Sent),
        TheModel.Cards.CardActions.ContactMeetingBooked => (ActivityKind.Meeting, ActivityOutcome.Booked),
        TheModel.Cards.CardActions.ContactNoAnswer => (ActivityKind.Call, ActivityOutcome.NoAnswer),
        _ => null,
    };

    /// <summary>
    /// The card of a handoff this unit of work has just read or decided: its lead and people come from the unit of
    /// work when it holds them (no round trip after a click), from the store otherwise.
    /// </summary>
    public async Task<HandoffCardModel> BuildAsync(Handoff handoff, Person? reader, CancellationToken ct = default)
    {
        var lead = await db.Leads.FindAsync([handoff.LeadId], ct)
            ?? throw new InvalidOperationException($"Handoff {handoff.Id} has no lead {handoff.LeadId}");
        var people = new Dictionary<Guid, Person>();
        foreach (var id in new[] { handoff.AssigneeId, handoff.DecidedById }.OfType<Guid>().Distinct())
        {
            if (await db.People.FindAsync([id], ct) is { } person)
            {
                people[id] = person;
            }
        }
        return Build(handoff, lead, people, reader, clock: await ClockAsync(handoff, ct), back: await RecycledLine.ReadAsync(db, handoff, ct));
    }

    /// <remarks><paramref name="language"/>: overrides the reader's language (<c>en</c>/<c>ja</c>), e.g. for someone not in the directory yet.</remarks>
    /// <remarks><paramref name="clock"/>: the lead's first-contact clock for this handoff (<see cref="ReadAsync"/> reads it), for the first-touch line.</remarks>
    /// <remarks><paramref name="back"/>: the lead's last Nurtured event before this offer (<see cref="RecycledLine"/>), for a recycled MQL.</remarks>
    public HandoffCardModel Build(Handoff handoff, Lead lead, IReadOnlyDictionary<Guid, Person> people, Person? reader, string? banner = null,
        string? language = null, ContactClock? clock = null, NurturedBefore? back = null)
    {
        var ja = language is not null ? language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) : reader?.PrefersJapanese ?? true;
        var zone = ReaderTimeZone.For(reader, calendar);
        var now = time.GetUtcNow().UtcDateTime;
        var left = handoff.DeadlineAt - now;
        return new HandoffCardModel
        {
            HandoffId = handoff.Id.ToString(),
            Kind = handoff.Kind.ToString(),
            KindLabel = KindLabel(handoff.Kind),
            Company = lead.Company,
            ContactName = lead.Name,
            ContactTitle = lead.Title,
            ContactEmail = lead.Email,
            Score = lead.Score,
            Temperature = lead.Temperature.ToString(),
            Source = lead.Source,
            Bant = handoff.Kind == HandoffKind.SqlToFs
                ? new BantView(lead.Bant.Budget?.ToString("N0", CultureInfo.InvariantCulture), lead.Bant.Authority, lead.Bant.Need, lead.Bant.Timeline)
                : null,
            Amount = handoff.Kind == HandoffKind.WonToCs && lead.Amount is { } amount ? amount.ToString("N0", CultureInfo.InvariantCulture) : null,
            Assignee = handoff.AssigneeId is { } a && people.TryGetValue(a, out var assignee) ? Ref(assignee) : null,
            RoutingReason = RoutingReasonTexts.For(handoff, ja ? "ja" : "en"),
            Deadline = ReaderTimeZone.Local(handoff.DeadlineAt, zone),
            // A channel copy has no single reader: it shows the calendar's time and says which.
            TimeZoneLabel = reader is null ? ReaderTimeZone.Label(zone, handoff.DeadlineAt) : null,
            TimeLeft = !handoff.IsOpen ? "" : left >= TimeSpan.Zero
                ? (ja ? $"残り {Duration(left)}" : $"{Duration(left)} left")
                : (ja ? $"{Duration(-left)} 超過" : $"overdue {Duration(-left)}"),
            Overdue = handoff.IsOpen && left < TimeSpan.Zero,
            State = handoff.State.ToString(),
            Decision = handoff.DecidedAt is { } at
                ? new DecisionView(
                    handoff.State.ToString(),
                    handoff.DecidedById is { } by && people.TryGetValue(by, out var decider) ? Ref(decider) : null,
                    ReaderTimeZone.Local(at, zone),
                    Duration(at - handoff.OfferedAt),
                    handoff.RejectReason?.ToString(),
                    handoff.RejectNote)
                : null,
            Attempt = handoff.Attempt,
            Language = ja ? "ja" : "en",
            Banner = banner,
            // Contacts are logged while the lead is still where this handoff put it (an MQL qualified to SQL logs on the SqlToFs card).
            ContactActions = handoff.State == HandoffState.Accepted && ContactClocks.StageOf(handoff.Kind) is { } stage && lead.Stage == stage,
            FirstTouch = clock?.FirstTouchBusinessHours is { } hours ? FirstTouchText(hours, ja) : null,
            BackBecause = RecycledLine.Text(back, handoff.OfferedAt, ja),
            ContactDue = handoff.State is HandoffState.Offered or HandoffState.Accepted && clock is { FirstTouchAt: null } running
                && running.NextCheckAt != ContactClocks.Stopped
                ? ContactDue(running.DueAt, now, zone, ja)
                : null,
            // Customer Success: the holder of an accepted Won → CS baton records the kick-off once.
            KickOffAction = handoff.Kind == HandoffKind.WonToCs && handoff.State == HandoffState.Accepted && lead.Stage == LeadStage.Won
                && lead.OnboardedAt is null && lead.ChurnedAt is null,
            KickedOff = handoff.Kind == HandoffKind.WonToCs && lead.OnboardedAt is { } onboarded
                ? KickedOffText(ReaderTimeZone.Local(onboarded, zone), ja)
                : null,
        };
    }

    /// <summary>"Kicked off on 2026-12-07" / 「導入完了: 2026-12-07」, the reader's date.</summary>
    public static string KickedOffText(DateTimeOffset at, bool ja)
    {
        var date = at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return ja ? $"導入完了: {date}" : $"Kicked off on {date}";
    }

    /// <summary>"First touch after 2h 10m (business)" / 「初回接触まで 2時間10分(営業時間)」.</summary>
    public static string FirstTouchText(double businessHours, bool ja)
    {
        var minutes = (int)Math.Round(businessHours * 60, MidpointRounding.AwayFromZero);
        return ja ? $"初回接触まで {minutes / 60}時間{minutes % 60}分(営業時間)" : $"First touch after {minutes / 60}h {minutes % 60}m (business)";
    }

    /// <summary>"contact by 12/08 15:00 — 5h left" / 「12/08 15:00 までに接触 — 残り5時間」, in the reader's zone.</summary>
    private static string ContactDue(DateTime dueUtc, DateTime now, TimeZoneInfo zone, bool ja)
    {
        var at = Local(dueUtc, zone);
        var left = dueUtc - now;
        var span = Coarse(left, ja);
        return ja
            ? $"{at} までに接触 — {(left >= TimeSpan.Zero ? $"残り{span}" : $"{span}超過")}"
            : $"contact by {at} — {(left >= TimeSpan.Zero ? $"{span} left" : $"overdue {span}")}";
    }

    /// <summary>The banner of a first-contact reminder or escalation, with the deadline in the reader's zone.</summary>
    public string ContactBanner(bool escalation, bool late, DateTime dueUtc, Person? reader)
    {
        var ja = reader?.PrefersJapanese ?? true;
        var at = Local(dueUtc, ReaderTimeZone.For(reader, calendar));
        var lateText = late ? (ja ? "（遅れて送信）" : " (sent late)") : "";
        return escalation
            ? (ja ? $"⚠ 接触エスカレーション: 期限 {at} までに接触の記録がありません{lateText}" : $"⚠ Contact escalation: no contact logged by the {at} deadline{lateText}")
            : (ja ? $"📞 接触リマインド: {at} までに初回接触を{lateText}" : $"📞 Contact reminder: make the first contact by {at}{lateText}");
    }

    private static string Local(DateTime utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone).ToString("MM/dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"5h", "40m", "2d 3h" (「5時間」「40分」「2日3時間」): a deadline line needs no minutes once hours remain.</summary>
    private static string Coarse(TimeSpan span, bool ja)
    {
        span = span.Duration();
        if (span.TotalDays >= 1)
        {
            return ja ? $"{(int)span.TotalDays}日{span.Hours}時間" : $"{(int)span.TotalDays}d {span.Hours}h";
        }
        if (span.TotalHours >= 1)
        {
            return ja ? $"{(int)span.TotalHours}時間" : $"{(int)span.TotalHours}h";
        }
        return ja ? $"{span.Minutes}分" : $"{span.Minutes}m";
    }

    public static PersonRef Ref(Person p) => new(p.Name, p.TeamsUserId, p.TeamsAadObjectId, p.SlackUserId);

    public static string KindLabel(HandoffKind kind) => kind switch
    {
        HandoffKind.MqlToIs => "MQL → IS",
        HandoffKind.SqlToFs => "SQL → FS",
        HandoffKind.WonToCs => "Won → CS",
        _ => kind.ToString(),
    };

    /// <summary>"1h 12m", "2d 3h", "45m".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = -span;
        }
        if (span.TotalDays >= 1)
        {
            return $"{(int)span.TotalDays}d {span.Hours}h";
        }
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m" : $"{Math.Max(0, span.Minutes)}m";
    }
}
