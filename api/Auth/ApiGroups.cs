using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TheModel.Api.Auth;

/// <summary>How a resource's routes are grouped: one prefix and tag, the reads and the changes behind their own scopes.</summary>
public static class ApiGroups
{
    /// <summary>
    /// The routes under <paramref name="prefix"/>: <c>Reads</c> need <see cref="ApiScopes.Read"/>, <c>Writes</c>
    /// <paramref name="writeScope"/> (admin where a change reaches further than one record).
    /// </summary>
    public static (RouteGroupBuilder Reads, RouteGroupBuilder Writes) MapScopedGroups(this IEndpointRouteBuilder app, string prefix,
        string tag, string writeScope = ApiScopes.Write) =>
        (app.MapScopedGroup(prefix, tag, ApiScopes.Read), app.MapScopedGroup(prefix, tag, writeScope));

    public static RouteGroupBuilder MapScopedGroup(this IEndpointRouteBuilder app, string prefix, string tag, string scope) =>
        app.MapGroup(prefix).WithTags(tag).RequireAuthorization(scope);
}
