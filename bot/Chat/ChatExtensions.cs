using TheModel.Bot.HandoffCards;
using TheModel.Bot.Customers;

namespace TheModel.Bot.Chat;

public static class ChatExtensions
{
    /// <summary>Channel-neutral chat: card view models and command answers shared by Teams and Slack.</summary>
    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.Section).ValidateOnStart();
        builder.Services.AddScoped<HandoffCardFactory>();
        builder.Services.AddScoped<CardContacts>();
        builder.Services.AddScoped<RenewalCardFactory>();
        builder.Services.AddScoped<RenewalDecisions>();
        builder.Services.AddScoped<CustomerCommands>();
        builder.Services.AddScoped<BatonsViews>();
        builder.Services.AddScoped<IChatCommandHandler, ChatCommandHandler>();
        return builder;
    }
}
