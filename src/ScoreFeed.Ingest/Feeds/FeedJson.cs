using System.Globalization;
using System.Text.Json;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// A vendor payload read tolerantly: the items of its list property one by one, so a truncated or malformed body
/// still yields every item complete before the break, and the other top-level properties.
/// </summary>
internal sealed record FeedDocument(IReadOnlyList<JsonElement> Items, IReadOnlyDictionary<string, JsonElement> Properties, bool HasList, FeedReject? Broken)
{
    public static FeedDocument Read(ReadOnlySpan<byte> body, string listProperty)
    {
        var items = new List<JsonElement>();
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var hasList = false;
        var start = body.TrimStart(" \t\r\n"u8);
        if (start.Length == 0 || start[0] != (byte)'{')
        {
            var reason = start.Length > 0 && start[0] == (byte)'[' ? RejectReasons.WrongShape : RejectReasons.NotJson;
            return new FeedDocument(items, properties, false, new FeedReject(reason, null, "the body is not a JSON object"));
        }
        var reader = new Utf8JsonReader(start, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        try
        {
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name == listProperty && reader.TokenType == JsonTokenType.StartArray)
                {
                    hasList = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(JsonElement.ParseValue(ref reader));
                    }
                }
                else
                {
                    properties[name] = JsonElement.ParseValue(ref reader);
                }
            }
            return new FeedDocument(items, properties, hasList, null);
        }
        catch (JsonException e)
        {
            return new FeedDocument(items, properties, hasList, new FeedReject(RejectReasons.MalformedJson, null,
                $"{e.Message} ({items.Count} complete items before it)"));
        }
    }
}

/// <summary>An item of a payload that cannot be taken; caught per item, so the rest of the payload still applies.</summary>
internal sealed class FeedItemException(string reason, string detail) : Exception(detail)
{
    public string Reason { get; } = reason;
}

/// <summary>Typed reads of vendor JSON that reject the item, naming the field, instead of guessing.</summary>
internal static class FeedJsonElement
{
    public static JsonElement Object(this JsonElement e, string name) =>
        e.Optional(name) is { } v
            ? v.ValueKind == JsonValueKind.Object ? v : throw WrongType(name, "an object", v)
            : throw Missing(name);

    public static JsonElement? OptionalObject(this JsonElement e, string name) =>
        e.Optional(name) is { } v ? v.ValueKind == JsonValueKind.Object ? v : throw WrongType(name, "an object", v) : null;

    public static IEnumerable<JsonElement>? OptionalArray(this JsonElement e, string name) =>
        e.Optional(name) is { } v ? v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw WrongType(name, "an array", v) : null;

    public static long Integer(this JsonElement e, string name) => e.OptionalInteger(name) ?? throw Missing(name);

    public static long? OptionalInteger(this JsonElement e, string name) =>
        e.Optional(name) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw WrongType(name, "an integer", v)
            : null;

    public static string String(this JsonElement e, string name) =>
        e.OptionalString(name) is { Length: > 0 } s ? s : throw Missing(name);

    public static string? OptionalString(this JsonElement e, string name) =>
        e.Optional(name) is { } v ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw WrongType(name, "a string", v) : null;

    /// <summary>The id of a vendor object, a number or a string of digits and letters, as text.</summary>
    public static string Id(this JsonElement e, string name) => e.Optional(name) switch
    {
        null => throw Missing(name),
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) && n >= 0 => n.ToString(CultureInfo.InvariantCulture),
        { ValueKind: JsonValueKind.String } v when v.GetString() is { Length: > 0 } s => s,
        { } v => throw WrongType(name, "an id", v),
    };

    /// <summary>The property, or null when it is absent or JSON null (vendors use both for "not known yet").</summary>
    public static JsonElement? Optional(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static FeedItemException Missing(string name) => new(RejectReasons.MissingField, $"'{name}' is missing");

    private static FeedItemException WrongType(string name, string expected, JsonElement v) =>
        new(RejectReasons.WrongType, $"'{name}' is {v.ValueKind}, expected {expected}");
}
