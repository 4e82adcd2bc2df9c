using TheModel.Bot.Demo;

namespace TheModel.Bot;

public static class ProcessExtensions
{
    /// <summary>What the bot's process adds beside the feature areas: the demo seeder (<c>--seed-demo</c>) and the compacting collection once serving.</summary>
    public static WebApplicationBuilder AddProcessPieces(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddHostedService<StartUpGarbage>();
        return builder;
    }
}
