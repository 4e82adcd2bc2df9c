using System.Text.Json.Nodes;

namespace TheModel.Tests.Cards;

internal static class JsonWalk
{
    /// <summary>Every object in the tree, depth first.</summary>
    public static IEnumerable<JsonObject> Objects(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                {
                    foreach (var d in Objects(child))
                    {
                        yield return d;
                    }
                }
                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    foreach (var d in Objects(child))
                    {
                        yield return d;
                    }
                }
                break;
        }
    }

    public static IEnumerable<JsonObject> OfType(JsonNode? node, string type) =>
        Objects(node).Where(o => (o["type"] as JsonValue)?.GetValueKind() == System.Text.Json.JsonValueKind.String && (string?)o["type"] == type);

    /// <summary>Every string value in the tree.</summary>
    public static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
