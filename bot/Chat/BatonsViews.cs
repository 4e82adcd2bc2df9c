using Microsoft.Extensions.Options;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.People;
using TheModel.Bot.HandoffCards;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Chat;

/// <summary>
/// Builds the "my batons" view (Slack App Home, Teams my-batons card) for one person from <see cref="BatonQueue"/>:
/// the same list as <c>my queue</c> and <c>GET /api/handoffs?assignee=</c>, in the person's language and time zone.
/// </summary>
public sealed class BatonsViews(
    BatonQueue queue, HandoffCardFactory cards, IKpiQueries kpis, IPeriods periods, PersonDirectory directory,
    IOptions<ChatOptions> options)
{
    /// <summary>Per section: three full sections of offers (two blocks each) stay well under a home's 100 blocks.</summary>
    public const int MaxPerSection = Cards.BlockKitRenderer.MaxHomeLines;
    /// <summary>How many of the department's week figures the home shows: the ones its managers look at first.</summary>
    public const int WeekFigures = 3;

    /// <remarks><paramref name="lines"/>: batons per section (the Slack home takes <see cref="MaxPerSection"/>, the Teams card fewer).</remarks>
    public async Task<BatonsViewModel> ForAsync(Person person, CancellationToken ct = default, int lines = MaxPerSection) =>
        await BuildAsync(await queue.ForAsync(person, lines, ct), lines, ct);

    public async Task<BatonsViewModel> BuildAsync(PersonBatons batons, int lines = MaxPerSection, CancellationToken ct = default)
    {
        var person = batons.Person;
        var t = ChatTexts.For(person.PrefersJapanese ? "ja" : "en");
        var h = HomeTexts.For(t.Language);
        var sections = new List<BatonSectionView>
        {
            Section(h.Overdue(batons.OverdueTotal), batons.Overdue, batons.OverdueTotal, person, t, lines),
            Section(h.Offers(batons.OffersTotal), batons.Offers, batons.OffersTotal, person, t, lines),
            Section(h.AwaitingFirstTouch(batons.AwaitingFirstTouchTotal), batons.AwaitingFirstTouch, batons.AwaitingFirstTouchTotal, person, t, lines),
        };
        var week = periods.WeekOf(batons.AsOf);
        var report = await kpis.KpisAsync(week, person.Department, ct);
        var figures = report.Departments.FirstOrDefault(d => d.Department == person.Department)?.Values.Take(WeekFigures)
            .Select(v => new FigureRow(t.KpiLabel(v.Key), t.Format(v.Value, v.Unit))).ToList() ?? [];
        return new BatonsViewModel
        {
            Title = h.Title(person.Name),
            Subtitle = batons.Total == 0 ? t.QueueEmpty : h.Summary(batons.Total),
            Sections = sections,
            Week = new FigureSection(h.Week(t.DepartmentName(person.Department), week.Label), figures),
            TeamTitle = h.Team,
            Team = batons.Team.Select(m => new TeamLine(m.Person.Name, h.Counts(m.Offers, m.Overdue, m.AwaitingFirstTouch), m.Overdue > 0)).ToList(),
            Language = t.Language,
            TeamsUserId = person.TeamsUserId,
        };
    }

    /// <summary>Someone the directory does not know: how to get added, in their platform's language.</summary>
    public async Task<BatonsViewModel> UnknownAsync(ChatPlatform platform, string platformId, string? locale, CancellationToken ct = default)
    {
        var t = ChatTexts.For(locale is not null && locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? "ja" : "en");
        return new BatonsViewModel
        {
            Title = HomeTexts.For(t.Language).Title(null),
            Notice = t.NotInDirectory(await directory.AdminNamesAsync(ct), platform, platformId, options.Value.AllowJoin),
            Language = t.Language,
        };
    }

    private BatonSectionView Section(string title, IReadOnlyList<Baton> batons, int total, Person reader, ChatTexts t, int max)
    {
        var lines = batons.Take(max).Select(b =>
        {
            var model = cards.Build(b.Handoff, b.Lead, new Dictionary<Guid, Person>(), reader);
            return new BatonLine(model.HandoffId, model.KindLabel, model.Company, model.ContactName, model.TimeLeft, model.Overdue,
                b.FromQueue ? t.Queue : null, b.Handoff.IsOpen,
                // The card's own test (accepted, lead still in the handed-over stage), so the home offers exactly what the card does.
                ContactActions: b.Section == BatonSection.AwaitingFirstTouch && model.ContactActions);
        }).ToList();
        return new BatonSectionView(title, lines, total > lines.Count ? t.AndMore(total - lines.Count) : null);
    }
}

/// <summary>The home's and the my-batons card's own words (EN/JA).</summary>
public sealed class HomeTexts
{
    private readonly bool ja;

    private HomeTexts(bool ja) => this.ja = ja;

    public static HomeTexts For(string? language) => new(language?.StartsWith("ja", StringComparison.OrdinalIgnoreCase) == true);

    private string T(string en, string jp) => ja ? jp : en;

    public string Title(string? name) => name is null ? T("My batons", "マイバトン") : T($"My batons — {name}", $"マイバトン — {name}");

    public string Summary(int total) => T($"{total} baton{(total == 1 ? "" : "s")} waiting on you", $"あなた待ちのバトン {total}件");

    public string Overdue(int n) => T($"Overdue ({n})", $"期限超過 ({n})");

    public string Offers(int n) => T($"Offered to you ({n})", $"あなたへのオファー ({n})");

    public string AwaitingFirstTouch(int n) => T($"Accepted, not yet contacted ({n})", $"受領済み・未着手 ({n})");

    public string Week(string department, string period) => T($"{department} this week ({period})", $"{department} の今週 ({period})");

    public string Team => T("Your people", "メンバーのキュー");

    public string WelcomeTitle => T("Welcome to TheModel Baton", "TheModel Baton へようこそ");

    public string WelcomeWhat => T(
        "I hand leads (batons) from Marketing to Inside Sales, Field Sales and CS, with a deadline on each: accept or reject them here, and ask me for your queue and the figures.",
        $"マーケティングからインサイドセールス、フィールドセールス、CS へリード(バトン)を期限付きで渡します。ここで{JapaneseTerms.Accept}か{JapaneseTerms.Reject}を選び、キューや数字を聞いてください。");

    public string YouTitle => T("You in the directory", "名簿でのあなた");

    public string NotYet => T("Not in the directory yet", "まだ名簿にいません");

    public string Name => T("Name", "名前");

    public string Role => T("Role", "役割");

    public string Counts(int offers, int overdue, int awaiting) =>
        T($"{offers} offered · {overdue} overdue · {awaiting} not yet contacted", $"オファー {offers} · 超過 {overdue} · 未着手 {awaiting}");
}
