using Microsoft.AspNetCore.Routing;

namespace TheModel.Api.Sla;

public static class SlaApi
{
    /// <summary><c>GET/PUT /api/settings/sla</c> and <c>/api/settings/calendar</c>.</summary>
    public static IEndpointRouteBuilder MapSlaApi(this IEndpointRouteBuilder app) => app;
}
