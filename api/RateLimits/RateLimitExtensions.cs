using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TheModel.Api.Auth;

namespace TheModel.Api.RateLimits;

/// <summary>
/// Rate limits (ASP.NET Core's rate limiter): every request made with an API key counts against that key
/// (<see cref="RateLimitsOptions.Api"/>); chat requests count against their platform user (<see cref="ChatRateLimiter"/>,
/// applied by the Teams and Slack endpoints, which alone know the user). A request without a key is refused by
/// authorization before it gets here, so <c>/healthz</c>, <c>/readyz</c> and the OpenAPI document are never limited.
/// </summary>
public static class RateLimitExtensions
{
    public static IServiceCollection AddTheModelRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitsOptions>().BindConfiguration(RateLimitsOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitsOptions>, RateLimitsOptionsValidator>());
        services.TryAddSingleton<ApiRateLimiter>();
        services.TryAddSingleton<ChatRateLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ApiRateLimiter>((options, api) =>
        {
            options.GlobalLimiter = api.Limiter;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, ct) => api.RejectAsync(context.HttpContext, context.Lease);
        });
        return services;
    }

    /// <summary>Whole seconds to wait, at least one (Retry-After is an integer; 0 would invite an immediate retry).</summary>
    public static int Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
}

/// <summary>
/// Per API key: partitioned by the key's configured name (the key itself is never a partition key nor logged).
/// Owned here rather than by the middleware so the partitions' idle sweep ends with the app.
/// </summary>
public sealed class ApiRateLimiter : IDisposable
{
    private readonly WindowLimit limit;
    private readonly ILogger logger;

    public ApiRateLimiter(IOptions<RateLimitsOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        limit = options.Value.Api;
        logger = loggers.CreateLogger("TheModel.Api.RateLimits");
        Limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => KeyName(http) is { } name
            ? RateLimitPartition.Get(name, _ => new WindowRateLimiter(limit, time))
            : RateLimitPartition.GetNoLimiter(""));
    }

    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>429 with Retry-After and a problem body saying when to come back (never 503: the server is fine).</summary>
    public async ValueTask RejectAsync(HttpContext http, RateLimitLease lease)
    {
        var seconds = RateLimitExtensions.Seconds(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : limit.Window);
        var name = KeyName(http);
        if (lease.TryGetMetadata(WindowRateLimiter.FirstRefusal, out var first) && first)
        {
            logger.LogWarning("API key {Key} is over its rate limit of {Limit} requests per {Window}; refused for {Seconds} s",
                name, limit.PermitLimit, limit.Window, seconds);
        }
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"The API key '{name}' may make {limit.PermitLimit} requests per {limit.Window.TotalSeconds:0.###} s " +
                    $"(RateLimits:Api); try again in {seconds} s.",
            },
        });
    }

    public void Dispose() => Limiter.Dispose();

    private static string? KeyName(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiScopes.Scheme, Name: { } name } ? name : null;
}

/// <summary>What the chat limiter said about one request.</summary>
public readonly record struct ChatAllowance(bool Allowed, TimeSpan RetryAfter, bool FirstRefusal)
{
    public int RetryAfterSeconds => RateLimitExtensions.Seconds(RetryAfter);
}

/// <summary>
/// Per platform user on the chat endpoints (<see cref="RateLimitsOptions.Chat"/>). The endpoints call it once they know
/// who is asking, after the request is authenticated (a Bot Framework token, a Slack signature): a forged request
/// naming someone else never reaches it, so it cannot use up that person's allowance.
/// </summary>
public sealed class ChatRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;

    public ChatRateLimiter(IOptions<RateLimitsOptions> options, TimeProvider time)
    {
        var limit = options.Value.Chat;
        limiter = PartitionedRateLimiter.Create<string, string>(user => RateLimitPartition.Get(user, _ => new WindowRateLimiter(limit, time)));
    }

    /// <summary>Counts one request of <paramref name="userId"/> on <paramref name="platform"/> (<c>teams</c>, <c>slack</c>).</summary>
    public ChatAllowance TryAcquire(string platform, string userId)
    {
        using var lease = limiter.AttemptAcquire($"{platform}:{userId}");
        if (lease.IsAcquired)
        {
            return new ChatAllowance(true, TimeSpan.Zero, false);
        }
        return new ChatAllowance(false,
            lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.Zero,
            lease.TryGetMetadata(WindowRateLimiter.FirstRefusal, out var first) && first);
    }

    public void Dispose() => limiter.Dispose();
}
