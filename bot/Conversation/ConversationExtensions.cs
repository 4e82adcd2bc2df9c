namespace TheModel.Bot.Conversation;

public static class ConversationExtensions
{
    /// <summary>Channel-neutral chat: card view models and command answers shared by Teams and Slack.</summary>
    public static IHostApplicationBuilder AddConversation(this IHostApplicationBuilder builder)
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
