using TheModel.Api;
using TheModel.Api.Store;
using TheModel.Bot;
using TheModel.Bot.Chat;
using TheModel.Bot.Delivery;
using TheModel.Bot.Jobs;
using TheModel.Bot.Slack;
using TheModel.Bot.Teams;
using TheModel.Bot.Telemetry;

var builder = WebApplication.CreateBuilder(CommandLineModes.HostArguments(args));
if (await CommandLineModes.BackupIfAskedAsync(builder.Configuration, args))
{
    return;
}
builder.AddTheModelDomain();
builder.AddTheModelApi();
builder.AddDelivery();
builder.AddChat();
builder.AddTeams();
builder.AddSlack();
builder.AddJobs();
builder.AddTelemetry();
builder.AddProcessPieces();
var app = builder.Build();
if (!StartupErrors.SettingsAreValid(app.Services))
{
    return;
}
await app.Services.MigrateTheModelStoreAsync();
if (!await CommandLineModes.SeedDemoIfAskedAsync(app.Services, args))
{
    return;
}
app.UseForegroundWork();
app.UseTheModelApi();
app.MapTheModelApi();
app.MapTeams();
app.MapSlack();
app.Run();
