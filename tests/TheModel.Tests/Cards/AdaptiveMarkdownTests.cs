using TheModel.Cards;

namespace TheModel.Tests.Cards;

public class AdaptiveMarkdownTests
{
    [Theory]
    [InlineData("[Verify](https://example.org)", @"\[Verify\](https://example.org)")]
    [InlineData("<https://evil.example>", @"\<https://evil.example\>")]
    [InlineData("<at>Boss</at>", @"\<at\>Boss\</at\>")]
    [InlineData("**bold** _it_ ~~x~~ `code`", @"\*\*bold\*\* \_it\_ \~\~x\~\~ \`code\`")]
    [InlineData(@"C:\path\[x]", @"C:\\path\\\[x\]")]
    [InlineData("first_last@example.com", @"first\_last@example.com")]
    public void Escape_Markup_IsLiteral(string value, string expected) =>
        Assert.Equal(expected, AdaptiveMarkdown.Escape(value));

    [Theory]
    [InlineData("# Heading", @"\# Heading")]
    [InlineData("- item\n+ item\n  - nested", "\\- item\n\\+ item\n  \\- nested")]
    [InlineData("1. first\n2) second", "1\\. first\n2\\) second")]
    [InlineData("> quote", @"\> quote")]
    public void Escape_BlockMarkersAtLineStart_AreLiteral(string value, string expected) =>
        Assert.Equal(expected, AdaptiveMarkdown.Escape(value));

    [Theory]
    [InlineData("+2.1pt")]
    [InlineData("-3")]
    [InlineData("2026-01-05 10:00")]
    [InlineData("(株)テスト · Acme (Japan) - KK")]
    [InlineData("#1 customer")]
    [InlineData("")]
    public void Escape_TextThatStartsNothing_IsUnchanged(string value) =>
        Assert.Equal(value, AdaptiveMarkdown.Escape(value));

    [Fact]
    public void EscapeText_KeepsOurCodeSpans_AndEscapesTheValuesAroundThem() =>
        Assert.Equal(@"I didn't understand ""\[x\](https://e.example)"". Try `join IS`.",
            AdaptiveMarkdown.EscapeText(@"I didn't understand ""[x](https://e.example)"". Try `join IS`."));

    [Theory]
    // A lone backtick in a value has no partner: literal, escaped.
    [InlineData("a`b [x](y)", @"a\`b \[x\](y)")]
    // Runs pair only with runs of the same length, as CommonMark pairs them.
    [InlineData("``a`b`` *c*", @"``a`b`` \*c\*")]
    // Inside a code span nothing is a link, so nothing is escaped there (escapes would show).
    [InlineData("`[x](y)` _z_", @"`[x](y)` \_z\_")]
    public void EscapeText_Backticks_PairAsCommonMarkDoes(string text, string expected) =>
        Assert.Equal(expected, AdaptiveMarkdown.EscapeText(text));
}
