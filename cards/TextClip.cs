using System.Globalization;
using System.Text;

namespace TheModel.Cards;

/// <summary>Shortens text for platform limits without splitting a character (surrogate pair or combining mark).</summary>
public static class TextClip
{
    public const string Ellipsis = "…";

    /// <summary><paramref name="text"/> if it fits in <paramref name="max"/> UTF-16 chars, else its start plus "…" within <paramref name="max"/>.</summary>
    public static string Clip(string? text, int max)
    {
        text ??= "";
        if (text.Length <= max)
        {
            return text;
        }
        if (max <= Ellipsis.Length)
        {
            return Ellipsis[..Math.Max(0, max)];
        }
        var keep = StartOfCharacterAt(text, max - Ellipsis.Length);
        return text[..keep] + Ellipsis;
    }

    /// <summary>Display columns in a monospace font: East Asian wide and full-width characters take two.</summary>
    public static int Columns(string text)
    {
        var columns = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            columns += IsWide(rune) ? 2 : 1;
        }
        return columns;
    }

    /// <summary>Pads (or clips) to exactly <paramref name="columns"/> display columns.</summary>
    public static string PadColumns(string text, int columns)
    {
        var sb = new StringBuilder();
        var used = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var w = IsWide(rune) ? 2 : 1;
            if (used + w > columns)
            {
                break;
            }
            sb.Append(rune.ToString());
            used += w;
        }
        return sb.Append(' ', columns - used).ToString();
    }

    private static int StartOfCharacterAt(string text, int index)
    {
        // Walk text elements so we never cut a surrogate pair or a base character from its combining marks.
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        var last = 0;
        while (enumerator.MoveNext())
        {
            var start = enumerator.ElementIndex;
            var end = start + enumerator.GetTextElement().Length;
            if (end > index)
            {
                return start;
            }
            last = end;
        }
        return last;
    }

    private static bool IsWide(Rune rune)
    {
        var v = rune.Value;
        return v is >= 0x1100 and <= 0x115F
            or >= 0x2E80 and <= 0x303E
            or >= 0x3041 and <= 0x33FF
            or >= 0x3400 and <= 0x4DBF
            or >= 0x4E00 and <= 0x9FFF
            or >= 0xA000 and <= 0xA4CF
            or >= 0xAC00 and <= 0xD7A3
            or >= 0xF900 and <= 0xFAFF
            or >= 0xFE30 and <= 0xFE4F
            or >= 0xFF00 and <= 0xFF60
            or >= 0xFFE0 and <= 0xFFE6
            or >= 0x1F300 and <= 0x1F64F
            or >= 0x20000 and <= 0x3FFFD;
    }
}
