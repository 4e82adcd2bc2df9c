using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace TheModel.Api.Store;

/// <summary>
/// "Contains this text, ignoring case" as a LIKE both stores run: the text's <c>%</c>, <c>_</c> and <c>\</c> are
/// escaped so a user's search matches them literally, and PostgreSQL gets ILIKE because its LIKE is case-sensitive
/// (SQLite's LIKE already ignores ASCII case).
/// </summary>
public static class TextSearch
{
    /// <summary>The escape character the patterns use (LIKE has none by default on SQLite).</summary>
    public const string EscapeCharacter = "\\";

    /// <summary><paramref name="text"/> with LIKE's wildcards and the escape character itself escaped.</summary>
    public static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>A LIKE pattern matching any value that contains <paramref name="text"/> literally.</summary>
    public static string ContainsPattern(string text) => "%" + Escape(text) + "%";

    /// <summary>
    /// True for rows where any of <paramref name="columns"/> contains <paramref name="text"/> (ignoring case), for
    /// <c>Where</c>. The pattern stays a query parameter, so every search shares one cached query plan.
    /// </summary>
    public static Expression<Func<T, bool>> AnyContains<T>(DbContext db, string text, params Expression<Func<T, string>>[] columns)
    {
        if (columns.Length == 0)
        {
            throw new ArgumentException("At least one column to search.", nameof(columns));
        }
        var pattern = ContainsPattern(text);
        Expression<Func<string, string, bool>> like = db.Database.IsNpgsql()
            ? (value, p) => EF.Functions.ILike(value, p, EscapeCharacter)
            : (value, p) => EF.Functions.Like(value, p, EscapeCharacter);
        // A closure member, not a constant: EF Core sends it as a parameter.
        Expression<Func<string>> patternParameter = () => pattern;
        var row = Expression.Parameter(typeof(T), "row");
        Expression? any = null;
        foreach (var column in columns)
        {
            var value = ReplacingExpressionVisitor.Replace(column.Parameters[0], row, column.Body);
            var match = new ReplacingExpressionVisitor([like.Parameters[0], like.Parameters[1]], [value, patternParameter.Body])
                .Visit(like.Body);
            any = any is null ? match : Expression.OrElse(any, match);
        }
        return Expression.Lambda<Func<T, bool>>(any!, row);
    }

    /// <summary><paramref name="left"/> or <paramref name="right"/>, as one predicate over the same row.</summary>
    public static Expression<Func<T, bool>> Or<T>(this Expression<Func<T, bool>> left, Expression<Func<T, bool>> right) =>
        Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body,
            ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)), left.Parameters);
}
