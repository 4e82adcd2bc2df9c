using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Events;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Bot.Chat;

namespace TheModel.Tests.Bot.Slack;

/// <summary>What Slack hands the chat commands, and how their answers come back out, through the real handler.</summary>
public class SlackChatHandlerContractTests
{
    [Fact]
    public async Task Mention_UnknownCommand_GetsHelpInTheMentionsThread()
    {
        await using var kit = await SlackTestKit.StartAsync();

        // The fixture says "<@U…> test": the mention is stripped, "test" is no command, so the answer is help.
        var response = await kit.PostEventAsync(SlackTestKit.Fixture("app_mention_event_callback.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();

        var answers = kit.Calls("chat.postEphemeral").Concat(kit.Calls("chat.postMessage")).Select(SlackTestKit.Body).ToList();
        var answer = Assert.Single(answers, a => (string?)a["thread_ts"] == "1583636399.000700");
        Assert.Equal("C123", (string?)answer["channel"]);
        var shown = SlackTestKit.Texts(answer);
        Assert.Contains("funnel", shown);
        Assert.Contains("my queue", shown);
    }

    [Fact]
    public async Task Command_Funnel_PostsTheFiguresOfTheRestApiInChannelOnTheResponseUrl()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var now = kit.App.Clock.GetUtcNow().UtcDateTime;
        await kit.App.WithDbAsync(async db =>
        {
            // Figures are for people in the directory.
            db.People.Add(new TheModel.Api.People.Person { Name = "Rep", Department = TheModel.Api.People.Department.IS, SlackUserId = "UASSIGNEE", CreatedAt = now, UpdatedAt = now });
            for (var i = 0; i < 3; i++)
            {
                var lead = new Lead { Name = $"Lead {i}", Company = "Acme", CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now };
                db.Leads.Add(lead);
                db.Events.Add(new LeadEvent { LeadId = lead.Id, Type = LeadEventType.LeadCreated, At = now });
            }
            await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.OK, (await kit.PostCommandAsync("ファネル 今月")).StatusCode);
        await kit.DrainAsync();

        await using var scope = kit.App.Services.CreateAsyncScope();
        var periods = scope.ServiceProvider.GetRequiredService<IPeriods>();
        Assert.True(periods.TryParse("this-month", null, null, out var thisMonth, out _));
        var funnel = await scope.ServiceProvider.GetRequiredService<IKpiQueries>().FunnelAsync(thisMonth);
        Assert.Equal(3, funnel.Inquiries);

        var answer = SlackTestKit.Body(Assert.Single(kit.Slack.Requests, r => r.Path == "/commands/T1/1/abc"));
        Assert.Equal("in_channel", (string?)answer["response_type"]);
        var shown = SlackTestKit.Texts(answer["blocks"]);
        Assert.Contains(ChatTexts.Japanese.Inquiries, shown);
        Assert.Contains(funnel.Inquiries.ToString(System.Globalization.CultureInfo.InvariantCulture), shown);
    }
}
