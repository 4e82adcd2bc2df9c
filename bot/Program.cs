using TheModel.Bot;
using TheModel.Api;
using TheModel.Api.Store;
using TheModel.Bot.Conversation;
using TheModel.Bot.Delivery;
using TheModel.Bot.Jobs;
using TheModel.Bot.Slack;
using TheModel.Bot.Teams;

var builder = WebApplication.CreateBuilder(args);
builder.AddTheModelDomain();
builder.AddTheModelApi();
builder.AddDelivery();
builder.AddConversation();
builder.AddTeams();
builder.AddSlack();
builder.AddJobs();

var app = builder.Build();
if (SchemaScript.TryPrint(app, args))
{
    return;
}
await app.Services.MigrateTheModelStoreAsync();
app.UseTheModelApi();
app.MapTheModelApi();
app.MapTeams();
app.MapSlack();
app.Run();
