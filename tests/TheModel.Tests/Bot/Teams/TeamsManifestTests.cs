using TheModel.Tests.Support;
using System.Buffers.Binary;
using System.Text.Json.Nodes;

namespace TheModel.Tests.Bot.Teams;

/// <summary>manifest/teams: the app manifest Teams will validate on upload, and its icons.</summary>
public class TeamsManifestTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "manifest", "teams");

    private static readonly string[] ChatCommands = ["help", "funnel", "kpi", "my queue", "overdue", "lead", "plan", "digest", "link", "join"];

    private static JsonNode Manifest() => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "manifest.json")))!;

    [Fact]
    public void Manifest_SchemaVersionIs122OrNewer_AndMatchesTheSchemaUrl()
    {
        var manifest = Manifest();
        var version = Version.Parse((string)manifest["manifestVersion"]!);
        Assert.True(version >= new Version(1, 22), $"manifestVersion {version}");
        Assert.Contains($"/v{version}/MicrosoftTeams.schema.json", (string)manifest["$schema"]!);
        foreach (var required in new[] { "version", "id", "developer", "name", "description", "icons", "accentColor" })
        {
            Assert.NotNull(manifest[required]);
        }
        Assert.InRange(((string)manifest["name"]!["short"]!).Length, 1, 30);
        Assert.InRange(((string)manifest["description"]!["short"]!).Length, 1, 80);
    }

    [Fact]
    public void Manifest_BotScopesArePersonalTeamAndGroupChat()
    {
        var bot = Assert.Single(Manifest()["bots"]!.AsArray())!;
        Assert.Equal(["personal", "team", "groupChat"], bot["scopes"]!.AsArray().Select(s => (string)s!).ToArray());
    }

    [Fact]
    public void Manifest_CommandListsCoverExactlyTheChatCommands()
    {
        var lists = Manifest()["bots"]![0]!["commandLists"]!.AsArray();
        var titles = lists.SelectMany(l => l!["commands"]!.AsArray().Select(c => (string)c!["title"]!)).Distinct().Order().ToArray();
        Assert.Equal(ChatCommands.Order().ToArray(), titles);
        Assert.All(lists, l => Assert.InRange(l!["commands"]!.AsArray().Count, 1, 10));
    }

    [Theory]
    [InlineData("color", 192)]
    [InlineData("outline", 32)]
    public void Icons_AreSquarePngsOfTheRequiredSize(string icon, int size)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Folder, (string)Manifest()["icons"]![icon]!));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(size, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

}
