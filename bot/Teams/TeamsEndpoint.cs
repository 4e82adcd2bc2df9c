namespace TheModel.Bot.Teams;

/// <summary>
/// <c>POST /api/messages</c>: behind the <see cref="BotFrameworkAuthentication"/> scheme (docs/protocols/teams.md §1), reads
/// the activity, checks the caller may send it (<see cref="TeamsAuthentication"/>), and hands it to the handler for its
/// type (<see cref="TeamsActivityDispatch"/>).
/// </summary>
public static class TeamsEndpoint
{
    public const string InvokeName = "adaptiveCard/action";

    internal const string LoggerName = "TheModel.Bot.Teams";

    public static async Task<IResult> HandleAsync(HttpContext http, TeamsOptions options,
        TeamsConversations conversations, TeamsMessageHandler messages, TeamsCardActionRegistry actions,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(LoggerName);
        var caller = await TeamsAuthentication.CallerAsync(http);
        var (activity, malformed) = await TeamsActivityReader.ReadAsync(http, options, logger, ct);
        if (malformed is not null)
        {
            return malformed;
        }
        if (TeamsAuthentication.Refusal(caller, activity!, options, http, logger) is { } refusal)
        {
            return refusal;
        }
        await http.RequestServices.GetRequiredService<Api.Store.TheModelDb>().HoldConnectionAsync(ct);
        return await new TeamsActivityDispatch(http, conversations, messages, actions, logger, ct).DispatchAsync(activity!);
    }
}
