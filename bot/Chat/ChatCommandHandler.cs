using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Qualification;
using TheModel.Api.Routing;
using TheModel.Api.Settings;
using TheModel.Api.Sla;
using TheModel.Api.Store;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Chat;

/// <summary>
/// Answers chat commands the same way on Teams and Slack. Figures come from <see cref="IKpiQueries"/> and the digest
/// from <see cref="DigestFigureQueries"/>: the sources the REST API uses, so chat and API always agree.
/// </summary>
public sealed class ChatCommandHandler(
    TheModelDb db,
    HandoffCardFactory cards,
    TimeProvider time,
    IOptions<ChatOptions> options,
    ILogger<ChatCommandHandler> logger,
    IKpiQueries kpis,
    IPeriods periods,
    DigestFigureQueries digests,
    PersonDirectory directory,
    IEnumerable<IJoinRequestNotifier> notifiers,
    LeadActivities activities,
    BatonQueue batonQueue,
    ThresholdValve valve,
    IBusinessCalendar calendar,
    CustomerCommands customers) : IChatCommandHandler
{
    /// <summary>Cards in one answer: each is a message of its own on both platforms.</summary>
    public const int MaxCards = 10;
    public const int MaxListed = 20;
    public const int MaxLeads = 5;

    public async Task<ChatReply> HandleAsync(ChatRequest request, CancellationToken ct = default)
    {
        var person = request.Person ?? await directory.FindAsync(request.Platform, request.UserId, request.UserAadObjectId, ct);
        var command = ChatCommandParser.Parse(request.Text);
        var t = ChatTexts.For(LanguageOf(person, request));
        logger.LogInformation("Chat command {Command} from {Channel} user {UserId}", command.GetType().Name, request.Platform.Key(), request.UserId);
        if (ReadsTheDirectory(command) && !PersonDirectory.MayRead(person))
        {
            logger.LogInformation("Chat command {Command} from {Channel} user {UserId} refused: not in the directory", command.GetType().Name, request.Platform.Key(), request.UserId);
            return new ChatReply { Text = t.NotInDirectory(await directory.AdminNamesAsync(ct), request.Platform, PlatformId(request), options.Value.AllowJoin), Private = true };
        }
        return command switch
        {
            ChatCommand.Help => Help(t),
            ChatCommand.Unknown u => Help(t, t.NotUnderstood(u.Text)),
            ChatCommand.Invalid i => Help(t, t.BadArgument(i.Command, i.Argument)),
            ChatCommand.MyQueue => await MyQueueAsync(person, t, ct),
            ChatCommand.Overdue => await OverdueAsync(person, t, ct),
            ChatCommand.LeadLookup l => await LeadAsync(l.Query, person, t, ct),
            ChatCommand.Link l => await LinkAsync(l, person, request, t, ct),
            ChatCommand.Join j => await JoinAsync(j.Department, request, t, ct),
            ChatCommand.DecideJoin d => await DecideJoinAsync(d, person, request, t, ct),
            ChatCommand.Funnel f => await FunnelAsync(f.Period, t, ct),
            ChatCommand.Kpi k => await KpiAsync(k, t, ct),
            ChatCommand.Plan p => await PlanAsync(p.Amount, p.Recurring, t, ct),
            ChatCommand.Digest => await DigestAsync(person, t, ct),
            ChatCommand.Contact c => await ContactAsync(c, person!, t, ct),
            ChatCommand.Threshold th => await ThresholdAnswers.AnswerAsync(valve, th.Value, person, t.Language, ThresholdReasons.Chat, ct),
            ChatCommand.Customer c => await customers.AnswerAsync(c, person!, await FindLeadsAsync(c.Query.Trim(), ct), t, ct),
            _ => Help(t),
        };
    }

    /// <summary>Figures, leads and queues are for people in the directory only.</summary>
    private static bool ReadsTheDirectory(ChatCommand command) => command is ChatCommand.MyQueue or ChatCommand.Overdue or ChatCommand.LeadLookup
        or ChatCommand.Funnel or ChatCommand.Kpi or ChatCommand.Plan or ChatCommand.Digest or ChatCommand.Contact or ChatCommand.Threshold
        or ChatCommand.Customer;

    private static string PlatformId(ChatRequest request) =>
        new ChatUser(request.Platform, request.UserId, request.UserAadObjectId).PlatformId;

    /// <summary>The person's locale when we know them; else Japanese when they wrote Japanese; else the platform's locale.</summary>
    public static string LanguageOf(Person? person, ChatRequest request)
    {
        if (person is not null)
        {
            return person.PrefersJapanese ? "ja" : "en";
        }
        if (ContainsJapanese(request.Text))
        {
            return "ja";
        }
        return request.Locale is { } locale && locale.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? "ja" : "en";
    }

    private static bool ContainsJapanese(string? text) =>
        text is not null && text.Any(c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\uFF66' and <= '\uFF9F');

    private static ChatReply Help(ChatTexts t, string? problem = null)
    {
        var text = new StringBuilder();
        if (problem is not null)
        {
            text.Append(problem).Append("\n\n");
        }
        text.Append(t.HelpTitle);
        foreach (var (command, description) in t.Commands)
        {
            text.Append("\n• ").Append(command).Append(" — ").Append(description);
        }
        return new ChatReply
        {
            Text = text.ToString(),
            Figures = new FiguresCardModel
            {
                Title = t.HelpTitle,
                Callout = problem,
                Sections = [new(t.HelpSection, t.Commands.Select(c => new FigureRow(c.Command, c.Description)).ToList())],
                Language = t.Language,
            },
            Private = true,
        };
    }

    private async Task<ChatReply> MyQueueAsync(Person? person, ChatTexts t, CancellationToken ct)
    {
        if (person is null)
        {
            return new ChatReply { Text = t.QueueEmpty, Private = true };
        }
        // The person's batons, from the one query the API and the homes use too.
        var batons = await batonQueue.ForAsync(person, MaxCards, ct);
        if (batons.Total == 0)
        {
            return new ChatReply { Text = t.QueueEmpty, Private = true, Batons = batons };
        }
        var openTotal = batons.OverdueTotal + batons.OffersTotal;
        var open = batons.Overdue.Concat(batons.Offers).OrderBy(b => b.Handoff.DeadlineAt).Take(MaxCards).Select(b => b.Handoff).ToList();
        var models = await BuildCardsAsync(open, person, t, ct);
        var text = new StringBuilder(openTotal == 0 ? t.QueueEmpty : t.QueueTitle(openTotal));
        foreach (var m in models)
        {
            text.Append("\n• ").Append(Line(m, t));
        }
        if (openTotal > models.Count)
        {
            text.Append('\n').Append(t.AndMore(openTotal - models.Count));
        }
        if (batons.AwaitingFirstTouchTotal > 0)
        {
            text.Append("\n\n").Append(t.AwaitingFirstTouchTitle(batons.AwaitingFirstTouchTotal));
            foreach (var b in batons.AwaitingFirstTouch)
            {
                text.Append("\n• ").Append(HandoffCardFactory.KindLabel(b.Handoff.Kind)).Append(" · ").Append(b.Lead.Company).Append(" — ").Append(b.Lead.Name);
            }
            if (batons.AwaitingFirstTouchTotal > batons.AwaitingFirstTouch.Count)
            {
                text.Append('\n').Append(t.AndMore(batons.AwaitingFirstTouchTotal - batons.AwaitingFirstTouch.Count));
            }
        }
        return new ChatReply { Text = text.ToString(), Handoffs = models, Private = true, Batons = batons };
    }

    private async Task<ChatReply> OverdueAsync(Person? person, ChatTexts t, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Handoffs.AsNoTracking().Where(h => h.State == HandoffState.Offered && h.DeadlineAt < now);
        // Sales operations (admins) watch every department.
        var everything = person is null || directory.IsAdmin(person);
        Department? department = everything ? null : person!.Department;
        if (!everything)
        {
            // Marketing receives no handoffs: it watches the ones it sent.
            var kind = IncomingKind(person!.Department) ?? OutgoingKind(person.Department);
            query = kind is { } k ? query.Where(h => h.Kind == k) : query.Where(h => false);
        }
        var total = await query.CountAsync(ct);
        if (total == 0)
        {
            return new ChatReply { Text = t.OverdueNone };
        }
        var handoffs = await query.OrderBy(h => h.DeadlineAt).Take(MaxListed).ToListAsync(ct);
        var models = await BuildCardsAsync(handoffs, person, t, ct);
        var title = t.OverdueTitle(department, total);
        var rows = models.Select(m => new FigureRow($"{m.KindLabel} · {m.Company}", $"{m.Assignee?.Name ?? t.Queue} · {m.TimeLeft}")).ToList();
        if (total > models.Count)
        {
            rows.Add(new FigureRow(t.AndMore(total - models.Count), ""));
        }
        var figures = new FiguresCardModel { Title = title, Sections = [new(title, rows)], Language = t.Language };
        return new ChatReply { Text = FiguresAnswers.ToText(figures), Figures = figures };
    }

    /// <summary><c>contact …</c>: one lead (by email, or a company name that names only one), logged with the handoff's rights.</summary>
    private async Task<ChatReply> ContactAsync(ChatCommand.Contact command, Person person, ChatTexts t, CancellationToken ct)
    {
        var leads = await FindLeadsAsync(command.Query.Trim(), ct);
        if (leads.Count == 0)
        {
            return new ChatReply { Text = t.ContactNoLead(command.Query), Private = true };
        }
        if (leads.Count > 1)
        {
            return new ChatReply { Text = t.ContactAmbiguous(command.Query, leads.Select(l => $"{l.Company} — {l.Name} <{l.Email}>")), Private = true };
        }
        var lead = leads[0];
        var result = await activities.RecordAsync(new ActivityRequest(lead.Id, person.Id, command.Kind, command.Outcome,
            Actor.Person(person.Id, person.Name), Note: command.Note, CheckRights: true), ct);
        var text = result.Status switch
        {
            ActivityStatus.Created => t.ContactLogged(command.Kind, command.Outcome, lead.Company, lead.Name,
                result.Clock is { FirstTouchBusinessHours: { } hours } clock && clock.FirstTouchAt == result.Activity!.At ? hours : null),
            ActivityStatus.NotYours => t.ContactNotYours(lead.Company),
            ActivityStatus.Invalid when result.Field == "outcome" => t.ContactInconsistent(command.Kind, command.Outcome),
            ActivityStatus.Invalid => result.Detail!,
            ActivityStatus.LeadNotFound => t.ContactNoLead(command.Query),
            _ => t.ContactFailed,
        };
        if (result.Status != ActivityStatus.Created)
        {
            logger.LogInformation("Contact for lead {LeadId} by {PersonId} not logged: {Status}", lead.Id, person.Id, result.Status);
        }
        return new ChatReply { Text = text, Private = true };
    }

    /// <summary>Leads by exact email, else by company name or domain (newest first), as <c>lead …</c> finds them.</summary>
    private async Task<List<Lead>> FindLeadsAsync(string q, CancellationToken ct)
    {
        if (q.Contains('@'))
        {
            var email = q.ToLowerInvariant();
            return await db.Leads.AsNoTracking().Where(l => l.Email != null && l.Email.ToLower() == email)
                .OrderByDescending(l => l.UpdatedAt).Take(MaxLeads).ToListAsync(ct);
        }
        var domain = q.ToLowerInvariant();
        var matching = db.Leads.AsNoTracking()
            .Where(TextSearch.AnyContains<Lead>(db, q, l => l.Company).Or(l => l.Domain == domain));
        // An exact company name wins over the names that merely contain it.
        var found = await matching.OrderByDescending(l => l.UpdatedAt).Take(MaxLeads).ToListAsync(ct);
        var exact = found.Where(l => string.Equals(l.Company, q, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : found;
    }

    private async Task<ChatReply> LeadAsync(string query, Person? reader, ChatTexts t, CancellationToken ct)
    {
        var q = query.Trim();
        List<Lead> leads;
        if (q.Contains('@'))
        {
            var email = q.ToLowerInvariant();
            leads = await db.Leads.AsNoTracking().Where(l => l.Email != null && l.Email.ToLower() == email)
                .OrderByDescending(l => l.UpdatedAt).Take(MaxLeads).ToListAsync(ct);
        }
        else
        {
            var domain = q.ToLowerInvariant();
            var matching = db.Leads.AsNoTracking()
                .Where(TextSearch.AnyContains<Lead>(db, q, l => l.Company).Or(l => l.Domain == domain));
            leads = await matching
                .OrderByDescending(l => l.UpdatedAt).Take(MaxLeads).ToListAsync(ct);
        }
        if (leads.Count == 0)
        {
            return new ChatReply { Text = t.LeadNotFound(q), Private = true };
        }

        var ownerIds = leads.Select(l => l.OwnerId).OfType<Guid>().Distinct().ToList();
        var owners = await db.People.AsNoTracking().Where(p => ownerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        var zone = ReaderTimeZone.For(reader, calendar);
        var sections = new List<FigureSection>();
        foreach (var lead in leads)
        {
            var leadId = lead.Id;
            var events = await db.Events.AsNoTracking().Where(e => e.LeadId == leadId)
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(leads.Count == 1 ? 5 : 3).ToListAsync(ct);
            var rows = new List<FigureRow>
            {
                new(t.Stage, t.StageName(lead.Stage)),
                new(t.DepartmentLabel, t.DepartmentName(lead.Department)),
                new(t.Owner, lead.OwnerId is { } o && owners.TryGetValue(o, out var name) ? name : t.Nobody),
                new(t.Score, $"{lead.Score} · {Cards.CardTexts.For(t.Language).TemperatureLabel(lead.Temperature.ToString())}"),
            };
            if (!string.IsNullOrWhiteSpace(lead.Email))
            {
                rows.Add(new(t.Email, lead.Email));
            }
            foreach (var e in events)
            {
                var at = TimeZoneInfo.ConvertTimeFromUtc(e.At, zone);
                var reason = RoutingEventData.ReasonIn(e.Data, t.Language) ?? e.Reason;
                var detail = string.IsNullOrWhiteSpace(reason) ? $"{t.EventName(e.Type)} · {e.Actor}" : $"{t.EventName(e.Type)} · {e.Actor} · {reason}";
                rows.Add(new($"{at:yyyy-MM-dd HH:mm}", detail));
            }
            sections.Add(new($"{lead.Company} — {lead.Name}", rows));
        }
        var figures = new FiguresCardModel { Title = t.LeadTitle(q), Sections = sections, Language = t.Language };
        return new ChatReply { Text = FiguresAnswers.ToText(figures), Figures = figures };
    }

    private async Task<ChatReply> LinkAsync(ChatCommand.Link link, Person? person, ChatRequest request, ChatTexts t, CancellationToken ct)
    {
        if (request.IsPersonal)
        {
            return new ChatReply { Text = t.LinkNeedsChannel, Private = true };
        }
        if (person is null)
        {
            logger.LogInformation("link {Target} by {Channel} user {UserId} refused: not in the directory", link.Department?.ToString() ?? "digest", request.Platform.Key(), request.UserId);
            return new ChatReply { Text = t.NotInDirectory(await directory.AdminNamesAsync(ct), request.Platform, PlatformId(request), options.Value.AllowJoin), Private = true };
        }
        if (!directory.MayLink(person, link.Department))
        {
            logger.LogInformation("link {Target} by {Channel} user {UserId} ({PersonId}) refused: not an admin or its manager",
                link.Department?.ToString() ?? "digest", request.Platform.Key(), request.UserId, person.Id);
            return new ChatReply { Text = t.LinkNotAllowed(link.Department), Private = true };
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (link.Department is not { } department)
        {
            var key = DigestChannels.Key(request.Platform);
            var json = JsonSerializer.Serialize(new DigestChannel(request.ConversationId, request.UserId, now), JsonSerializerOptions.Web);
            var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == key, ct);
            if (setting is null)
            {
                db.Settings.Add(new Setting { Key = key, Json = json, UpdatedAt = now });
            }
            else
            {
                setting.Json = json;
                setting.UpdatedAt = now;
                setting.Version++;
            }
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Digest channel for {Channel} linked to {ConversationId} by {UserId}", request.Platform.Key(), request.ConversationId, request.UserId);
            return new ChatReply { Text = t.LinkedDigest };
        }

        var row = await db.Departments.FirstOrDefaultAsync(d => d.Code == department, ct);
        if (row is null)
        {
            row = new DepartmentChannel { Code = department, DisplayName = DepartmentChannel.DefaultName(department) };
            db.Departments.Add(row);
        }
        if (request.Platform == ChatPlatform.Teams)
        {
            row.TeamsConversationId = request.ConversationId;
        }
        else
        {
            row.SlackChannelId = request.ConversationId;
        }
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        logger.LogInformation("{Department} baton channel on {Channel} linked to {ConversationId} by {UserId}", department, request.Platform.Key(), request.ConversationId, request.UserId);
        return new ChatReply { Text = t.LinkedDepartment(department) };
    }

    /// <summary>
    /// <c>join &lt;dept&gt;</c>: when <c>Chat:AllowJoin</c> is on, a request the department's managers get as a card to
    /// approve or decline. Nobody is added or moved here.
    /// </summary>
    private async Task<ChatReply> JoinAsync(Department department, ChatRequest request, ChatTexts t, CancellationToken ct)
    {
        if (!options.Value.AllowJoin)
        {
            logger.LogInformation("join refused for {Channel} user {UserId}: Chat:AllowJoin is false", request.Platform.Key(), request.UserId);
            return new ChatReply { Text = t.JoinDisabled(await directory.AdminNamesAsync(ct), request.Platform, PlatformId(request)), Private = true };
        }
        var user = new ChatUser(request.Platform, request.UserId, request.UserAadObjectId, request.UserName, request.UserEmail, request.Locale);
        var filing = await directory.FileJoinRequestAsync(user, department, ct);
        switch (filing.Status)
        {
            case JoinFilingStatus.AlreadyInDirectory:
                logger.LogInformation("join {Department} by {Channel} user {UserId} refused: already in the directory as {PersonId}", department, request.Platform.Key(), request.UserId, filing.Person!.Id);
                return new ChatReply { Text = t.AlreadyInDirectory(filing.Person.Department), Private = true };
            case JoinFilingStatus.EmailTaken:
                logger.LogInformation("join {Department} by {Channel} user {UserId} refused: the email is {PersonId}'s", department, request.Platform.Key(), request.UserId, filing.Person!.Id);
                return new ChatReply { Text = t.IdentityTaken, Private = true };
            case JoinFilingStatus.AlreadyRequested:
                return new ChatReply { Text = t.JoinAlreadyRequested(filing.Request!.Code), Private = true };
        }
        var joinRequest = filing.Request!;
        var managers = await directory.ManagersOfAsync(department, ct);
        var told = 0;
        foreach (var notifier in notifiers)
        {
            told += await notifier.NotifyAsync(joinRequest, managers, ct);
        }
        await db.SaveChangesAsync(ct);
        return new ChatReply { Text = t.JoinRequested(department, joinRequest.Code, told), Private = true };
    }

    /// <summary><c>approve &lt;code&gt;</c> / <c>decline &lt;code&gt;</c>: the chat twin of the card's buttons.</summary>
    private async Task<ChatReply> DecideJoinAsync(ChatCommand.DecideJoin command, Person? person, ChatRequest request, ChatTexts t, CancellationToken ct)
    {
        if (person is null)
        {
            logger.LogInformation("{Verb} {Code} by {Channel} user {UserId} refused: not in the directory", command.Approve ? "approve" : "decline", command.Code, request.Platform.Key(), request.UserId);
            return new ChatReply { Text = t.NotInDirectory(await directory.AdminNamesAsync(ct), request.Platform, PlatformId(request), options.Value.AllowJoin), Private = true };
        }
        var joinRequest = await directory.FindJoinRequestAsync(command.Code, ct);
        var decision = joinRequest is null
            ? new JoinDecision(JoinDecisionStatus.NotFound, null, null)
            : await directory.DecideJoinRequestAsync(joinRequest.Id, person, command.Approve, ct);
        return new ChatReply { Text = JoinRequestCardFactory.Outcome(decision, command.Code, person), Private = true };
    }

    private async Task<ChatReply> FunnelAsync(string? periodText, ChatTexts t, CancellationToken ct)
    {
        if (!periods.TryParse(periodText, null, null, out var period, out var error))
        {
            return new ChatReply { Text = t.BadPeriod(error), Private = true };
        }
        return Figures(FiguresAnswers.Funnel(await kpis.FunnelAsync(period, ct), t));
    }

    private async Task<ChatReply> KpiAsync(ChatCommand.Kpi command, ChatTexts t, CancellationToken ct)
    {
        if (!periods.TryParse(command.Period, null, null, out var period, out var error))
        {
            return new ChatReply { Text = t.BadPeriod(error), Private = true };
        }
        return Figures(FiguresAnswers.Kpis(await kpis.KpisAsync(period, command.Department, ct), t, command.Department));
    }

    private async Task<ChatReply> PlanAsync(decimal amount, bool recurring, ChatTexts t, CancellationToken ct) =>
        Figures(FiguresAnswers.Plan(await kpis.PlanAsync(amount, null, recurring, ct), t));

    /// <summary>The last complete week's digest, as the channel post shows it, in the reader's language.</summary>
    private async Task<ChatReply> DigestAsync(Person? reader, ChatTexts t, CancellationToken ct)
    {
        var digest = await digests.BuildAsync(digests.LastCompleteWeek(time.GetUtcNow().UtcDateTime), ct);
        var figures = DigestAnswers.Figures(digest, t, zone: ReaderTimeZone.For(reader, calendar));
        return new ChatReply { Text = DigestAnswers.Text(figures), Figures = figures };
    }

    private static ChatReply Figures(FiguresCardModel model) => new() { Text = FiguresAnswers.ToText(model), Figures = model };

    private async Task<IReadOnlyList<HandoffCardModel>> BuildCardsAsync(List<Handoff> handoffs, Person? reader, ChatTexts t, CancellationToken ct)
    {
        var leadIds = handoffs.Select(h => h.LeadId).Distinct().ToList();
        var leads = await db.Leads.AsNoTracking().Where(l => leadIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var peopleIds = handoffs.SelectMany(h => new[] { h.AssigneeId, h.DecidedById }).OfType<Guid>().Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => peopleIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return handoffs.Where(h => leads.ContainsKey(h.LeadId)).Select(h => cards.Build(h, leads[h.LeadId], people, reader, language: t.Language)).ToList();
    }

    private static string Line(HandoffCardModel m, ChatTexts t) =>
        $"{m.KindLabel} · {m.Company} — {m.ContactName} ({m.TimeLeft}){(m.Assignee is null ? $" [{t.Queue}]" : "")}";

    private static HandoffKind? IncomingKind(Department department) =>
        Enum.GetValues<HandoffKind>().Where(k => k.To() == department).Select(k => (HandoffKind?)k).FirstOrDefault();

    private static HandoffKind? OutgoingKind(Department department) =>
        Enum.GetValues<HandoffKind>().Where(k => k.From() == department).Select(k => (HandoffKind?)k).FirstOrDefault();
}
