using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Outbox;
using TheModel.Bot.Slack;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

public class SlackOutboxSenderTests
{
    private static readonly DateTimeOffset MondayMorning = new(2026, 11, 16, 1, 0, 0, TimeSpan.Zero);

    private static void FailPostMessage(SlackTestKit kit, Func<int, (int Status, string Body, string? RetryAfter)?> failure)
    {
        var n = 0;
        kit.Slack.Responder = async (request, response) =>
        {
            if (request.Path == "/api/chat.postMessage" && failure(++n) is { } fail)
            {
                response.StatusCode = fail.Status;
                if (fail.RetryAfter is not null)
                {
                    response.Headers.RetryAfter = fail.RetryAfter;
                }
                response.ContentType = "application/json";
                await response.WriteAsync(fail.Body);
                return;
            }
            await kit.RespondAsync(request, response);
        };
    }

    private static Task<OutboxMessage> ChannelOffer(SlackTestKit kit) =>
        kit.Db(db => db.Outbox.SingleAsync(m => m.Kind == OutboxKinds.HandoffOffered && m.Target == "CIS"));

    [Fact]
    public async Task Post_RateLimited_WaitsAtLeastRetryAfter()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        FailPostMessage(kit, n => (429, "{\"ok\":false,\"error\":\"ratelimited\"}", "120"));
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();

        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.True(row.NextAttemptAt >= MondayMorning.UtcDateTime.AddSeconds(120));
        Assert.Contains("ratelimited", row.LastError);
    }

    [Fact]
    public async Task Post_After5xx_LooksInHistoryAndDoesNotPostTwice()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        FailPostMessage(kit, n => n == 1 ? (500, "{\"ok\":false,\"error\":\"internal_error\"}", null) : null);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        var row = await ChannelOffer(kit);
        Assert.StartsWith(SlackOutboxSender.UncertainPost, row.LastError);

        // Slack did post it after all: its metadata carries our outbox id.
        var inner = kit.Slack.Responder;
        kit.Slack.Responder = async (request, response) =>
        {
            if (request.Path == "/api/conversations.history")
            {
                response.ContentType = "application/json";
                await response.WriteAsync(JsonSerializer.Serialize(new
                {
                    ok = true,
                    messages = new object[]
                    {
                        new { ts = "1699999999.000001", text = "someone else" },
                        new { ts = "1700000500.000042", metadata = new { event_type = "themodel_outbox", event_payload = new { outbox_id = row.Id.ToString() } } },
                    },
                }));
                return;
            }
            await inner(request, response);
        };
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
        var history = Assert.Single(kit.Calls("conversations.history"));
        Assert.Equal("GET", history.Method);
        Assert.Contains("channel=CIS", history.Query);
        Assert.Equal(OutboxStatus.Sent, (await ChannelOffer(kit)).Status);
        Assert.Equal("1700000500.000042", await kit.Db(db => db.PostedCards.Where(p => p.OutboxMessageId == row.Id).Select(p => p.MessageId).SingleAsync()));
        Assert.Equal(seeded.HandoffId, (await ChannelOffer(kit)).HandoffId);
    }

    [Fact]
    public async Task Post_AfterTimeoutAndNotInHistory_PostsAgainOnce()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        FailPostMessage(kit, n => n == 1 ? (503, "upstream unavailable", null) : null);
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        Assert.Single(kit.Calls("conversations.history"));
        Assert.Equal(2, kit.Calls("chat.postMessage").Count(r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS"));
        Assert.Equal(OutboxStatus.Sent, (await ChannelOffer(kit)).Status);
    }

    [Fact]
    public async Task Post_UncertainAndHistoryUnreadable_FailsForAnAdminInsteadOfRisingADuplicate()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        FailPostMessage(kit, n => n == 1 ? (500, "{\"ok\":false,\"error\":\"fatal_error\"}", null) : null);
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        var inner = kit.Slack.Responder;
        kit.Slack.Responder = async (request, response) =>
        {
            if (request.Path == "/api/conversations.history")
            {
                response.ContentType = "application/json";
                await response.WriteAsync("{\"ok\":false,\"error\":\"missing_scope\",\"needed\":\"channels:history\"}");
                return;
            }
            await inner(request, response);
        };
        kit.App.Clock.Advance(TimeSpan.FromMinutes(1));
        await kit.App.DispatchAsync();

        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("not re-posted", row.LastError);
        Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS");
    }

    [Fact]
    public async Task Post_ChannelNotFound_FailsForGood()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        FailPostMessage(kit, n => (200, "{\"ok\":false,\"error\":\"channel_not_found\"}", null));
        await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        var row = await ChannelOffer(kit);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("channel_not_found", row.LastError);
    }

    [Fact]
    public async Task SlaEscalation_PostsTheCardWithBannerMentioningTheManager()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        await kit.App.WithDbAsync(async db =>
        {
            var outbox = new OutboxWriter(db, kit.App.Clock, kit.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TheModel.Api.Outbox.WebhooksOptions>>());
            outbox.Enqueue(OutboxChannels.Slack, "CIS", OutboxKinds.SlaEscalation, seeded.HandoffId, $"sla.escalation:{seeded.HandoffId}:1:slack:CIS",
                $"{{\"step\":\"escalation:1\",\"late\":false,\"managerId\":\"{seeded.ManagerId}\"}}");
            outbox.Enqueue(OutboxChannels.Slack, OutboxMessage.PersonTarget(seeded.AssigneeId), OutboxKinds.SlaReminder, seeded.HandoffId,
                $"sla.reminder:{seeded.HandoffId}:1:slack:person", "{\"step\":\"reminder:1\",\"late\":false}");
            await db.SaveChangesAsync();
        });
        var before = kit.Calls("chat.postMessage").Count;
        await kit.App.DispatchAsync();

        var posts = kit.Calls("chat.postMessage").Skip(before).Select(SlackTestKit.Body).ToList();
        var escalation = posts.Single(p => p["channel"]!.GetValue<string>() == "CIS");
        Assert.Contains("<@UMANAGER>", SlackTestKit.Texts(escalation));
        Assert.Contains(TheModel.Bot.Notices.NoticeWords.Escalation(ja: true), SlackTestKit.Texts(escalation["blocks"]));
        var reminder = posts.Single(p => p["channel"]!.GetValue<string>() == "DUASSIGNEE");
        Assert.Contains(TheModel.Bot.Notices.NoticeWords.Reminder(ja: false), SlackTestKit.Texts(reminder["blocks"]));
        Assert.Equal(4, await kit.Db(db => db.PostedCards.CountAsync(p => p.HandoffId == seeded.HandoffId)));
    }

    [Fact]
    public async Task ContactReminderAndEscalation_OnAnAcceptedHandoff_PostTheCardWithTheContactBannerAndDeadline()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        await kit.App.WithDbAsync(async db =>
        {
            var handoff = await db.Handoffs.SingleAsync();
            handoff.Accept(await db.People.SingleAsync(p => p.Id == seeded.AssigneeId), null, MondayMorning.UtcDateTime, 0);
            var clock = await db.ContactClocks.SingleAsync();
            var outbox = new OutboxWriter(db, kit.App.Clock, kit.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TheModel.Api.Outbox.WebhooksOptions>>());
            outbox.Enqueue(OutboxChannels.Slack, OutboxMessage.PersonTarget(seeded.AssigneeId), OutboxKinds.ContactReminder, seeded.HandoffId, "c1",
                Payload(clock.Id, "reminder:1", clock.DueAt, null));
            outbox.Enqueue(OutboxChannels.Slack, "CIS", OutboxKinds.ContactEscalation, seeded.HandoffId, "c2",
                Payload(clock.Id, "escalation", clock.DueAt, seeded.ManagerId));
            await db.SaveChangesAsync();
        });
        var before = kit.Calls("chat.postMessage").Count;
        await kit.App.DispatchAsync();

        var posts = kit.Calls("chat.postMessage").Skip(before).Select(SlackTestKit.Body).ToList();
        var reminder = posts.Single(p => p["channel"]!.GetValue<string>() == "DUASSIGNEE");
        Assert.Contains("Contact reminder: make the first contact by 11/18 16:00", SlackTestKit.Texts(reminder["blocks"]));
        Assert.Contains("contact by 11/18 16:00 — 2d 6h left", SlackTestKit.Texts(reminder["blocks"]));
        var escalation = posts.Single(p => p["channel"]!.GetValue<string>() == "CIS");
        Assert.Contains("<@UMANAGER>", SlackTestKit.Texts(escalation));
        Assert.Contains("接触エスカレーション", SlackTestKit.Texts(escalation["blocks"]));
        Assert.Contains("11/18 16:00 までに接触 — 残り2日6時間", SlackTestKit.Texts(escalation["blocks"]));
    }

    [Fact]
    public async Task ContactReminder_AfterTheFirstTouch_IsSkipped()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.WithDbAsync(async db =>
        {
            var clock = await db.ContactClocks.SingleAsync();
            clock.FirstTouchAt = MondayMorning.UtcDateTime;
            clock.NextCheckAt = TheModel.Api.Sla.ContactClocks.Stopped;
            new OutboxWriter(db, kit.App.Clock, kit.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TheModel.Api.Outbox.WebhooksOptions>>())
                .Enqueue(OutboxChannels.Slack, "CIS", OutboxKinds.ContactReminder, seeded.HandoffId, "c1", Payload(clock.Id, "reminder:1", clock.DueAt, null));
            await db.SaveChangesAsync();
        });
        await kit.App.DispatchAsync();
        Assert.Equal(OutboxStatus.Skipped, (await kit.Db(db => db.Outbox.SingleAsync(m => m.DedupeKey == "c1"))).Status);
    }

    private static string Payload(long clockId, string step, DateTime dueAt, Guid? managerId) =>
        JsonSerializer.Serialize(new TheModel.Api.Sla.ContactStepPayload(clockId, "Mql", $"contact:mql:{clockId}:{step}", false, dueAt, null, managerId),
            JsonSerializerOptions.Web);

    [Fact]
    public async Task SlaReminder_ForADecidedHandoff_IsSkipped()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.WithDbAsync(async db =>
        {
            var handoff = await db.Handoffs.SingleAsync();
            handoff.Accept(await db.People.SingleAsync(p => p.Id == seeded.AssigneeId), null, MondayMorning.UtcDateTime, 0);
            new OutboxWriter(db, kit.App.Clock, kit.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TheModel.Api.Outbox.WebhooksOptions>>()).Enqueue(OutboxChannels.Slack, "CIS", OutboxKinds.SlaReminder, seeded.HandoffId, "r1", "{}");
            await db.SaveChangesAsync();
        });
        await kit.App.DispatchAsync();
        Assert.Equal(OutboxStatus.Skipped, (await kit.Db(db => db.Outbox.SingleAsync(m => m.DedupeKey == "r1"))).Status);
    }

    [Fact]
    public async Task RejectedNotice_GoesToTheSendingDepartmentsChannel()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        await kit.App.WithDbAsync(async db =>
        {
            await db.LinkAsync(TheModel.Api.People.Department.MK, slackChannelId: "CMK");
            await db.SaveChangesAsync();
        });
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        await using (var scope = kit.App.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<TheModel.Api.Handoffs.HandoffService>()
                .RejectAsync(seeded.HandoffId, seeded.AssigneeId, TheModel.Api.Handoffs.RejectReason.NotTarget, null);
            Assert.True(outcome.Succeeded);
        }
        await kit.App.DispatchAsync();
        var notice = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CMK"));
        Assert.StartsWith(TheModel.Cards.BlockKitRenderer.Escape(TheModel.Bot.Notices.NoticeWords.Rejected(true, "Acme & Co", "NotTarget")).Split('（')[0], notice["text"]!.GetValue<string>());
        Assert.Contains("Acme &amp; Co", SlackTestKit.Texts(notice["blocks"]));
    }

    [Fact]
    public async Task Card_ForAHandoffNobodyIsAssignedTo_IsPostedToTheChannelAsTheDepartmentsQueue()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.WithDbAsync(async db =>
        {
            (await db.Handoffs.SingleAsync()).AssigneeId = null;
            await db.SaveChangesAsync();
        });
        await kit.App.DispatchAsync();

        Assert.Equal(OutboxStatus.Sent, (await ChannelOffer(kit)).Status);
        var post = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "CIS"));
        var texts = SlackTestKit.Texts(post["blocks"]);
        Assert.Contains("Acme &amp; Co", texts);
        Assert.DoesNotContain("<@", texts);
        Assert.Equal(1, await kit.Db(db => db.PostedCards.CountAsync(p => p.HandoffId == seeded.HandoffId && p.ConversationId == "CIS")));
    }

    [Fact]
    public async Task Update_AfterTheAssigneesManagerDecided_EveryCopyNamesTheAssigneeAndWhoDecided()
    {
        await using var kit = await SlackTestKit.StartAsync(MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        await kit.App.DispatchAsync();
        await using (var scope = kit.App.Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<TheModel.Api.Handoffs.HandoffService>().AcceptAsync(seeded.HandoffId, seeded.ManagerId);
            Assert.True(outcome.Succeeded);
        }
        await kit.App.DispatchAsync();

        var updates = kit.Calls("chat.update").Select(SlackTestKit.Body).ToList();
        Assert.Equal(["CIS", "DUASSIGNEE"], updates.Select(u => u["channel"]!.GetValue<string>()).Order());
        Assert.All(updates, update =>
        {
            var texts = SlackTestKit.Texts(update["blocks"]);
            Assert.Contains("<@UASSIGNEE>", texts);
            Assert.Contains("<@UMANAGER>", texts);
        });
    }
}
