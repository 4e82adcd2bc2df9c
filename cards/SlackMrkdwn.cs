namespace TheModel.Cards;

/// <summary>
/// Slack <c>mrkdwn</c> and message <c>text</c> escaping: the one rule for every value that reaches Slack.
/// </summary>
/// <remarks>
/// Slack documents exactly three entities (docs/protocols/slack.md §6; Slack's "Escaping text"): with them, <c>&lt;!channel&gt;</c>,
/// <c>&lt;@U123&gt;</c> and <c>&lt;https://evil|Verify&gt;</c> in a company name show as text, never as a ping or a link.
/// <c>*</c>, <c>_</c>, <c>~</c> and <c>`</c> are left alone on purpose: Slack has no escape for them (only invisible
/// characters would break them up, which corrupts names and emails people copy, e.g. <c>first_last@example.com</c>),
/// and at worst they restyle a value; they cannot make a link, a mention or a broadcast.
/// </remarks>
public static class SlackMrkdwn
{
    public static string Escape(string? value) =>
        (value ?? "").Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
