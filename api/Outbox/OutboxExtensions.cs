using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Api.Outbox;

public static class OutboxExtensions
{
    /// <summary>
    /// The outbox's sending side: the dispatcher, its express lane and the webhook channel. The chat platforms register
    /// their own <see cref="IOutboxSender"/>; the <see cref="OutboxWriter"/> is part of the domain (its rows commit with it).
    /// </summary>
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptionsValidator.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<OutboxOptions>>().Value);
        builder.Services.AddSingleton<ForegroundWork>();
        builder.Services.AddSingleton<OutboxQueue>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<OutboxExpress>();
        builder.AddWebhooks();
        // Which loops run is decided now; every value is checked when the host starts.
        var options = builder.Configuration.Peek<OutboxOptions>(OutboxOptionsValidator.Section);
        if (options.AutoDispatch)
        {
            builder.Services.AddHostedService<OutboxDispatcherHost>();
        }
        if (options.AutoDispatch && options.Express)
        {
            builder.Services.AddHostedService<OutboxExpressHost>();
        }
        return builder;
    }

    /// <summary>The sender for <c>webhook</c> outbox rows (<c>Webhooks:Timeout</c>, default 10 s).</summary>
    private static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((services, client) =>
            {
                client.Timeout = services.GetRequiredService<IOptions<WebhooksOptions>>().Value.Timeout;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("TheModel.Bot/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.AddScoped<IOutboxSender, WebhookSender>();
        return builder;
    }
}
