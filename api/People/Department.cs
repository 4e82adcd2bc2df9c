namespace TheModel.Api.People;

/// <summary>The four departments of The Model, in relay order.</summary>
public enum Department
{
    MK,
    IS,
    FS,
    CS,
}

/// <summary>A department's chat settings: where its batons are posted (filled in by the Teams and Slack adapters).</summary>
public sealed class DepartmentChannel
{
    public Department Code { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>Teams conversation id of the department's baton channel (see <see cref="Conversations.ChatConversation"/>).</summary>
    public string? TeamsConversationId { get; set; }
    /// <summary>Slack channel id (C…) of the department's baton channel.</summary>
    public string? SlackChannelId { get; set; }
    public DateTime UpdatedAt { get; set; }

    public static string DefaultName(Department code) => code switch
    {
        Department.MK => "Marketing",
        Department.IS => "Inside Sales",
        Department.FS => "Field Sales",
        Department.CS => "Customer Success",
        _ => code.ToString(),
    };
}
