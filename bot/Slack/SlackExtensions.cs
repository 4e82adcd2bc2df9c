namespace TheModel.Bot.Slack;

/// <summary>Everything that knows Slack's wire format lives in this folder.</summary>
public static class SlackExtensions
{
    public static IHostApplicationBuilder AddSlack(this IHostApplicationBuilder builder) => builder;

    public static IEndpointRouteBuilder MapSlack(this IEndpointRouteBuilder app) => app;
}
