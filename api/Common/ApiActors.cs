using System.Data.Common;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace TheModel.Api.Common;

public static class ApiActors
{
    /// <summary>The API client behind a request, for the event log: the name of its API key.</summary>
    public static Actor ApiActor(this ClaimsPrincipal user) => Actor.Client(user.Identity?.Name ?? "api");

    /// <summary>A unique index refused the write (someone else inserted the same key first).</summary>
    public static bool IsUniqueViolation(this DbUpdateException ex) =>
        ex.InnerException is SqliteException { SqliteErrorCode: 19 } sqlite && sqlite.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase)
        || ex.InnerException is DbException { SqlState: "23505" };
}
