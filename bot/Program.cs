using TheModel.Bot;
using TheModel.Api;
using TheModel.Api.Store;
using TheModel.Bot.Backup;
using TheModel.Bot.Conversation;
using TheModel.Bot.Delivery;
using TheModel.Bot.Demo;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Bot.Slack;
using TheModel.Bot.Teams;
using TheModel.Bot.Telemetry;

// Settings are read at start. Watching the content root for appsettings changes would also wake the process on every
// write to a SQLite file kept beside it (the default themodel.db): a file-system event per commit.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. BackupCommand.WithoutSwitch(DemoSeeder.WithoutSwitch(args))]);
if (await BackupCommand.RunIfAskedAsync(builder.Configuration, args))
{
    return;
}
builder.AddTheModelDomain();
builder.AddTheModelApi();
builder.AddDelivery();
builder.AddConversation();
builder.AddTeams();
builder.AddSlack();
builder.AddDigest();
builder.AddJobs();
builder.AddTelemetry();
builder.Services.AddScoped<DemoSeeder>();

var app = builder.Build();
if (!StartupErrors.SettingsAreValid(app.Services))
{
    return;
}
await app.Services.MigrateTheModelStoreAsync();
if (!await DemoSeeder.RunIfAskedAsync(app.Services, args))
{
    return;
}
// Every request counts as foreground work: the outbox dispatcher gives way while one is being answered. A health probe
// is nobody waiting (a load balancer's, every few seconds, would otherwise keep sending slow for no one).
app.Use(async (context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
    {
        await next(context);
        return;
    }
    using (context.RequestServices.GetRequiredService<ForegroundWork>().Enter())
    {
        await next(context);
    }
});
app.UseTheModelApi();
app.MapTheModelApi();
app.MapDigest();
app.MapTeams();
app.MapSlack();
app.Lifetime.ApplicationStarted.Register(StartUpGarbage.CompactOnce);
app.Run();

/// <summary>
/// Start-up (migrations, model building, first queries) leaves garbage that would otherwise sit in the heap until the
/// first busy minute: one compacting collection once the bot is serving gives the memory back. Once per process — a
/// process hosting many bots (the integration tests) would otherwise compact its whole heap at every start.
/// </summary>
internal static class StartUpGarbage
{
    private static int compacted;

    public static void CompactOnce()
    {
        if (Interlocked.Exchange(ref compacted, 1) == 0)
        {
            ThreadPool.QueueUserWorkItem(_ => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true));
        }
    }
}
