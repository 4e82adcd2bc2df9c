using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>Feedback reaches the sender: the scheduled digest run sends the week's rejection reasons to the sending department.</summary>
public class WeeklyFeedbackTests
{
    [Fact]
    public async Task ScheduledRun_MqlsRejectedByIs_OneFeedbackCardToMkWithReasonsAndNotes_NotTwice()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now.AddSeconds(2))).WithKeys();
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        await DigestWorld.LinkChannelsAsync(app);
        await app.WithDbAsync(async db =>
        {
            var mk = await db.Departments.FirstOrDefaultAsync(d => d.Code == Department.MK);
            if (mk is null)
            {
                mk = new DepartmentChannel { Code = Department.MK, DisplayName = DepartmentChannel.DefaultName(Department.MK) };
                db.Departments.Add(mk);
            }
            mk.SlackChannelId = "CMK";
            var alice = await db.People.SingleAsync(p => p.Name == "Alice");
            var rejected = await db.Handoffs.Where(h => h.Kind == HandoffKind.MqlToIs && h.State == HandoffState.Rejected).OrderBy(h => h.OfferedAt).FirstAsync();
            rejected.RejectNote = "Student <project> & no company";
            rejected.DecidedById = alice.Id;
            return await db.SaveChangesAsync();
        });

        Assert.NotNull(await ActivatorUtilities.CreateInstance<DigestJob>(app.Services).RunAsync(app.Clock.GetUtcNow().UtcDateTime));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ActivatorUtilities.CreateInstance<DigestJob>(app.Services).RunAsync(app.Clock.GetUtcNow().UtcDateTime);

        var rows = await app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.FeedbackWeekly).ToListAsync());
        var row = Assert.Single(rows);
        Assert.Equal((OutboxChannels.Slack, "CMK"), (row.Channel, row.Target));
        var model = WeeklyFeedback.Read(row.Payload)!;
        Assert.Contains(model.Reasons, r => r.Count == 2);
        Assert.Equal(3, model.Reasons.Sum(r => r.Count));
        var note = Assert.Single(model.Notes);
        Assert.Equal(("Charlie KK — Chie Chiba", "Alice", "Student <project> & no company"), (note.Lead, note.By, note.Note));
        var slack = FeedbackCards.BlockKit(model).Blocks.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("Student &lt;project&gt; &amp; no company", slack);
        Assert.Contains("Alice", FeedbackCards.Adaptive(model).ToJsonString());
    }
}
