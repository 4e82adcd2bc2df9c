using Microsoft.AspNetCore.WebUtilities;
using TheModel.Bot.Slack;

namespace TheModel.Tests.Bot.Slack;

public class SlackPayloadTests
{
    [Fact]
    public void Parse_UrlVerification_GivesChallenge()
    {
        var envelope = SlackJson.Parse<SlackEnvelope>(SlackTestKit.Fixture("url_verification.json"))!;
        Assert.Equal("url_verification", envelope.Type);
        Assert.Equal("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", envelope.Challenge);
    }

    [Theory]
    [InlineData("app_mention_event_callback.json", "app_mention", "EvV1KV8BM3", "U234", "C123", "1583636399.000700")]
    [InlineData("app_mention_docs_example.json", "app_mention", "Ev123ABC456", "U061F7AUR", "C123ABC456", "1515449522.000016")]
    [InlineData("message_im_event_callback.json", "message", "Ev044C51K43V", "U043H11ES4V", "D0442US94JD", "1664408649.009629")]
    public void Parse_EventCallback_GivesEventFields(string file, string type, string eventId, string user, string channel, string ts)
    {
        var envelope = SlackJson.Parse<SlackEnvelope>(SlackTestKit.Fixture(file))!;
        Assert.Equal("event_callback", envelope.Type);
        Assert.Equal(eventId, envelope.EventId);
        Assert.Equal(type, envelope.Event!.Type);
        Assert.Equal(user, envelope.Event.User);
        Assert.Equal(channel, envelope.Event.Channel);
        Assert.Equal(ts, envelope.Event.Ts);
    }

    [Fact]
    public void Parse_MessageIm_KnowsItIsADirectMessageAndWhoTheBotIs()
    {
        var envelope = SlackJson.Parse<SlackEnvelope>(SlackTestKit.Fixture("message_im_event_callback.json"))!;
        Assert.Equal("im", envelope.Event!.ChannelType);
        var bot = Assert.Single(envelope.Authorizations!);
        Assert.True(bot.IsBot);
        Assert.Equal("U0442US8QGH", bot.UserId);
    }

    [Fact]
    public void Parse_DocsAppMention_KeepsDotlessEventTsAsString() =>
        Assert.Equal("1515449522000016", SlackJson.Parse<SlackEnvelope>(SlackTestKit.Fixture("app_mention_docs_example.json"))!.Event!.EventTs);

    [Theory]
    [InlineData("block_actions_docs_example", "WaXA", "click_me_123", "CBR2V3XEX", "UA8RXUSPL")]
    [InlineData("block_actions_message_button", "button", "clicked", "C111", "U111")]
    public void Parse_BlockActions_FromJsonAndFromTheFormBody_Agree(string file, string actionId, string value, string channel, string user)
    {
        var fromJson = SlackJson.Parse<SlackInteraction>(SlackTestKit.Fixture(file + ".json"))!;
        var form = QueryHelpers.ParseQuery(SlackTestKit.Fixture(file + ".form-urlencoded.txt"));
        var fromForm = SlackJson.Parse<SlackInteraction>(form["payload"].ToString())!;
        foreach (var payload in new[] { fromJson, fromForm })
        {
            Assert.Equal("block_actions", payload.Type);
            var action = Assert.Single(payload.Actions!);
            Assert.Equal(actionId, action.ActionId);
            Assert.Equal(value, action.Value);
            Assert.Equal(channel, payload.ChannelId);
            Assert.Equal(user, payload.User!.Id);
            Assert.NotNull(payload.TriggerId);
        }
    }

    [Fact]
    public void Parse_ViewSubmission_GivesCallbackAndStateValues()
    {
        var form = QueryHelpers.ParseQuery(SlackTestKit.Fixture("view_submission.form-urlencoded.txt"));
        foreach (var json in new[] { SlackTestKit.Fixture("view_submission.json"), form["payload"].ToString() })
        {
            var payload = SlackJson.Parse<SlackInteraction>(json)!;
            Assert.Equal("view_submission", payload.Type);
            Assert.Equal("modal-callback-id", payload.View!.CallbackId);
            Assert.Equal("", payload.View.PrivateMetadata);
            Assert.Equal("Just amazing!", payload.View.State!.Get("comment", "single_action")!.Value);
            Assert.Equal("2019-09-23", payload.View.State.Get("date-of-visit", "single_action")!.SelectedDate);
            Assert.Equal("3", payload.View.State.Get("rating", "single_action")!.SelectedOption!.Value);
        }
    }

    [Fact]
    public void FromForm_SignedSlashCommand_GivesDecodedFields()
    {
        var form = QueryHelpers.ParseQuery(SlackTestKit.Fixture("slash_command_signed_body.txt")).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        var command = SlackCommand.FromForm(form);
        Assert.Equal("/webhook-collect", command.Command);
        Assert.Equal("", command.Text);
        Assert.Equal("U2CERLKJA", command.UserId);
        Assert.Equal("G8PSS9T3V", command.ChannelId);
        Assert.Equal("https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN", command.ResponseUrl);
    }
}
