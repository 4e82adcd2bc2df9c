using System.Text;

namespace TheModel.Cards;

/// <summary>
/// Escaping for the Markdown subset of Adaptive Card text (TextBlock, Fact title and value) and Teams message
/// <c>text</c>: the one rule for every value that reaches Teams.
/// </summary>
/// <remarks>
/// The subset is CommonMark's (https://learn.microsoft.com/adaptive-cards/authoring-cards/text-features): bold, italic,
/// lists and <c>[title](url)</c> links, and backslash escapes of ASCII punctuation are honoured by the Teams desktop and
/// web renderers. Escaped here: <c>\</c> (so an escape cannot be undone), <c>[</c> <c>]</c> (no link or image can
/// form without them), <c>*</c> <c>_</c> <c>~</c> <c>`</c> (emphasis, strike, code), <c>&lt;</c> <c>&gt;</c> (autolinks
/// <c>&lt;https://…&gt;</c> and <c>&lt;at&gt;</c> mention tags), and at the start of a line <c>#</c>, <c>-</c>, <c>+</c> and
/// <c>1.</c> followed by a space (headings and lists; "+2.1pt" or "-3" start nothing). Parentheses stay: without brackets they start nothing, and "(株)" is in many
/// company names.
/// </remarks>
public static class AdaptiveMarkdown
{
    private const string Always = "\\[]*_~`<>";

    /// <summary>A value (a name, a company, a note …) as literal text.</summary>
    public static string Escape(string? value)
    {
        value ??= "";
        var sb = new StringBuilder(value.Length + 8);
        var lineStart = true;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (Always.Contains(c) || (lineStart && c is '#' or '-' or '+' && OpensBlock(value, i + 1)))
            {
                sb.Append('\\');
            }
            else if (lineStart && char.IsAsciiDigit(c))
            {
                // "1. " / "1) " opens a numbered list: escape the dot (or parenthesis) after the leading digits.
                var end = i;
                while (end < value.Length && char.IsAsciiDigit(value[end]))
                {
                    end++;
                }
                sb.Append(value, i, end - i);
                if (end < value.Length && value[end] is '.' or ')' && OpensBlock(value, end + 1))
                {
                    sb.Append('\\');
                }
                i = end - 1;
                lineStart = false;
                continue;
            }
            sb.Append(c);
            if (c is '\n' or '\r')
            {
                lineStart = true;
            }
            else if (!(lineStart && c is ' ' or '\t'))
            {
                lineStart = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The bot's own neutral chat text (fixed sentences with values in them): code spans (<c>`join IS`</c>) stay code,
    /// everything else is escaped as <see cref="Escape"/>. Backtick runs pair as CommonMark pairs them (a run closes
    /// only at the next run of the same length), so a value's stray backtick cannot pull escaped text into code or
    /// push raw text out of it.
    /// </summary>
    public static string EscapeText(string? text)
    {
        text ??= "";
        var sb = new StringBuilder(text.Length + 8);
        var plainFrom = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '`')
            {
                i++;
                continue;
            }
            var run = Run(text, i);
            var close = FindRun(text, i + run, run);
            if (close < 0)
            {
                i += run; // no partner: these backticks are literal and get escaped with the plain text
                continue;
            }
            sb.Append(Escape(text[plainFrom..i])).Append(text, i, close + run - i);
            i = plainFrom = close + run;
        }
        return sb.Append(Escape(text[plainFrom..])).ToString();
    }

    /// <summary>A heading or list marker counts only when followed by a space, a tab or the end of the line.</summary>
    private static bool OpensBlock(string text, int next) =>
        next >= text.Length || text[next] is ' ' or '\t' or '\n' or '\r' || (text[next] == '#' && OpensBlock(text, next + 1));

    private static int Run(string text, int at)
    {
        var end = at;
        while (end < text.Length && text[end] == '`')
        {
            end++;
        }
        return end - at;
    }

    private static int FindRun(string text, int from, int length)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] != '`')
            {
                continue;
            }
            var run = Run(text, i);
            if (run == length)
            {
                return i;
            }
            i += run - 1;
        }
        return -1;
    }
}
