using System.Text.RegularExpressions;
using TheModel.Tests.Support;

namespace TheModel.Tests;

/// <summary>
/// docs/architecture.md is where a newcomer starts: the folders and types it names must exist, and Program.cs must stay
/// the short table of contents the page describes.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));

    [Fact]
    public void ArchitecturePage_NamedPaths_Exist()
    {
        var paths = PathPattern().Matches(Page).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(paths);
        var missing = paths.Where(p => !Exists(p)).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md names paths that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void ArchitecturePage_StartingPoints_AreTypesOfTheProduct()
    {
        var types = new[] { typeof(global::TheModel.Api.Store.TheModelDb), typeof(global::TheModel.Bot.Chat.ChatCommandHandler), typeof(global::TheModel.Cards.CardActions) }
            .SelectMany(t => t.Assembly.GetTypes())
            .Select(t => t.Name.Split('`')[0])
            .ToHashSet();
        var named = Page.Split('\n')
            .Where(line => line.StartsWith('|') && !line.StartsWith("|---"))
            .Select(line => line.Split('|', StringSplitOptions.RemoveEmptyEntries).Last())
            .SelectMany(cell => TypePattern().Matches(cell).Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        Assert.NotEmpty(named);
        var missing = named.Where(n => !types.Contains(n)).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md starts at types that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void ProgramCs_IsATableOfContents_AtMostFortyLines()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "bot", "Program.cs"));
        Assert.InRange(lines.Length, 1, 40);
    }

    private static bool Exists(string path)
    {
        var full = Path.Combine(Repository.Root, path.TrimEnd('/'));
        if (Directory.Exists(full) || File.Exists(full) || File.Exists(full + ".cs"))
        {
            return true;
        }
        var directory = Path.GetDirectoryName(full)!;
        return path.Contains('*') && Directory.Exists(directory) && Directory.GetFiles(directory, Path.GetFileName(full)).Length > 0;
    }

    /// <summary>A path in backticks that starts at one of the projects: `api/Leads`, `bot/Jobs/SlaSweepJob`, `cards/Digest*.cs`.</summary>
    [GeneratedRegex(@"`((?:api|bot|cards|tests|docs)/[A-Za-z0-9_./*{},-]+)`")]
    private static partial Regex PathPattern();

    /// <summary>A type name in backticks in the table's last column.</summary>
    [GeneratedRegex(@"`([A-Z][A-Za-z0-9]+)`")]
    private static partial Regex TypePattern();
}
