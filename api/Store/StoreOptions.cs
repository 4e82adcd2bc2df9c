namespace TheModel.Api.Store;

/// <summary>The <c>Store</c> section: which database the system of record lives in.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary><c>Sqlite</c> (the default; the file is <c>ConnectionStrings:TheModel</c>) or <c>Postgres</c>.</summary>
    public string Provider { get; set; } = nameof(StoreProvider.Sqlite);

    public const string ProviderError = "Store:Provider must be Sqlite or Postgres.";

    /// <summary>The provider named, case aside (unset is SQLite); null for anything else: a typo must not quietly mean SQLite.</summary>
    public StoreProvider? Kind => string.IsNullOrWhiteSpace(Provider)
        ? StoreProvider.Sqlite
        : Enum.GetValues<StoreProvider>().Select(p => (StoreProvider?)p).FirstOrDefault(p => p.ToString()!.Equals(Provider.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// SQLite's <c>synchronous</c> on every connection. <c>Full</c> (the default) syncs the log at every commit, so a
    /// decision already answered survives a power loss or a kernel crash; <c>Normal</c> is faster but may lose the last
    /// commits then (never the file's integrity). PERFORMANCE.md has the cost. Not used on PostgreSQL.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Full;

    public const string SqliteSynchronousError = "Store:SqliteSynchronous must be Full or Normal.";
}

/// <summary>The <c>PRAGMA synchronous</c> levels the store allows (OFF would risk the file itself).</summary>
public enum SqliteSynchronous
{
    Full,
    Normal,
}

public enum StoreProvider
{
    Sqlite,
    Postgres,
}
