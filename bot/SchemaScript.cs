using Microsoft.EntityFrameworkCore;
using TheModel.Api.Store;

namespace TheModel.Bot;

/// <summary><c>--schema-script sqlite|postgres</c>: prints the create script of the current model, the starting point of a new migration.</summary>
internal static class SchemaScript
{
    public static bool TryPrint(WebApplication app, string[] args)
    {
        var at = Array.IndexOf(args, "--schema-script");
        if (at < 0)
        {
            return false;
        }
        var provider = at + 1 < args.Length ? args[at + 1] : "sqlite";
        var options = new DbContextOptionsBuilder<TheModelDb>();
        StoreExtensions.Configure(options, provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "Postgres" : "Sqlite",
            provider.Equals("postgres", StringComparison.OrdinalIgnoreCase) ? "Host=localhost" : StoreExtensions.DefaultSqlite);
        using var db = new TheModelDb(options.Options);
        Console.WriteLine(db.Database.GenerateCreateScript());
        return true;
    }
}
