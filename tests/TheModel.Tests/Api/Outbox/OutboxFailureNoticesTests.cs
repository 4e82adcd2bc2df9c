using Microsoft.EntityFrameworkCore;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Outbox;

/// <summary>A row that fails for good is announced once; with no digest channel linked, to each admin's direct chat.</summary>
public class OutboxFailureNoticesTests
{
    [Fact]
    public async Task RowRefusedForGood_NoDigestChannel_NoticeToEachAdminOnce_AndAFailedNoticeIsNotAnnounced()
    {
        await using var server = await RecordingServer.StartAsync();
        server.Responder = (_, response) =>
        {
            response.StatusCode = 410;
            return Task.CompletedTask;
        };
        await using var app = new TheModelApp();
        app.Settings["Webhooks:Won:Secret"] = "whsec-test-1234";
        var admin = new Person { Name = "Admin", Email = "admin@acme.test", Department = Department.IS, Role = PersonRole.Admin, SlackUserId = "UADMIN", Locale = "en-US" };
        var id = await app.WithDbAsync(async db =>
        {
            db.People.Add(admin);
            db.People.Add(new Person { Name = "Rep", Email = "rep@acme.test", Department = Department.IS, SlackUserId = "UREP" });
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var row = new OutboxMessage
            {
                Channel = OutboxChannels.Webhook, Target = server.BaseUrl + "gone", Kind = OutboxKinds.WebhookWon, DedupeKey = "gone",
                Payload = "{}", CreatedAt = now, NextAttemptAt = now,
            };
            db.Outbox.Add(row);
            await db.SaveChangesAsync();
            return row.Id;
        });

        // The webhook is refused for good; its notice goes to the admin on Slack, where this app has no sender: it fails too.
        await app.DispatchAsync();
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.DispatchAsync();

        var rows = await app.WithDbAsync(db => db.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.Equal(OutboxStatus.Failed, rows[0].Status);
        var notice = rows[1];
        Assert.Equal((OutboxKinds.OutboxFailed, OutboxChannels.Slack, OutboxMessage.PersonTarget(admin.Id), OutboxStatus.Failed),
            (notice.Kind, notice.Channel, notice.Target, notice.Status));
        var said = OutboxFailureNotice.Read(notice.Payload)!;
        Assert.Equal((id, OutboxKinds.WebhookWon, "en"), (said.FailedId, said.Kind, said.Language));
        Assert.Contains("HTTP 410", said.Text());
        Assert.Contains($"POST /api/outbox/{id}/retry", said.Text());
    }
}
