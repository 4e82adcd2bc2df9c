using TheModel.Cards;

namespace TheModel.Tests.Cards;

public class TextClipTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("exactly10!", 10, "exactly10!")]
    [InlineData("abcdefghijk", 10, "abcdefghi…")]
    [InlineData("", 5, "")]
    public void Clip_KeepsWithinMaxWithEllipsis(string text, int max, string expected)
    {
        Assert.Equal(expected, TextClip.Clip(text, max));
    }

    [Fact]
    public void Clip_NeverSplitsASurrogatePairOrCombiningMark()
    {
        var clipped = TextClip.Clip("ab😀😀😀", 4);
        Assert.Equal("ab…", clipped);

        var combined = TextClip.Clip("abe\u0301cdef", 4);
        Assert.Equal("ab…", combined);
    }

    [Fact]
    public void Columns_CountsJapaneseAsTwo()
    {
        Assert.Equal(10, TextClip.Columns("問い合わせ"));
        Assert.Equal(3, TextClip.Columns("MQL"));
        Assert.Equal(4, TextClip.Columns("ﾌｧﾈﾙ"));
    }

    [Fact]
    public void PadColumns_PadsAndClipsByDisplayWidth()
    {
        Assert.Equal("受注  ", TextClip.PadColumns("受注", 6));
        Assert.Equal("問い ", TextClip.PadColumns("問い合わせ", 5));
    }
}
