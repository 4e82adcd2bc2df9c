using TheModel.Api;
using TheModel.Bot;
using TheModel.Bot.Chat;
using TheModel.Api.Outbox;
using TheModel.Bot.Digest;
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
builder.AddOutbox();
builder.AddChat();
builder.AddTeams();
builder.AddSlack();
builder.AddDigest();
builder.AddJobs();
builder.AddTelemetry();
builder.AddProcessPieces();
var app = builder.Build();
if (!await CommandLineModes.ReadyToServeAsync(app.Services, args))
{
    return;
}
app.UseForegroundWork();
app.UseTheModelApi();
app.MapTheModelApi();
app.MapDigest();
app.MapTeams();
app.MapSlack();
app.Run();
