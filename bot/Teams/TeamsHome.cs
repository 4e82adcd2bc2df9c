using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Common;
using TheModel.Api.Conversations;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Api.Store;
using TheModel.Api.Telemetry;
using TheModel.Bot.Chat;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Bot.Teams;

/// <summary>The Teams "my batons" card of a person, as it stands now (the same list as the Slack home and <c>my queue</c>).</summary>
public sealed class TeamsMyBatons(BatonsViews views)
{
    public async Task<JsonObject> CardAsync(Person person, CancellationToken ct) =>
        AdaptiveCardRenderer.MyBatons(await views.ForAsync(person, ct, AdaptiveCardRenderer.MaxBatonLines));
}

/// <summary><c>myBatons.refresh</c>: the card's automatic refresh returns the invoker's current list.</summary>
public sealed class RefreshMyBatonsCardAction(TeamsMyBatons batons) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct) =>
        context.Person is { } person ? TeamsCards.CardResponse(await batons.CardAsync(person, ct)) : HandoffCardResponses.UnknownPerson(context);
}

/// <summary>
/// <c>myBatons.accept</c> / <c>myBatons.reject</c>: decided by <see cref="HandoffService"/> exactly as on the handoff card
/// (which queues the update of every posted copy); the clicker gets their list back, or the reason it did not go through.
/// </summary>
public sealed class DecideMyBatonsCardAction(HandoffService handoffs, HandoffCardResponses responses, TeamsMyBatons batons) : ITeamsCardAction
{
    public async Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct)
    {
        if (context.Person is not { } person)
        {
            return HandoffCardResponses.UnknownPerson(context);
        }
        DecisionOutcome outcome;
        if (context.Verb == CardActions.MyBatonsReject)
        {
            var raw = context.DataString(CardFields.ReasonFor(context.HandoffId.ToString())) ?? context.DataString(CardFields.Reason);
            RejectReason? reason = raw is { Length: > 0 } && !char.IsDigit(raw[0]) && Enum.TryParse<RejectReason>(raw, ignoreCase: true, out var parsed)
                && Enum.IsDefined(parsed) ? parsed : null;
            outcome = await handoffs.RejectAsync(context.HandoffId, person.Id, reason, null, ct, DecisionPlatforms.Teams);
        }
        else
        {
            outcome = await handoffs.AcceptAsync(context.HandoffId, person.Id, ct, DecisionPlatforms.Teams);
        }
        return outcome.Status is DecisionOutcomeStatus.Done or DecisionOutcomeStatus.AlreadyDecided
            ? TeamsCards.CardResponse(await batons.CardAsync(person, ct))
            : await responses.OutcomeAsync(context, outcome, ct);
    }
}

/// <summary>
/// The welcome card when someone installs the bot for themselves: what it does, the commands, and who they are in the
/// directory (or how to get added). Sent once per personal conversation, through the outbox.
/// </summary>
public sealed class TeamsWelcome(TheModelDb db, OutboxWriter outbox, PersonDirectory directory, OutboxExpress express,
    Microsoft.Extensions.Options.IOptions<ChatOptions> options, ILogger<TeamsWelcome> logger)
{
    public async Task SendAsync(Activity activity, Person? person, CancellationToken ct)
    {
        if (!activity.IsPersonal || activity.Conversation?.Id is not { Length: > 0 } conversationId)
        {
            return;
        }
        var key = $"welcome:teams:{conversationId}";
        if (await db.Outbox.AsNoTracking().AnyAsync(m => m.DedupeKey == key, ct))
        {
            return;
        }
        var t = ChatTexts.For(ChatCommandHandler.LanguageOf(person, new ChatRequest
        {
            Platform = ChatPlatform.Teams, Text = "", UserId = activity.From?.Id ?? "", ConversationId = conversationId, Locale = activity.Locale,
        }));
        var h = HomeTexts.For(t.Language);
        var you = person is null
            ? new FigureSection(h.YouTitle, [new(h.NotYet, t.NotInDirectory(await directory.AdminNamesAsync(ct), ChatPlatform.Teams,
                activity.From?.AadObjectId ?? activity.From?.Id ?? "", options.Value.AllowJoin))])
            : new FigureSection(h.YouTitle, [new(h.Name, person.Name), new(t.DepartmentLabel, t.DepartmentName(person.Department)), new(h.Role, directory.RoleOf(person).Name())]);
        var figures = new FiguresCardModel
        {
            Title = h.WelcomeTitle,
            Callout = h.WelcomeWhat,
            Sections = [you, new(t.HelpSection, t.Commands.Select(c => new FigureRow(c.Command, c.Description)).ToList())],
            Language = t.Language,
        };
        var message = TeamsCards.Message(null, [AdaptiveCardRenderer.Figures(figures)]);
        message["summary"] = h.WelcomeTitle;
        outbox.Enqueue(OutboxChannels.Teams, conversationId, OutboxKinds.ChatReply, null, key,
            new JsonObject { ["activity"] = message }.ToJsonString(Activity.Json));
        try
        {
            await db.SaveChangesAsync(ct);
            express.Send(db.OutboxCommitted);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // installationUpdate and conversationUpdate both announce an install: one welcome.
            logger.LogInformation("Teams welcome for {Conversation} already queued", conversationId);
            db.DiscardChanges();
        }
    }
}
