using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>
/// Contacts logged from the Slack card: the accepted message carries a note input and the four buttons; one click by the
/// holder logs it (with the note from the message's state) and every copy shows the first touch; others are refused.
/// </summary>
public class SlackContactFlowTests
{
    private static async Task<(SlackTestKit Kit, Seeded Seeded, string ChannelTs)> AcceptedAsync()
    {
        var kit = await SlackTestKit.StartAsync(SlackTestKit.MondayMorning);
        var seeded = await kit.SeedHandoffAsync();
        return (kit, seeded, await kit.AcceptFromChannelAsync(seeded.HandoffId));
    }

    private static string ContactClick(string action, Guid handoff, string ts, string user = "UASSIGNEE", string? note = null)
    {
        var payload = JsonNode.Parse(SlackTestKit.BlockAction(action, handoff.ToString(), user: user, messageTs: ts))!.AsObject();
        payload["state"] = new JsonObject
        {
            ["values"] = new JsonObject
            {
                [CardFields.ContactNote] = new JsonObject
                {
                    [CardFields.ContactNote] = new JsonObject { ["type"] = "plain_text_input", ["value"] = note },
                },
            },
        };
        return payload.ToJsonString();
    }

    [Fact]
    public async Task AcceptedMessage_CarriesTheNoteInputAndTheFourButtons()
    {
        var (kit, _, _) = await AcceptedAsync();
        await using var _k = kit;

        var updates = kit.Calls("chat.update").Select(SlackTestKit.Body).ToList();

        Assert.NotEmpty(updates);
        Assert.All(updates, u =>
        {
            var blocks = u["blocks"]!.ToJsonString();
            Assert.All(CardActions.ContactLogs, action => Assert.Contains(action, blocks));
            Assert.Contains(CardFields.ContactNote, blocks);
            Assert.DoesNotContain(CardActions.Accept, blocks);
        });
    }

    [Fact]
    public async Task EmailSent_ByTheHolder_LogsWithTheNote_AndEveryCopyShowsTheFirstTouch()
    {
        var (kit, seeded, ts) = await AcceptedAsync();
        await using var _k = kit;
        var updatesBefore = kit.Calls("chat.update").Count;
        kit.App.Clock.Advance(TimeSpan.FromMinutes(130));

        var response = await kit.PostInteractionAsync(ContactClick(CardActions.ContactEmailSent, seeded.HandoffId, ts, note: "資料を送付"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();

        var activity = await kit.Db(db => db.Activities.AsNoTracking().SingleAsync());
        Assert.Equal((seeded.AssigneeId, ActivityKind.Email, ActivityOutcome.Sent, "資料を送付"),
            (activity.PersonId!.Value, activity.Kind, activity.Outcome, activity.Note));
        var updates = kit.Calls("chat.update").Skip(updatesBefore).Select(SlackTestKit.Body).ToList();
        Assert.Contains(updates, u => u["channel"]!.GetValue<string>() == "CIS" && u["ts"]!.GetValue<string>() == ts);
        Assert.All(updates, u =>
        {
            var text = SlackTestKit.Texts(u["blocks"]);
            Assert.True(text.Contains("First touch after 2h 10m (business)") || text.Contains("初回接触まで 2時間10分(営業時間)"), text);
            Assert.Contains(CardActions.ContactCallReached, u["blocks"]!.ToJsonString());
        });
        Assert.Empty(kit.Calls("chat.postEphemeral"));
    }

    [Fact]
    public async Task ContactButton_BySomeoneWithoutRights_IsToldPrivately_AndNothingChanges()
    {
        var (kit, seeded, ts) = await AcceptedAsync();
        await using var _k = kit;
        var updatesBefore = kit.Calls("chat.update").Count;

        await kit.PostInteractionAsync(ContactClick(CardActions.ContactCallReached, seeded.HandoffId, ts, user: "UOTHER"));
        await kit.DrainAsync();

        Assert.Equal(0, await kit.Db(db => db.Activities.CountAsync()));
        var ephemeral = SlackTestKit.Body(Assert.Single(kit.Calls("chat.postEphemeral")));
        Assert.Equal("UOTHER", ephemeral["user"]!.GetValue<string>());
        Assert.Contains("Only whoever holds", ephemeral["text"]!.GetValue<string>());
        Assert.Equal(updatesBefore, kit.Calls("chat.update").Count);
    }
}
