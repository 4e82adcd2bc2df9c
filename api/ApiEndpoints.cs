using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;
using TheModel.Api.Handoffs;
using TheModel.Api.Health;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.RateLimits;
using TheModel.Api.Settings;
using TheModel.Api.Sla;
using TheModel.Api.Store;

namespace TheModel.Api;

public static class ApiEndpoints
{
    /// <summary>Largest request body the API takes (docs/design.md §6: 1 MB; a batch of 1,000 leads fits well inside).</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>REST API services: auth by API key, rate limits, problem details, OpenAPI, request limits.</summary>
    public static IHostApplicationBuilder AddTheModelApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier));
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        services.AddApiKeyAuth();
        services.AddTheModelRateLimits();
        services.AddTheModelHealth();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        // Bad JSON / wrong types throw, so the handler above answers with a problem body naming the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            // Tell OpenAPI clients where the key goes.
            document.Components ??= new Microsoft.OpenApi.OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiScopes.Scheme] = new Microsoft.OpenApi.OpenApiSecurityScheme
            {
                Type = Microsoft.OpenApi.SecuritySchemeType.ApiKey,
                In = Microsoft.OpenApi.ParameterLocation.Header,
                Name = ApiScopes.Header,
                Description = "API key with scope read, write or admin (Api:Keys:{i}:Key / Api:Keys:{i}:Scopes).",
            };
            return Task.CompletedTask;
        }));
        return builder;
    }

    public static WebApplication UseTheModelApi(this WebApplication app)
    {
        app.Use(LogRejectedAsync);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(RefuseUnknownCharsetAsync);
        app.Use(LimitBodyAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization: a request counts against its API key, known by now; one refused already is not counted.
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Maps every REST endpoint module (<c>MapXxxApi</c>), <c>/healthz</c>, <c>/readyz</c> and <c>/openapi/v1.json</c>; the digest's route is mapped by the bot's <c>MapDigest</c> (the digest lives in <c>bot/Digest</c>).</summary>
    public static IEndpointRouteBuilder MapTheModelApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        // The document describes routes, not data; clients fetch it before they have a key.
        app.MapOpenApi().AllowAnonymous();
        app.MapLeadsApi();
        app.MapHandoffsApi();
        app.MapPeopleApi();
        app.MapDepartmentsApi();
        app.MapKpisApi();
        app.MapQualificationSettingsApi();
        app.MapOutboxApi();
        app.MapSlaApi();
        return app;
    }

    /// <summary>Every refused request leaves one line in the log: what, where, which status.</summary>
    private static async Task LogRejectedAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Response.StatusCode is >= 400 and < 500)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TheModel.Api.Rejected")
                .LogInformation("Rejected {Method} {Path}{Query} with {Status} (key {Key})", context.Request.Method, context.Request.Path,
                    context.Request.QueryString, context.Response.StatusCode, context.User.Identity?.Name ?? "none");
        }
    }

    /// <summary>
    /// 413 for bodies over the limit. Kestrel enforces the limit too, but this also covers hosts that do not
    /// (the test server), and answers with a problem body instead of a dropped connection.
    /// </summary>
    private static async Task LimitBodyAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentLength > MaxRequestBodyBytes)
        {
            await TooLargeAsync(context);
            return;
        }
        if (context.Request.ContentLength is null && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // No length given (chunked): read at most one byte past the limit before anyone else reads it.
            var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxRequestBodyBytes)
                {
                    await TooLargeAsync(context);
                    return;
                }
            }
            buffer.Position = 0;
            context.Request.Body = buffer;
        }
        await next(context);
    }

    /// <summary>
    /// 415 for a body whose Content-Type names a charset .NET does not know. The JSON and form readers throw on one
    /// (a 500 on every JSON route, /api/messages and the Slack endpoints included); one check up front covers them all.
    /// </summary>
    private static async Task RefuseUnknownCharsetAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.ContentType is { Length: > 0 } contentType
            && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
            && media.Charset is { Length: > 0 } quoted
            && !KnownCharset(quoted.Value?.Trim('"')))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported charset",
                $"The Content-Type names charset '{quoted.Value}', which this server does not know. Send UTF-8 (charset=utf-8, or no charset).");
            return;
        }
        await next(context);
    }

    private static bool KnownCharset(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }
        try
        {
            System.Text.Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Task TooLargeAsync(HttpContext context) =>
        RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body may be at most {MaxRequestBodyBytes} bytes (1 MB). Send big imports as several batches of up to 1,000 leads.");

    /// <summary>A request refused before any endpoint sees it: a problem body and a log line.</summary>
    private static async Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TheModel.Api.Requests")
            .LogInformation("{Method} {Path} refused {Status}: {Title}", context.Request.Method, context.Request.Path, status, title);
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

/// <summary>
/// Turns request binding failures (malformed JSON, a string where a number belongs, a query value of the wrong
/// type, a body over the limit) into a problem response with the offending field, instead of a 500.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is DbUpdateConcurrencyException || (exception is DbUpdateException unique && Common.ApiActors.IsUniqueViolation(unique)))
        {
            // A race the endpoint did not expect, or lost again after its one retry: the other request won (a changed
            // record, or the same key inserted first); nothing of this one was kept.
            context.Response.StatusCode = StatusCodes.Status409Conflict;
            return await problems.TryWriteAsync(new()
            {
                HttpContext = context,
                Exception = exception,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "Concurrent change",
                    Detail = "Another request changed the same record at the same moment; read it again and retry.",
                },
            });
        }
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var status = bad.StatusCode is >= 400 and < 500 ? bad.StatusCode : StatusCodes.Status400BadRequest;
        var problem = new HttpValidationProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "The request could not be read",
            Detail = bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message,
        };
        if (bad.InnerException is JsonException { Path: { Length: > 0 } path } jsonError)
        {
            var field = path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
            problem.Errors[field] = [jsonError.Message];
        }
        else if (bad.Message.Contains("Failed to bind parameter", StringComparison.Ordinal) && Between(bad.Message, "\"", "\"") is { } parameter)
        {
            var name = parameter.Split(' ').Last();
            problem.Errors[name] = [bad.Message];
        }
        else if (bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            problem.Errors["body"] = [bad.Message];
        }
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new() { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static string? Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(close, start + 1, StringComparison.Ordinal);
        return end > start ? text[(start + 1)..end] : null;
    }
}
