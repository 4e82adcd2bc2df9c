using System.Net;
using System.Net.Http.Json;
using TheModel.Bot;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.RateLimits;

/// <summary><c>RateLimits:Api</c>: per API key, 429 with Retry-After and a problem body; the window follows the bot's clock.</summary>
public class ApiRateLimitTests
{
    private static TheModelApp App(int permits = 3, string window = "00:00:10")
    {
        var app = new TheModelApp().WithKeys();
        app.Settings["RateLimits:Api:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Settings["RateLimits:Api:Window"] = window;
        return app;
    }

    [Fact]
    public async Task Burst_OverTheLimit_Is429WithRetryAfter_AndTheRefusedRequestsChangeNothing()
    {
        await using var app = App(permits: 3);
        var client = app.Client(ApiKit.WriteKey);
        for (var i = 0; i < 3; i++)
        {
            (await client.PostLeadAsync(new { name = $"Lead {i}", company = "Acme" })).EnsureSuccessStatusCode();
        }
        app.Clock.Advance(TimeSpan.FromSeconds(4));

        for (var i = 3; i < 6; i++)
        {
            var refused = await client.PostLeadAsync(new { name = $"Lead {i}", company = "Acme" });
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(TimeSpan.FromSeconds(6), refused.Headers.RetryAfter?.Delta);
            Assert.Contains("crm-writer", problem.Str("detail"));
            Assert.Contains("6 s", problem.Str("detail"));
            Assert.DoesNotContain(ApiKit.WriteKey, problem.ToString());
        }

        Assert.Equal(3, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task Burst_OnOneKey_LeavesAnotherKeyUnaffected()
    {
        await using var app = App(permits: 2);
        var writer = app.Client(ApiKit.WriteKey);
        for (var i = 0; i < 2; i++)
        {
            (await writer.GetAsync("/api/leads")).EnsureSuccessStatusCode();
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await writer.GetAsync("/api/leads")).StatusCode);

        var reader = app.Client(ApiKit.ReadKey);
        (await reader.GetAsync("/api/leads")).EnsureSuccessStatusCode();
        (await reader.GetAsync("/api/funnel")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Limit_AfterTheWindow_AcceptsAgain()
    {
        await using var app = App(permits: 2, window: "00:00:10");
        var client = app.Client(ApiKit.WriteKey);
        (await client.GetAsync("/api/leads")).EnsureSuccessStatusCode();
        (await client.GetAsync("/api/leads")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/leads")).StatusCode);

        app.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/leads")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        (await client.PostLeadAsync(new { name = "After", company = "Acme" })).EnsureSuccessStatusCode();
        Assert.Equal(1, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task HealthProbes_AreNeverLimited_EvenWithAnExhaustedKey()
    {
        await using var app = App(permits: 1);
        var client = app.Client(ApiKit.ReadKey);
        (await client.GetAsync("/api/leads")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/api/leads")).StatusCode);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await app.Client(key: null).GetAsync("/readyz")).StatusCode);
        }
    }

    [Fact]
    public async Task RefusedForScope_DoesNotCountAgainstTheKey()
    {
        await using var app = App(permits: 2);
        var reader = app.Client(ApiKit.ReadKey);
        for (var i = 0; i < 5; i++)
        {
            await (await reader.PutAsJsonAsync("/api/departments/IS", new { slackChannelId = "C0X" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
        (await reader.GetAsync("/api/leads")).EnsureSuccessStatusCode();
    }

    [Theory]
    [InlineData("RateLimits:Api:PermitLimit", "0")]
    [InlineData("RateLimits:Api:Window", "00:00:00")]
    [InlineData("RateLimits:Chat:PermitLimit", "-1")]
    [InlineData("RateLimits:Chat:Window", "2.00:00:00")]
    public void Start_BadRateLimit_FailsWithOneLineNamingTheKey(string key, string value)
    {
        using var app = new TheModelApp();
        app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var lines = Unwrap(error).SelectMany(StartupErrors.Lines).Distinct().ToList();
        var line = Assert.Single(lines);
        Assert.StartsWith(key, line);
    }

    private static IEnumerable<Exception> Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
