using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TheModel.Api.Auth;
using TheModel.Api.Digests;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api;

public static class ApiEndpoints
{
    /// <summary>REST API services: auth by API key, problem details, OpenAPI, request limits.</summary>
    public static IHostApplicationBuilder AddTheModelApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddApiKeyAuth(builder.Configuration);
        return builder;
    }

    public static WebApplication UseTheModelApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps every REST endpoint module (<c>MapXxxApi</c>) and <c>/healthz</c>.</summary>
    public static IEndpointRouteBuilder MapTheModelApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (TheModelDb db, CancellationToken ct) =>
            await db.Database.CanConnectAsync(ct)
                ? Results.Ok(new { status = "healthy" })
                : Results.Problem("store unreachable", statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapSlaApi();
        app.MapDigestApi();
        return app;
    }
}
