using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Auth;
using TheModel.Api.Common;
using TheModel.Api.Store;

namespace TheModel.Api.People;

public sealed record DepartmentInput(string? DisplayName, string? TeamsConversationId, string? SlackChannelId);

public sealed record DepartmentView(Department Code, string DisplayName, string? TeamsConversationId, string? SlackChannelId, int Members, DateTime UpdatedAt);

public static class DepartmentsApi
{
    /// <summary>
    /// <c>GET /api/departments</c>, <c>GET/PUT /api/departments/{code}</c>: names and baton channels. Changing them is
    /// admin: a department's channel is where its cards (lead names, emails, Accept/Reject) go.
    /// </summary>
    public static IEndpointRouteBuilder MapDepartmentsApi(this IEndpointRouteBuilder app)
    {
        var (reads, admin) = app.MapScopedGroups("/api/departments", "People", ApiScopes.Admin);
        reads.MapGet("/", async (TheModelDb db, CancellationToken ct) =>
            TypedResults.Ok<IReadOnlyList<DepartmentView>>(await ViewsAsync(db, null, ct)));
        reads.MapGet("/{code}", GetAsync);

        admin.MapPut("/{code}", PutAsync);
        return app;
    }

    /// <summary>The four rows of The Model exist from the first start (baton channels are filled in later).</summary>
    public static async Task EnsureDepartmentsAsync(TheModelDb db, DateTime now, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var existing = await db.Departments.Select(d => d.Code).ToListAsync(ct);
            foreach (var code in Enum.GetValues<Department>().Except(existing))
            {
                db.Departments.Add(new DepartmentChannel { Code = code, DisplayName = DepartmentChannel.DefaultName(code), UpdatedAt = now });
            }
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException ex) when (attempt == 0 && ex.IsUniqueViolation())
            {
                // Another instance starting on the same database inserted them first: read what it left.
                db.DiscardChanges();
            }
        }
    }

    private static async Task<Results<Ok<DepartmentView>, ProblemHttpResult>> GetAsync(string code, TheModelDb db, CancellationToken ct)
    {
        if (Parse(code) is not { } department)
        {
            return UnknownDepartment(code);
        }
        var views = await ViewsAsync(db, department, ct);
        return views.Count == 0 ? UnknownDepartment(code) : TypedResults.Ok(views[0]);
    }

    private static async Task<Results<Ok<DepartmentView>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string code, DepartmentInput input, TheModelDb db, TimeProvider time, CancellationToken ct)
    {
        if (Parse(code) is not { } department)
        {
            return UnknownDepartment(code);
        }
        var errors = new FieldErrors();
        if (input.DisplayName is not null)
        {
            errors.Required("displayName", input.DisplayName, InputLimits.DepartmentDisplayName);
        }
        errors.MaxLength("teamsConversationId", input.TeamsConversationId, 300);
        errors.MaxLength("slackChannelId", input.SlackChannelId, 64);
        if (errors.Any)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary());
        }
        var row = await db.Departments.FirstOrDefaultAsync(d => d.Code == department, ct);
        if (row is null)
        {
            row = new DepartmentChannel { Code = department, DisplayName = DepartmentChannel.DefaultName(department) };
            db.Departments.Add(row);
        }
        row.DisplayName = input.DisplayName?.Trim() ?? row.DisplayName;
        // An empty string unlinks a channel; null leaves it as it is.
        row.TeamsConversationId = input.TeamsConversationId is null ? row.TeamsConversationId : Blank(input.TeamsConversationId);
        row.SlackChannelId = input.SlackChannelId is null ? row.SlackChannelId : Blank(input.SlackChannelId);
        row.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ViewsAsync(db, department, ct))[0]);
    }

    private static async Task<IReadOnlyList<DepartmentView>> ViewsAsync(TheModelDb db, Department? only, CancellationToken ct)
    {
        var query = db.Departments.AsNoTracking();
        if (only is { } d)
        {
            query = query.Where(x => x.Code == d);
        }
        var rows = await query
            .Select(x => new DepartmentView(x.Code, x.DisplayName, x.TeamsConversationId, x.SlackChannelId,
                db.People.Count(p => p.Department == x.Code), x.UpdatedAt))
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Code).ToList();
    }

    private static Department? Parse(string code) =>
        !char.IsDigit(code.FirstOrDefault()) && Enum.TryParse<Department>(code, ignoreCase: true, out var d) && Enum.IsDefined(d) ? d : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ProblemHttpResult UnknownDepartment(string code) =>
        TypedResults.Problem($"No department '{code}'; The Model has MK, IS, FS and CS.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
