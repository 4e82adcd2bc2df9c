using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using TheModel.Api.Outbox;
using TheModel.Cards;

namespace TheModel.Bot.Teams;

/// <summary>Everything that knows the Bot Framework wire format lives in this folder.</summary>
public static class TeamsExtensions
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TeamsOptions>().BindConfiguration(TeamsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        // The adapters take the bound, validated settings themselves.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TeamsOptions>>().Value);
        services.AddBotFrameworkAuthentication();
        services.AddSingleton<IBotTokenProvider>(sp => new MsalBotTokenProvider(sp.GetRequiredService<TeamsOptions>(), sp.GetService<IMsalHttpClientFactory>()));
        services.AddHttpClient<ConnectorClient>(http => http.Timeout = TimeSpan.FromSeconds(15));
        services.AddScoped<TeamsConversations>();
        services.AddSingleton<TeamsConversationMemo>();
        services.AddScoped<TeamsMessageHandler>();
        services.AddScoped<HandoffCardResponses>();
        services.AddScoped<IOutboxSender, TeamsOutboxSender>();
        services.AddTeamsCardAction<AcceptHandoffCardAction>(CardActions.Accept);
        services.AddTeamsCardAction<RejectHandoffCardAction>(CardActions.Reject);
        services.AddTeamsCardAction<RejectHandoffCardAction>(CardActions.RejectSubmit);
        services.AddTeamsCardAction<RefreshHandoffCardAction>(CardActions.Refresh);
        services.AddTeamsCardAction<JoinRequestCardAction>(CardActions.JoinApprove);
        services.AddTeamsCardAction<JoinRequestCardAction>(CardActions.JoinDecline);
        foreach (var verb in CardActions.ContactLogs)
        {
            services.AddTeamsCardAction<ContactHandoffCardAction>(verb);
        }
        services.AddTeamsCardAction<KickOffHandoffCardAction>(CardActions.KickOff);
        foreach (var verb in RenewalCards.Actions)
        {
            services.AddTeamsCardAction<RenewalCardAction>(verb, namesHandoff: false);
        }
        services.AddTeamsCardAction<DigestThresholdCardAction>(CardActions.DigestSetThreshold, namesHandoff: false);
        services.AddScoped<TeamsMyBatons>();
        services.AddScoped<TeamsWelcome>();
        services.AddTeamsCardAction<RefreshMyBatonsCardAction>(CardActions.MyBatonsRefresh, namesHandoff: false);
        services.AddTeamsCardAction<DecideMyBatonsCardAction>(CardActions.MyBatonsAccept);
        services.AddTeamsCardAction<DecideMyBatonsCardAction>(CardActions.MyBatonsReject);
        services.AddScoped<Chat.IJoinRequestNotifier, TeamsJoinRequestNotifier>();
        services.AddSingleton<TeamsCardActionRegistry>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        // Built now so a verb registered twice stops the app at start-up.
        app.ServiceProvider.GetRequiredService<TeamsCardActionRegistry>();
        app.MapPost("/api/messages", TeamsEndpoint.HandleAsync).RequireAuthorization(BotFrameworkAuthentication.Policy).ExcludeFromDescription()
            .AddEndpointFilter<TeamsRateLimit>();
        return app;
    }
}
