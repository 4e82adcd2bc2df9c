namespace TheModel.Bot.Chat;

/// <summary>
/// A message as <see cref="ChatCommandParser"/> reads it: plain text, the bot's own mention removed, and the platform
/// ids of the other users it mentions. Each platform adapter makes one from its own markup, so the parser knows none.
/// </summary>
public sealed record ChatText(string Text, IReadOnlyList<string> Mentions);
