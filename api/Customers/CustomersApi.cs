using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Leads;

namespace TheModel.Api.Customers;

public sealed record OnboardedInput(DateTime? At);

public sealed record RenewedInput(decimal? Amount, int? TermMonths);

public sealed record ChurnedInput(string? Reason, string? Note);

public sealed record UpsoldInput(decimal? Amount);

/// <summary>CS events on a won lead: <c>POST /api/leads/{id}/onboarded|renewed|churned|upsold</c>.</summary>
public static class CustomersApi
{
    /// <summary>Adds the CS routes to the leads' write group.</summary>
    public static RouteGroupBuilder MapCustomerEvents(this RouteGroupBuilder writes)
    {
        writes.MapPost("/{id:guid}/onboarded", (Guid id, OnboardedInput? input, CustomerLifecycle cs, ClaimsPrincipal user, CancellationToken ct) =>
            RunAsync(id, cs.OnboardAsync(id, input?.At, user.ApiActor(), ct)));
        writes.MapPost("/{id:guid}/renewed", (Guid id, RenewedInput input, CustomerLifecycle cs, ClaimsPrincipal user, CancellationToken ct) =>
            RunAsync(id, cs.RenewAsync(id, input.Amount, input.TermMonths, user.ApiActor(), ct)));
        writes.MapPost("/{id:guid}/churned", (Guid id, ChurnedInput input, CustomerLifecycle cs, ClaimsPrincipal user, CancellationToken ct) =>
            RunAsync(id, cs.ChurnAsync(id, input.Reason, input.Note, user.ApiActor(), ct)));
        writes.MapPost("/{id:guid}/upsold", (Guid id, UpsoldInput input, CustomerLifecycle cs, ClaimsPrincipal user, CancellationToken ct) =>
            RunAsync(id, cs.UpsellAsync(id, input.Amount, user.ApiActor(), ct)));
        return writes;
    }

    private static async Task<Results<Ok<LeadView>, ValidationProblem, ProblemHttpResult>> RunAsync(Guid id, Task<CustomerChange> change) =>
        await change switch
        {
            { Status: CustomerChangeStatus.Done, Lead: { } lead } => TypedResults.Ok(LeadView.Of(lead)),
            { Status: CustomerChangeStatus.NotFound } => TypedResults.Problem($"No lead with id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found"),
            { Status: CustomerChangeStatus.Invalid } c => TypedResults.ValidationProblem(new FieldErrors().Add(c.Field!, c.Detail!).ToDictionary(), detail: "Nothing was changed."),
            { Status: CustomerChangeStatus.NotYours } c => TypedResults.Problem(c.Detail, statusCode: StatusCodes.Status403Forbidden, title: "Not yours"),
            { Status: CustomerChangeStatus.Conflict } c => TypedResults.Problem(c.Detail, statusCode: StatusCodes.Status409Conflict, title: "Concurrent change"),
            var c => TypedResults.Problem(c.Detail, statusCode: StatusCodes.Status409Conflict, title: "Wrong state",
                extensions: new Dictionary<string, object?> { ["field"] = c.Field, ["stage"] = c.Lead?.Stage.ToString() }),
        };
}
