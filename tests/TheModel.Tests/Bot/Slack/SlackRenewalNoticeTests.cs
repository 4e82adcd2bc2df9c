using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Customers;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Slack;

public class SlackRenewalNoticeTests
{
    private static readonly DateTimeOffset Now = new(2027, 9, 20, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RenewalNotice_DueCustomer_IsPostedToTheCsChannelWithTheDate()
    {
        await using var kit = await SlackTestKit.StartAsync(Now);
        var due = new DateTime(2027, 11, 15, 15, 0, 0, DateTimeKind.Utc); // 2027-11-16 in Tokyo
        await kit.Db(async db =>
        {
            var owner = new Person { Name = "伊藤", Email = "ito@example.jp", Department = Department.CS, SlackUserId = "UCS" };
            db.People.Add(owner);
            var at = Now.UtcDateTime.AddMonths(-10);
            db.Leads.Add(new Lead
            {
                Name = "田中", Company = "アクメ", Stage = LeadStage.Won, Department = Department.CS, OwnerId = owner.Id,
                WonAt = at, RenewalDueAt = due, CreatedAt = at, UpdatedAt = at, StageChangedAt = at, LastActivityAt = at,
            });
            await db.LinkAsync(Department.CS, slackChannelId: "C_CS");
            return await db.SaveChangesAsync();
        });

        var swept = await kit.App.Services.GetRequiredService<RenewalSweeper>().RunAsync(Now.UtcDateTime, "test");
        await kit.App.DispatchAsync();

        Assert.Equal(1, swept.Notices);
        var post = Assert.Single(kit.Calls("chat.postMessage"), r => SlackTestKit.Body(r)["channel"]!.GetValue<string>() == "C_CS");
        var text = SlackTestKit.Body(post)["text"]!.GetValue<string>();
        Assert.Contains("2027-11-16", text);
        Assert.Contains("アクメ", text);
        Assert.All(await kit.Db(db => Task.FromResult(db.Outbox.Where(m => m.Kind == OutboxKinds.RenewalNotice).Select(m => m.Status).ToList())),
            s => Assert.Equal(OutboxStatus.Sent, s));
    }
}
