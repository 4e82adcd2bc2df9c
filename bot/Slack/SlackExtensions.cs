using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Outbox;
using TheModel.Cards;

namespace TheModel.Bot.Slack;

/// <summary>Everything that knows Slack's wire format lives in this folder.</summary>
public static class SlackExtensions
{
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section).ValidateOnStart()
            .PostConfigure<IOptions<OutboxOptions>>((slack, outbox) => slack.AutoRun ??= outbox.Value.AutoDispatch);
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SlackOptions>>().Value);
        services.AddHttpClient<SlackApiClient>((sp, http) =>
        {
            var apiBaseUrl = sp.GetRequiredService<SlackOptions>().ApiBaseUrl;
            http.BaseAddress = new Uri(apiBaseUrl.EndsWith('/') ? apiBaseUrl : apiBaseUrl + "/");
            http.Timeout = TimeSpan.FromSeconds(10);
        });
        services.AddSingleton<SlackBotIdentity>();
        services.AddSingleton<SlackWorkSignal>();
        services.AddSingleton<SlackWorkQueue>();
        services.AddSingleton<SlackInboundWorker>();
        services.AddSingleton<SlackInteractionRegistry>();
        services.AddScoped<SlackInbox>();
        services.AddScoped<SlackPeople>();
        services.AddScoped<SlackReplies>();
        services.AddScoped<SlackRateLimit>();
        services.AddScoped<SlackDecisionReplies>();
        services.AddScoped<SlackWorkRunner>();
        services.AddScoped<SlackHome>();
        services.AddScoped<SlackHomePublisher>();

        // Refresh is Teams-only (Adaptive Card refresh); Slack cards are updated in place by chat.update instead.
        services.AddSlackInteraction<SlackAcceptHandler>(CardActions.Accept, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackRejectHandler>(CardActions.Reject, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackRejectSubmitHandler>(CardActions.RejectSubmit, SlackInteractionKind.ViewSubmission);
        services.AddSlackInteraction<SlackJoinRequestHandler>(CardActions.JoinApprove, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackJoinRequestHandler>(CardActions.JoinDecline, SlackInteractionKind.BlockAction);
        services.AddSlackInteraction<SlackDigestThresholdHandler>(CardActions.DigestSetThreshold, SlackInteractionKind.BlockAction);
        foreach (var action in CardActions.ContactLogs)
        {
            services.AddSlackInteraction<SlackContactHandler>(action, SlackInteractionKind.BlockAction);
        }
        services.AddSlackInteraction<SlackKickOffHandler>(CardActions.KickOff, SlackInteractionKind.BlockAction);
        foreach (var action in RenewalCards.Actions)
        {
            services.AddSlackInteraction<SlackRenewalHandler>(action, SlackInteractionKind.BlockAction);
        }
        services.AddScoped<Chat.IJoinRequestNotifier, SlackJoinRequestNotifier>();

        // What runs is decided now; every value is checked when the host starts.
        var options = builder.Configuration.Peek<SlackOptions>(SlackOptions.Section);
        options.AutoRun ??= builder.Configuration.Peek<OutboxOptions>(OutboxOptionsValidator.Section).AutoDispatch;
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
