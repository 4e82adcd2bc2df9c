namespace TheModel.Bot.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The outbox dispatcher (channel senders register themselves as <see cref="IOutboxSender"/>).</summary>
    public static IHostApplicationBuilder AddDelivery(this IHostApplicationBuilder builder)
    {
        var options = new OutboxOptions();
        builder.Configuration.GetSection("Outbox").Bind(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ForegroundWork>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<OutboxExpress>();
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
