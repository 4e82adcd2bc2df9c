using System.Net;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Api.Store;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Store;

/// <summary>
/// The one LIKE helper the lead search (REST) and <c>lead …</c> (chat) share, run on the suite's store: SQLite by
/// default, PostgreSQL when <c>THEMODEL_TEST_POSTGRES</c> is set (where the helper must switch to ILIKE).
/// </summary>
public sealed class TextSearchTests
{
    // Each wildcard has a company it would wrongly match if it were not escaped.
    private static readonly string[] Companies =
        ["100% Pure", "100 Pure", "a_b Ltd", "axb Ltd", @"Back\Slash", "BackSlash", "Acme Corp"];

    [Theory]
    [InlineData("100%", @"100\%")]
    [InlineData("a_b", @"a\_b")]
    [InlineData(@"c:\x", @"c:\\x")]
    [InlineData(@"\%_", @"\\\%\_")]
    [InlineData("plain", "plain")]
    public void Escape_LikeWildcardsAndEscapeCharacter_AreEscaped(string text, string escaped) =>
        Assert.Equal(escaped, TextSearch.Escape(text));

    [Fact]
    public void ContainsPattern_Text_IsEscapedBetweenPercents() =>
        Assert.Equal(@"%5\%%", TextSearch.ContainsPattern("5%"));

    [Theory]
    [InlineData("%", "100% Pure")]
    [InlineData("0% P", "100% Pure")]
    [InlineData("_", "a_b Ltd")]
    [InlineData("a_b", "a_b Ltd")]
    [InlineData(@"\", @"Back\Slash")]
    [InlineData(@"k\s", @"Back\Slash")]
    public async Task AnyContains_WildcardOrBackslash_MatchesItLiterally(string text, string only)
    {
        await using var app = await AppWithCompaniesAsync();
        Assert.Equal([only], await CompaniesMatchingAsync(app, text));
    }

    [Fact]
    public async Task AnyContains_OtherCase_MatchesIgnoringCase()
    {
        await using var app = await AppWithCompaniesAsync();
        Assert.Equal(["Acme Corp"], await CompaniesMatchingAsync(app, "aCME c"));
    }

    [Fact]
    public async Task AnyContains_SeveralColumns_MatchesAnyOfThem()
    {
        await using var app = await AppWithCompaniesAsync();
        var names = await app.WithDbAsync(db => db.Leads.AsNoTracking()
            .Where(TextSearch.AnyContains<Lead>(db, "person 3", l => l.Company, l => l.Name))
            .Select(l => l.Company).ToListAsync());
        Assert.Equal(["a_b Ltd"], names);
    }

    [Fact]
    public async Task Or_SecondPredicate_AddsItsRows()
    {
        await using var app = await AppWithCompaniesAsync();
        var names = await app.WithDbAsync(db => db.Leads.AsNoTracking()
            .Where(TextSearch.AnyContains<Lead>(db, "100%", l => l.Company).Or(l => l.Company == "BackSlash"))
            .Select(l => l.Company).OrderBy(c => c).ToListAsync());
        Assert.Equal(["100% Pure", "BackSlash"], names);
    }

    private static async Task<TheModelApp> AppWithCompaniesAsync()
    {
        var app = new TheModelApp().WithKeys();
        var client = app.Client();
        for (var i = 0; i < Companies.Length; i++)
        {
            await client.PostLeadAsync(new { name = $"Person {i + 1}", email = $"p{i + 1}@example.com", company = Companies[i], score = 10 })
                .OkJsonAsync(HttpStatusCode.Created);
        }
        return app;
    }

    private static Task<List<string>> CompaniesMatchingAsync(TheModelApp app, string text) =>
        app.WithDbAsync(db => db.Leads.AsNoTracking().Where(TextSearch.AnyContains<Lead>(db, text, l => l.Company))
            .Select(l => l.Company).OrderBy(c => c).ToListAsync());
}
