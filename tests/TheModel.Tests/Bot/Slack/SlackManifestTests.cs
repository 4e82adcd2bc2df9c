namespace TheModel.Tests.Bot.Slack;

/// <summary>The app manifest asks for what the code uses (the manifest format: docs/protocols/slack.md §7).</summary>
public class SlackManifestTests
{
    private static string Manifest()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "manifest", "slack", "manifest.yml")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return File.ReadAllText(Path.Combine(dir.FullName, "manifest", "slack", "manifest.yml"));
    }

    [Theory]
    [InlineData("- app_mentions:read")]
    [InlineData("- chat:write ")]
    [InlineData("- commands")]
    [InlineData("- im:history")]
    [InlineData("- im:write")]
    [InlineData("- users:read ")]
    [InlineData("- users:read.email")]
    [InlineData("- channels:history")]
    [InlineData("- app_mention\n")]
    [InlineData("- message.im\n")]
    [InlineData("- command: /baton")]
    [InlineData("messages_tab_enabled: true")]
    [InlineData("messages_tab_read_only_enabled: false")]
    [InlineData("request_url: https://bot.example.com/slack/events")]
    [InlineData("request_url: https://bot.example.com/slack/interactivity")]
    [InlineData("url: https://bot.example.com/slack/commands")]
    public void Manifest_Declares(string line) => Assert.Contains(line, Manifest());
}
