using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Bot.Chat;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Cards;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Cards;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.HandoffCards;

public class ReaderTimeZoneTests
{
    private static readonly DateTime Deadline = new(2026, 12, 8, 6, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("Asia/Tokyo", "JST")]
    [InlineData("Europe/Berlin", "UTC+1")]
    [InlineData("Asia/Kolkata", "UTC+5:30")]
    [InlineData("America/St_Johns", "UTC−3:30")]
    [InlineData("UTC", "UTC")]
    public void Label_OfAZone_IsJstForJapan_ElseTheOffsetAtThatInstant(string zone, string label)
    {
        Assert.Equal(label, ReaderTimeZone.Label(TimeZoneInfo.FindSystemTimeZoneById(zone), Deadline));
    }

    [Theory]
    [InlineData("Europe/Berlin", "Europe/Berlin")]
    [InlineData("Not/AZone", "America/New_York")]
    [InlineData("", "America/New_York")]
    public void For_AReader_TheirZone_ElseTheCalendars(string readerZone, string expected)
    {
        var calendar = new BusinessCalendar(new CalendarSettings { TimeZone = "America/New_York" });
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(expected).BaseUtcOffset,
            ReaderTimeZone.For(new Person { Name = "x", TimeZone = readerZone }, calendar).BaseUtcOffset);
        Assert.Equal(calendar.TimeZone, ReaderTimeZone.For(null, calendar));
    }

    [Fact]
    public async Task HandoffCard_ForAPerson_InTheirZone_ForAChannel_InTheCalendarsNamed()
    {
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var lead = new Lead { Name = "田中", Company = "アクメ" };
        var handoff = new Handoff { LeadId = lead.Id, Kind = HandoffKind.MqlToIs, OfferedAt = Deadline.AddHours(-5), DeadlineAt = Deadline, RoutingReason = "r" };
        var factory = scope.ServiceProvider.GetRequiredService<HandoffCardFactory>();
        var people = new Dictionary<Guid, Person>();

        var berlin = factory.Build(handoff, lead, people, new Person { Name = "B", TimeZone = "Europe/Berlin", Locale = "ja-JP" });
        var channel = factory.Build(handoff, lead, people, reader: null);

        Assert.Equal(new DateTimeOffset(2026, 12, 8, 7, 0, 0, TimeSpan.FromHours(1)), berlin.Deadline);
        Assert.Null(berlin.TimeZoneLabel);
        // The test calendar is the default one: Asia/Tokyo.
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 15, 0, 0, TimeSpan.FromHours(9)), channel.Deadline);
        Assert.Equal("JST", channel.TimeZoneLabel);
        Assert.Contains(JsonWalk.Strings(AdaptiveCardRenderer.Handoff(channel)), s => s.StartsWith("2026-12-08 15:00 JST · ", StringComparison.Ordinal));
        Assert.Contains(JsonWalk.Strings(BlockKitRenderer.Handoff(channel).Blocks), s => s.Contains("|2026-12-08 15:00 JST>", StringComparison.Ordinal));
        Assert.DoesNotContain(JsonWalk.Strings(AdaptiveCardRenderer.Handoff(berlin)), s => s.Contains("JST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DigestDroppedBalls_InJapanese_ForAChannel_AreInTheCalendarsZone_NotUtc()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        var digest = await DigestFigureQueriesTests.BuildAsync(app, DigestWorld.Week);
        var formatter = new DigestFormatter(app.Services.GetRequiredService<IBusinessCalendar>());

        var figures = (TheModel.Cards.ViewModels.FiguresCardModel)formatter.Format(digest, "ja", late: false).Figures;

        var dropped = figures.Sections.Single(s => s.Title == ChatTexts.Japanese.DroppedBalls).Rows;
        Assert.Contains(dropped, r => r.Value.EndsWith("期限 2026-11-12 11:00 JST", StringComparison.Ordinal));
        Assert.DoesNotContain(dropped, r => r.Value.Contains("UTC", StringComparison.Ordinal));
    }
}
