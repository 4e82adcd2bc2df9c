namespace TheModel.Bot.Conversation;

/// <summary>The <c>Chat</c> section.</summary>
public sealed class ChatOptions
{
    public const string Section = "Chat";

    /// <summary>Anyone in a chat may add themselves to a department with <c>join</c>; off = only the directory (REST API) does.</summary>
    public bool AllowJoin { get; set; } = true;
}
