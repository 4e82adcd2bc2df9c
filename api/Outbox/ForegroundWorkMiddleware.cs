using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace TheModel.Api.Outbox;

public static class ForegroundWorkMiddleware
{
    /// <summary>
    /// Every request counts as <see cref="ForegroundWork"/>: the outbox dispatcher gives way while one is being answered.
    /// A health probe is nobody waiting (a load balancer's, every few seconds, would otherwise keep sending slow for no one).
    /// </summary>
    public static IApplicationBuilder UseForegroundWork(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/healthz") || context.Request.Path.StartsWithSegments("/readyz"))
            {
                await next(context);
                return;
            }
            using (context.RequestServices.GetRequiredService<ForegroundWork>().Enter())
            {
                await next(context);
            }
        });
}
