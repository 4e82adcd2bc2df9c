using Microsoft.AspNetCore.Routing;

namespace TheModel.Api.Digests;

public static class DigestApi
{
    /// <summary><c>GET /api/digests/weekly</c>, <c>POST /api/digests/weekly/run</c>.</summary>
    public static IEndpointRouteBuilder MapDigestApi(this IEndpointRouteBuilder app) => app;
}
