namespace TheModel.Tests.Support;

/// <summary>
/// A test about SQLite itself (its file, its query planner, its schema text): skipped, with the reason, when the
/// suite runs against PostgreSQL (<c>THEMODEL_TEST_POSTGRES</c>).
/// </summary>
public sealed class SqliteOnlyFactAttribute : FactAttribute
{
    public SqliteOnlyFactAttribute(string why)
    {
        if (TheModelApp.OnPostgres)
        {
            Skip = $"SQLite-specific: {why}";
        }
    }
}

/// <summary>
/// A test that needs a real PostgreSQL server: skipped with a message saying how to run it when
/// <c>THEMODEL_TEST_POSTGRES</c> is not set, so it is never counted as passed without having run.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (!TheModelApp.OnPostgres)
        {
            Skip = $"Needs PostgreSQL: set {TheModelApp.PostgresVariable} to a server connection string " +
                "(bash tests/postgres/start.sh starts one and prints it; .ci/run does this).";
        }
    }
}
