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
}

public enum StoreProvider
{
    Sqlite,
    Postgres,
}
