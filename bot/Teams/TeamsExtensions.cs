namespace TheModel.Bot.Teams;

/// <summary>Everything that knows the Bot Framework wire format lives in this folder.</summary>
public static class TeamsExtensions
{
    public static IHostApplicationBuilder AddTeams(this IHostApplicationBuilder builder) => builder;

    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app) => app;
}
