using System.Text.Json;
using System.Text.Json.Serialization;

namespace TheModel.Bot;

/// <summary>
/// Reads a JSON array into <c>List&lt;T&gt;</c> / <c>IReadOnlyList&lt;T&gt;</c> leaving out <c>null</c> elements.
/// Teams and Slack never send them, but anyone can (<c>entities:[null]</c> must not be a 500): the handlers then never meet
/// a null element.
/// </summary>
public sealed class NullElementsSkipped : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && (typeToConvert.GetGenericTypeDefinition() == typeof(List<>) || typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        && !typeToConvert.GetGenericArguments()[0].IsValueType;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var element = typeToConvert.GetGenericArguments()[0];
        var converter = typeToConvert.GetGenericTypeDefinition() == typeof(List<>)
            ? typeof(ListConverter<>).MakeGenericType(element)
            : typeof(ReadOnlyListConverter<>).MakeGenericType(element);
        return (JsonConverter)Activator.CreateInstance(converter)!;
    }

    private static List<T>? ReadList<T>(ref Utf8JsonReader reader, JsonSerializerOptions options)
        where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        var items = JsonSerializer.Deserialize<List<T?>>(ref reader, options);
        return items?.Where(i => i is not null).Select(i => i!).ToList();
    }

    private sealed class ListConverter<T> : JsonConverter<List<T>>
        where T : class
    {
        public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadList<T>(ref reader, options);

        public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, options);
    }

    private sealed class ReadOnlyListConverter<T> : JsonConverter<IReadOnlyList<T>>
        where T : class
    {
        public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadList<T>(ref reader, options);

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToList(), options);
    }
}
