namespace TheModel.Api.Common;

/// <summary>Who did something, for the event log: a person, an API client, or the system itself.</summary>
public sealed record Actor(Guid? PersonId, string Name)
{
    public static readonly Actor System = new(null, "system");
    public static Actor Person(Guid id, string name) => new(id, name);
    public static Actor Client(string name) => new(null, name);
}
