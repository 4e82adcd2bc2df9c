namespace TheModel.Api.Store;

public static class UnitOfWorkCache
{
    /// <summary>
    /// A dictionary that empties whenever <paramref name="db"/> saves: for look-ups that hold only until the unit of work
    /// commits (a batch intake routes and offers hundreds of leads before its one SaveChanges; the next unit of work
    /// reads the store afresh, so a change saved by another request or instance applies at once).
    /// </summary>
    public static Dictionary<TKey, TValue> CacheUntilSaved<TKey, TValue>(this TheModelDb db) where TKey : notnull
    {
        var cache = new Dictionary<TKey, TValue>();
        db.SavedChanges += (_, _) => cache.Clear();
        return cache;
    }
}
