namespace TheModel.Bot.Delivery;

/// <summary>
/// People waiting on the bot right now: a Teams activity or Slack request being answered, a queued Slack click being
/// decided. Background sending (the outbox dispatcher updating other copies of a card, posting offers) yields to them,
/// for at most <see cref="OutboxOptions.YieldToChat"/> per row, so that a burst of clicks is not slowed by the card
/// updates it causes; the updates catch up in the quiet moments and after the burst.
/// </summary>
public sealed class ChatTraffic
{
    private readonly Lock gate = new();
    private int inFlight;
    private TaskCompletionSource? quiet;

    /// <summary>Counts a person's request until the returned scope is disposed.</summary>
    public Scope Enter()
    {
        lock (gate)
        {
            inFlight++;
        }
        return new Scope(this);
    }

    /// <summary>Completes when nobody is waiting (at once if nobody is).</summary>
    public Task WhenQuietAsync()
    {
        lock (gate)
        {
            return inFlight == 0 ? Task.CompletedTask : (quiet ??= new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    private void Exit()
    {
        TaskCompletionSource? done = null;
        lock (gate)
        {
            if (--inFlight == 0)
            {
                (done, quiet) = (quiet, null);
            }
        }
        done?.TrySetResult();
    }

    public readonly struct Scope(ChatTraffic traffic) : IDisposable
    {
        public void Dispose() => traffic.Exit();
    }
}

public static class ChatTrafficExtensions
{
    /// <summary>Requests to these endpoints count as people waiting (<see cref="ChatTraffic"/>).</summary>
    public static TBuilder CountsAsChatTraffic<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            using (context.HttpContext.RequestServices.GetRequiredService<ChatTraffic>().Enter())
            {
                return await next(context);
            }
        });
}
