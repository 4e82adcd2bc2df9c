using Microsoft.Extensions.Options;
using TheModel.Api.Common;

namespace TheModel.Bot.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The outbox dispatcher (channel senders register themselves as <see cref="IOutboxSender"/>).</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptionsValidator.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<OutboxOptions>>().Value);
        builder.Services.AddSingleton<ForegroundWork>();
        builder.Services.AddSingleton<OutboxQueue>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<OutboxExpress>();
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
}
