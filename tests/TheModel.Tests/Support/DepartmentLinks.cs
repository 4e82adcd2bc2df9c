using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Tests.Support;

public static class DepartmentLinks
{
    /// <summary>Sets a department's baton channels on its row (the four rows exist from start-up); the caller saves.</summary>
    public static async Task LinkAsync(this TheModelDb db, Department department, string? slackChannelId = null, string? teamsConversationId = null)
    {
        var row = await db.Departments.FindAsync(department);
        if (row is null)
        {
            row = new DepartmentChannel { Code = department, DisplayName = DepartmentChannel.DefaultName(department) };
            db.Departments.Add(row);
        }
        row.SlackChannelId = slackChannelId ?? row.SlackChannelId;
        row.TeamsConversationId = teamsConversationId ?? row.TeamsConversationId;
    }
}
