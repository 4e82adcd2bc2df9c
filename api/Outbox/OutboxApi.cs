using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Store;

namespace TheModel.Api.Outbox;

public sealed record OutboxView(long Id, string Channel, string Target, string Kind, Guid? HandoffId, OutboxStatus Status, int Attempts,
    DateTime CreatedAt, DateTime NextAttemptAt, DateTime? SentAt, string? LastError, string? ExternalRef, bool Late,
    DateTime? FirstAttemptAt, DateTime? LastAttemptAt, DateTime? RequeuedAt)
{
    public static OutboxView Of(OutboxMessage m) => new(m.Id, m.Channel, m.Target, m.Kind, m.HandoffId, m.Status, m.Attempts,
        m.CreatedAt, m.NextAttemptAt, m.SentAt, m.LastError, m.ExternalRef, m.Late, m.FirstAttemptAt, m.LastAttemptAt, m.RequeuedAt);
}

public static class OutboxApi
{
    /// <summary><c>GET /api/outbox?status=failed</c> and <c>POST /api/outbox/{id}/retry</c> (admin): what could not be sent, and a way to try again.</summary>
    public static IEndpointRouteBuilder MapOutboxApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/outbox").WithTags("Outbox").RequireAuthorization(ApiScopes.Admin);
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:long}/retry", RetryAsync);
        return app;
    }

    private static async Task<Results<Ok<Page<OutboxView>>, ValidationProblem>> ListAsync(
        TheModelDb db, string? status, string? channel, int? limit, int? offset, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var statusFilter = errors.Enum<OutboxStatus>("status", status);
        var paging = Paging.From(limit, offset, errors);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var query = db.Outbox.AsNoTracking();
        if (statusFilter is { } s)
        {
            query = query.Where(m => m.Status == s);
        }
        if (!string.IsNullOrWhiteSpace(channel))
        {
            query = query.Where(m => m.Channel == channel);
        }
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(m => m.Id).Skip(paging.Offset).Take(paging.Limit).ToListAsync(ct);
        return TypedResults.Ok(new Page<OutboxView>(items.Select(OutboxView.Of).ToList(), total, paging.Limit, paging.Offset));
    }

    /// <summary>
    /// Failed → Pending with the attempt count and the give-up clock reset (a fresh run of <c>Outbox:GiveUpAfter</c>; the
    /// first attempt ever is kept, so Slack still looks for an earlier post before posting again); the dispatcher picks
    /// it up on its next round.
    /// </summary>
    private static async Task<Results<Ok<OutboxView>, ProblemHttpResult>> RetryAsync(
        long id, TheModelDb db, TimeProvider time, OutboxSignal signal, ILoggerFactory logs, HttpContext http, CancellationToken ct)
    {
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
        {
            return TypedResults.Problem($"No outbox message {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }
        if (message.Status != OutboxStatus.Failed)
        {
            return TypedResults.Problem($"Only a failed message can be retried; this one is {message.Status}.",
                statusCode: StatusCodes.Status409Conflict, title: "Not failed",
                extensions: new Dictionary<string, object?> { ["outboxStatus"] = message.Status.ToString() });
        }
        message.Status = OutboxStatus.Pending;
        message.Attempts = 0;
        message.RequeuedAt = time.GetUtcNow().UtcDateTime;
        message.NextAttemptAt = time.GetUtcNow().UtcDateTime;
        message.LockedBy = null;
        message.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        signal.Notify();
        logs.CreateLogger(typeof(OutboxApi)).LogInformation("Outbox {Id} ({Kind} to {Channel}) put back for retry by {Actor}",
            message.Id, message.Kind, message.Channel, http.User.Identity?.Name);
        return TypedResults.Ok(OutboxView.Of(message));
    }
}
