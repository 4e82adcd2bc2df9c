using Microsoft.EntityFrameworkCore;

namespace TheModel.Api.Common;

public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Limit, int Offset);

/// <summary>limit/offset paging with a ceiling, so no request can ask for the whole table.</summary>
public readonly record struct Paging(int Limit, int Offset)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static Paging From(int? limit, int? offset, FieldErrors errors)
    {
        if (limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"limit must be between 1 and {MaxLimit}.");
        }
        if (offset is < 0)
        {
            errors.Add("offset", "offset must not be negative.");
        }
        return new Paging(limit ?? DefaultLimit, offset ?? 0);
    }

    /// <summary>One page of <paramref name="ordered"/> (a stable order, so pages neither overlap nor skip) with the total count.</summary>
    public async Task<Page<TView>> PageAsync<T, TView>(IOrderedQueryable<T> ordered, Func<T, TView> view, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(Offset).Take(Limit).ToListAsync(ct);
        return new Page<TView>(items.Select(view).ToList(), total, Limit, Offset);
    }
}
