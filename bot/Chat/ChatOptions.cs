namespace TheModel.Bot.Chat;

/// <summary>The <c>Chat</c> section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>
    /// On: <c>join &lt;dept&gt;</c> files a request the department's managers approve or decline in chat. Off (the
    /// default): people are added through <c>PUT /api/people</c> only.
    /// </summary>
    public bool AllowJoin { get; set; }
}
