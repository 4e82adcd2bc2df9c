using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TheModel.Api.People;
using TheModel.Api.Store;

namespace TheModel.Benchmarks;

/// <summary>A fresh store with the four departments staffed (10 each, Teams and Slack identities, linked channels): intake routes and notifies for real.</summary>
public static class IntakeDatabase
{
    public static async Task<IHost> CreateAsync(string path, bool teamsChannels = true)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
        var host = await DomainHost.StartAsync(path);
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var now = DateTime.UtcNow;
        foreach (var department in Enum.GetValues<Department>())
        {
            for (var i = 1; i <= DataGenerator.PeoplePerDepartment; i++)
            {
                db.People.Add(new Person
                {
                    Name = $"{department} member {i}", Email = $"{department}{i}@bench.test".ToLowerInvariant(), Department = department,
                    Capacity = 1_000_000, Locale = "en-US", TeamsAadObjectId = $"aad-{department}-{i}", SlackUserId = $"U{department}{i}",
                    CreatedAt = now, UpdatedAt = now,
                });
            }
            var channel = await db.Departments.FindAsync(department);
            if (channel is not null)
            {
                // The load run has no Teams conversation references for channels; Slack channels need none.
                channel.TeamsConversationId = teamsChannels ? $"19:{department}@thread.tacv2" : null;
                channel.SlackChannelId = $"C{department}";
            }
        }
        await db.SaveChangesAsync();
        return host;
    }
}
