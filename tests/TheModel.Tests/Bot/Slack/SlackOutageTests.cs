using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.Settings;
using TheModel.Api.Store;
using TheModel.Tests.Api;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Slack down for a while — 503s, then 429 with <c>Retry-After</c>, then connections reset after the post was stored —
/// while cards queue for a channel and a DM: a short outage heals by itself with every card posted once; one longer than
/// <c>Outbox:GiveUpAfter</c> fails the rows and tells the admins once per row, in the digest channel.
/// </summary>
public class SlackOutageTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);
    private const string DigestChannel = "CDIGEST";
    private const string AssigneeDm = "DUASSIGNEE";

    /// <summary>Slack's answers while it is down, by the time on the test's clock.</summary>
    private sealed class Outage(TimeProvider clock, DateTimeOffset from, TimeSpan length)
    {
        public DateTimeOffset Until => from + length;

        private TimeSpan? Elapsed => clock.GetUtcNow() is var now && now >= from && now < Until ? now - from : null;

        /// <summary>The last third of the outage: posts are stored, but the connection drops before the answer.</summary>
        public bool Resetting => Elapsed is { } e && e >= length * 2 / 3;

        /// <summary>What Slack answers before doing anything: 503 for the first third, then 429, then a reset (posts excepted).</summary>
        public SlackFault? Refusal(RecordedRequest request) => Elapsed switch
        {
            null => null,
            { } e when e < length / 3 => SlackFault.Unavailable,
            { } e when e < length * 2 / 3 => new SlackFault(429, "{\"ok\":false,\"error\":\"ratelimited\"}", RetryAfter: "20"),
            _ when request.Path == "/api/chat.postMessage" => null,
            _ => new SlackFault(0, Reset: true),
        };
    }

    private static async Task<(SlackTestKit Kit, SlackStandIn Slack)> StartAsync(TimeSpan outage, bool digestChannel = false)
    {
        var kit = await SlackTestKit.StartAsync(Start, configure: app => app.WithKeys());
        var standIn = new SlackStandIn(kit.App.Clock) { PageSize = 15 };
        var down = new Outage(kit.App.Clock, Start, outage);
        var normal = standIn.Over(kit.RespondAsync);
        kit.Slack.Responder = async (request, response) =>
        {
            if (down.Refusal(request) is { } fault)
            {
                await SlackStandIn.WriteAsync(response, fault);
                return;
            }
            await normal(request, response);
        };
        standIn.LoseOutcome = _ => down.Resetting ? new SlackFault(0, Reset: true) : null;
        if (digestChannel)
        {
            await kit.App.WithDbAsync(async db =>
            {
                db.Settings.Add(new Setting
                {
                    Key = DigestChannels.KeyPrefix + OutboxChannels.Slack, Json = $"{{\"conversationId\":\"{DigestChannel}\"}}", UpdatedAt = Start.UtcDateTime,
                });
                await db.SaveChangesAsync();
            });
        }
        return (kit, standIn);
    }

    /// <summary><paramref name="count"/> handoffs offered to the assignee: each a card in <c>CIS</c> and one in their DM.</summary>
    private static async Task OfferAsync(SlackTestKit kit, int count)
    {
        await kit.SeedHandoffAsync();
        await using var scope = kit.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var handoffs = scope.ServiceProvider.GetRequiredService<HandoffService>();
        for (var i = 1; i < count; i++)
        {
            var lead = new Lead { Name = $"Contact {i}", Company = $"Company {i}", Email = $"c{i}@customer.test", Score = 90, Stage = LeadStage.Mql };
            db.Leads.Add(lead);
            await db.SaveChangesAsync();
            await handoffs.OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
            await db.SaveChangesAsync();
        }
    }

    private static Task<List<OutboxMessage>> RowsAsync(SlackTestKit kit) =>
        kit.Db(db => db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    /// <summary>Dispatches, then moves the clock to the next row that comes due, until nothing is pending (bounded).</summary>
    private static async Task RunUntilSettledAsync(SlackTestKit kit, TimeSpan? step = null)
    {
        for (var round = 0; round < 1000; round++)
        {
            await kit.App.DispatchAsync();
            var pending = (await RowsAsync(kit)).Where(m => m.Status == OutboxStatus.Pending).ToList();
            if (pending.Count == 0)
            {
                return;
            }
            var next = new DateTimeOffset(DateTime.SpecifyKind(pending.Min(m => m.NextAttemptAt), DateTimeKind.Utc));
            var now = kit.App.Clock.GetUtcNow();
            kit.App.Clock.SetUtcNow(step is { } s ? now + s : next > now ? next : now + TimeSpan.FromSeconds(1));
        }
        Assert.Fail("the outbox never settled");
    }

    private static int Posted(SlackStandIn slack, string channel, long outboxId) =>
        slack.History(channel).Count(m => m.Metadata?["event_payload"]?["outbox_id"]?.GetValue<string>() == outboxId.ToString());

    [Fact]
    public async Task Outage_TwoMinutesWith30Cards_EveryCardPostedOnce_NoneFailed_WithinMinutes()
    {
        var (kit, slack) = await StartAsync(TimeSpan.FromMinutes(2));
        await using var _ = kit;
        await OfferAsync(kit, 15);

        await RunUntilSettledAsync(kit);

        var rows = await RowsAsync(kit);
        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal(OutboxStatus.Sent, r.Status));
        Assert.All(rows, r => Assert.Equal(1, Posted(slack, r.Target == "CIS" ? "CIS" : AssigneeDm, r.Id)));
        Assert.Equal(30, slack.History("CIS").Count + slack.History(AssigneeDm).Count);
        // Retried through the outage (several attempts each), and caught up within minutes of its end.
        Assert.All(rows, r => Assert.True(r.Attempts > 1, $"row {r.Id} was tried {r.Attempts} times"));
        Assert.True(rows.Max(r => r.SentAt) <= Start.UtcDateTime + TimeSpan.FromMinutes(2) + OutboxQueue.MaxBackoff,
            $"last card sent at {rows.Max(r => r.SentAt):O}");
        // Some posts were stored by Slack with their answer lost: found by the look-up, not posted again.
        Assert.True(kit.Calls("chat.postMessage").Count > 30);
    }

    [Fact]
    public async Task Outage_25Hours_RowsFailAfterGiveUpAfter_AndEachIsAnnouncedOnceInTheDigestChannel()
    {
        var (kit, slack) = await StartAsync(TimeSpan.FromHours(25), digestChannel: true);
        await using var _ = kit;
        await OfferAsync(kit, 2);

        // Hour by hour through the outage: every row is due again at each step.
        await RunUntilSettledAsync(kit, TimeSpan.FromMinutes(30));

        var rows = await RowsAsync(kit);
        var cards = rows.Where(r => r.Kind == OutboxKinds.HandoffOffered).ToList();
        Assert.Equal(4, cards.Count);
        Assert.All(cards, r => Assert.Equal(OutboxStatus.Failed, r.Status));
        Assert.All(cards, r => Assert.StartsWith($"gave up after {r.Attempts} attempts in 24 h", r.LastError));
        Assert.All(cards, r => Assert.True(r.LastAttemptAt - r.FirstAttemptAt >= TimeSpan.FromHours(24)));
        // One notice per failed row, sent once Slack was back; notices are never announced themselves.
        var notices = rows.Where(r => r.Kind == OutboxKinds.OutboxFailed).ToList();
        Assert.Equal(cards.Select(c => c.Id).Order(), notices.Select(n => OutboxFailureNotice.Read(n.Payload)!.FailedId).Order());
        Assert.All(notices, n => Assert.Equal((OutboxStatus.Sent, DigestChannel), (n.Status, n.Target)));
        var posted = slack.History(DigestChannel);
        Assert.Equal(4, posted.Count);
        Assert.All(cards, c => Assert.Single(posted, m => m.Text.Contains($"/api/outbox/{c.Id}/retry", StringComparison.Ordinal)));

        // The admins find the same rows listed, and no further round announces anything again.
        var failed = await kit.App.Client().GetAsync("/api/outbox?status=failed").OkJsonAsync();
        Assert.Equal(cards.Select(c => c.Id).OrderDescending(), failed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        kit.App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await kit.App.DispatchAsync());
        Assert.Equal(8, (await RowsAsync(kit)).Count);
    }

    [Fact]
    public async Task Retry_FailedRowWhosePostWasStored_LooksUpFirst_AndIsNotPostedAgain()
    {
        var (kit, slack) = await StartAsync(TimeSpan.FromHours(25), digestChannel: true);
        await using var _ = kit;
        await OfferAsync(kit, 1);
        await RunUntilSettledAsync(kit, TimeSpan.FromMinutes(30));
        var card = (await RowsAsync(kit)).First(r => r.Kind == OutboxKinds.HandoffOffered && r.Target == "CIS");
        Assert.Equal(OutboxStatus.Failed, card.Status);

        var requeued = await kit.App.Client().PostAsync($"/api/outbox/{card.Id}/retry", null).OkJsonAsync();
        Assert.Equal(kit.App.Clock.GetUtcNow().UtcDateTime, requeued.GetProperty("requeuedAt").GetDateTime());
        Assert.Equal(card.FirstAttemptAt, requeued.GetProperty("firstAttemptAt").GetDateTime());
        await kit.App.DispatchAsync();

        var row = (await RowsAsync(kit)).Single(r => r.Id == card.Id);
        Assert.Equal((OutboxStatus.Sent, 1), (row.Status, row.Attempts));
        Assert.Equal(1, Posted(slack, "CIS", card.Id));
        Assert.NotEqual(OutboxFailureNotices.DedupeKey(card, OutboxChannels.Slack, DigestChannel),
            OutboxFailureNotices.DedupeKey(row, OutboxChannels.Slack, DigestChannel));
    }
}
