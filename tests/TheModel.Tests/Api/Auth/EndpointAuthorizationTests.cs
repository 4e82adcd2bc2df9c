using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Auth;

/// <summary>Every route says who may call it; one that does not is closed by the fallback policy, and this test names it.</summary>
public class EndpointAuthorizationTests
{
    [Fact]
    public async Task EveryEndpoint_DeclaresAScopeOrAllowAnonymous()
    {
        await using var app = new TheModelApp().WithKeys();
        _ = app.Server; // builds the app, so every Map… has run

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var undecided = endpoints.Where(e => !Decided(e)).Select(Describe).ToList();

        Assert.True(endpoints.Count > 20, $"only {endpoints.Count} endpoints found; is the data source the app's?");
        Assert.True(undecided.Count == 0, "Endpoints without RequireAuthorization(...) or AllowAnonymous(): " + string.Join(", ", undecided));
        // The open ones are exactly those meant to be open.
        var open = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => e.RoutePattern.RawText).Distinct().Order().ToList();
        Assert.Equal(["/healthz", "/openapi/{documentName}.json", "/readyz", "/slack/commands", "/slack/events", "/slack/interactivity"], open);
    }

    [Fact]
    public void Decided_AnEndpointWithoutADecision_IsReported()
    {
        var bare = new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/api/new"), 0, EndpointMetadataCollection.Empty, "new");
        var open = new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/api/new"), 0,
            new EndpointMetadataCollection(new AllowAnonymousAttribute()), "open");
        var scoped = new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/api/new"), 0,
            new EndpointMetadataCollection(new AuthorizeAttribute("read")), "scoped");

        Assert.False(Decided(bare));
        Assert.True(Decided(open));
        Assert.True(Decided(scoped));
    }

    [Fact]
    public async Task UnknownPath_WithoutAKey_Is401_AndWithAKey_Is404()
    {
        await using var app = new TheModelApp().WithKeys();

        // No route matched: the fallback policy still asks for a key, so a stranger learns nothing about what exists.
        await (await app.Client(key: null).GetAsync("/api/not-a-route")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client(ApiKit.ReadKey).GetAsync("/api/not-a-route")).StatusCode);
    }

    private static bool Decided(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null
        || endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
        || endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>().Count > 0;

    private static string Describe(RouteEndpoint endpoint) =>
        $"{string.Join("|", endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])} {endpoint.RoutePattern.RawText}";
}
