using System.Text.Json;
using System.Text.Json.Nodes;
using TheModel.Api.People;

namespace TheModel.Bot.Teams;

/// <summary>One <c>Action.Execute</c> click: who clicked, on which handoff, with which data (inputs merged in).</summary>
public sealed record CardActionContext(Activity Activity, string Verb, Guid HandoffId, JsonElement Data, Person? Person)
{
    public bool Japanese => Person?.PrefersJapanese ?? Activity.Locale?.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ?? true;

    public string? DataString(string name) =>
        Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>Handles one card verb (a <see cref="TheModel.Cards.CardActions"/> constant); returns the invoke response body.</summary>
public interface ITeamsCardAction
{
    Task<JsonObject> HandleAsync(CardActionContext context, CancellationToken ct);
}

/// <remarks><paramref name="NamesHandoff"/>: the click carries <c>data.handoffId</c> (required, checked before the handler runs); false
/// for verbs about the invoker's own list or a setting.</remarks>
public sealed record TeamsCardActionRegistration(string Verb, Type Handler, bool NamesHandoff = true);

/// <summary>
/// Verb → handler. Built once at start-up; a verb registered twice is a wiring mistake and stops the app there,
/// not at the first click.
/// </summary>
public sealed class TeamsCardActionRegistry
{
    private readonly Dictionary<string, Type> handlers = new(StringComparer.Ordinal);
    private readonly HashSet<string> withoutHandoff = new(StringComparer.Ordinal);

    public TeamsCardActionRegistry(IEnumerable<TeamsCardActionRegistration> registrations)
    {
        foreach (var registration in registrations)
        {
            if (!handlers.TryAdd(registration.Verb, registration.Handler))
            {
                throw new InvalidOperationException(
                    $"Card verb '{registration.Verb}' has two Teams handlers: {handlers[registration.Verb].Name} and {registration.Handler.Name}");
            }
            if (!registration.NamesHandoff)
            {
                withoutHandoff.Add(registration.Verb);
            }
        }
    }

    public IReadOnlyCollection<string> Verbs => handlers.Keys;

    public bool NamesHandoff(string verb) => !withoutHandoff.Contains(verb);

    public ITeamsCardAction? Resolve(string verb, IServiceProvider services) =>
        handlers.TryGetValue(verb, out var type) ? (ITeamsCardAction)services.GetRequiredService(type) : null;
}

public static class TeamsCardActionExtensions
{
    public static IServiceCollection AddTeamsCardAction<THandler>(this IServiceCollection services, string verb, bool namesHandoff = true)
        where THandler : class, ITeamsCardAction
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new TeamsCardActionRegistration(verb, typeof(THandler), namesHandoff));
        return services;
    }
}
