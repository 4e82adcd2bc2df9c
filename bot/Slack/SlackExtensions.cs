using TheModel.Bot.Delivery;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>Everything that knows Slack's wire format lives in this folder.</summary>
public static class SlackExtensions
{
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var options = new SlackOptions();
        builder.Configuration.GetSection("Slack").Bind(options);
        options.AutoRun ??= builder.Configuration.GetValue("Outbox:AutoDispatch", true);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddHttpClient<SlackApiClient>(http =>
        {
            http.BaseAddress = new Uri(options.ApiBaseUrl.EndsWith('/') ? options.ApiBaseUrl : options.ApiBaseUrl + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton<SlackBotIdentity>();
        services.AddSingleton<SlackWorkSignal>();
        services.AddSingleton<SlackInboundWorker>();
        services.AddSingleton<SlackInteractionRegistry>();
        services.AddScoped<SlackInbox>();
        services.AddScoped<SlackPeople>();
        services.AddScoped<SlackReplies>();
        services.AddScoped<SlackDecisionReplies>();
        services.AddScoped<SlackWorkRunner>();

        // Refresh is Teams-only (Adaptive Card refresh); Slack cards are updated in place by chat.update instead.
        services.AddSlackInteraction<SlackAcceptHandler>(CardActions.Accept, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackRejectHandler>(CardActions.Reject, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackRejectSubmitHandler>(CardActions.RejectSubmit, SlackInteractionKind.ViewSubmission);

        if (options.Enabled && !string.IsNullOrEmpty(options.BotToken))
        {
            services.AddScoped<IOutboxSender, SlackOutboxSender>();
        }
        if (options.Enabled && options.AutoRun == true)
        {
            services.AddHostedService<SlackInboundWorkerHost>();
        }
        return builder;
    }

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app)
    {
        // Resolving the registry here refuses duplicate handlers at start-up rather than on the first click.
        app.ServiceProvider.GetRequiredService<SlackInteractionRegistry>();
        return app.MapSlackEndpoints();
    }
}
