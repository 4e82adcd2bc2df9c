using TheModel.Api.Conversations;

namespace TheModel.Bot.Slack;

public enum SlackInteractionKind
{
    /// <summary><c>block_actions</c>, keyed by the button's <c>action_id</c>.</summary>
    BlockAction,
    /// <summary><c>view_submission</c>, keyed by the modal's <c>callback_id</c>.</summary>
    ViewSubmission,
}

/// <summary>One handler for one action id / callback id (the ids are <see cref="Cards.CardActions"/> constants).</summary>
public sealed record SlackInteractionRoute(string Id, SlackInteractionKind Kind, Type Handler);

/// <summary>What the interactivity request answers now, and whether the slow part is queued for the worker.</summary>
public sealed record SlackAck(IResult Response, bool Queue)
{
    /// <summary>An empty 200: Slack shows nothing, a modal closes.</summary>
    public static SlackAck Done => new(TypedResults.Ok(), false);
    public static SlackAck Queued => new(TypedResults.Ok(), true);
}

/// <summary>
/// Handles one kind of click or modal submission in two parts: <see cref="AcknowledgeAsync"/> inside Slack's
/// 3-second request (validation, <c>views.open</c>), <see cref="RunAsync"/> from the durable queue afterwards.
/// </summary>
public interface ISlackInteractionHandler
{
    Task<SlackAck> AcknowledgeAsync(SlackInteraction payload, SlackAction? action, CancellationToken ct);

    Task RunAsync(SlackInteraction payload, SlackAction? action, InboundWork work, CancellationToken ct);
}

/// <summary>Routes interactions by id; two handlers for one id is a start-up error, not a coin toss.</summary>
public sealed class SlackInteractionRegistry
{
    private readonly Dictionary<(SlackInteractionKind, string), SlackInteractionRoute> routes = [];

    public SlackInteractionRegistry(IEnumerable<SlackInteractionRoute> routes)
    {
        foreach (var route in routes)
        {
            if (!this.routes.TryAdd((route.Kind, route.Id), route))
            {
                throw new InvalidOperationException(
                    $"Two Slack handlers for {route.Kind} '{route.Id}': {this.routes[(route.Kind, route.Id)].Handler.Name} and {route.Handler.Name}.");
            }
        }
    }

    public IReadOnlyCollection<SlackInteractionRoute> Routes => routes.Values;

    public SlackInteractionRoute? Find(SlackInteractionKind kind, string? id) =>
        id is not null && routes.TryGetValue((kind, id), out var route) ? route : null;

    /// <summary>The route for a payload: its first action with a handler, or its view's callback id.</summary>
    public (SlackInteractionRoute? Route, SlackAction? Action) Match(SlackInteraction payload)
    {
        switch (payload.Type)
        {
            case "block_actions":
                foreach (var action in payload.Actions ?? [])
                {
                    if (Find(SlackInteractionKind.BlockAction, action.ActionId) is { } route)
                    {
                        return (route, action);
                    }
                }
                return (null, null);
            case "view_submission":
                return (Find(SlackInteractionKind.ViewSubmission, payload.View?.CallbackId), null);
            default:
                return (null, null);
        }
    }
}

public static class SlackInteractionRegistration
{
    public static IServiceCollection AddSlackInteraction<THandler>(this IServiceCollection services, string id, SlackInteractionKind kind)
        where THandler : class, ISlackInteractionHandler
    {
        services.AddSingleton(new SlackInteractionRoute(id, kind, typeof(THandler)));
        services.AddScoped<THandler>();
        return services;
    }
}
