using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Json.Schema;
using MessagePack;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Testing;
using YamlDotNet.RepresentationModel;

namespace ScoreFeed.UnitTests.ApiDocs;

/// <summary>
/// docs/asyncapi.yaml, written by hand, held to the code: its schemas to the contract types (the JSON names, which the
/// MessagePack keys equal; required fields; nulls; fixed values), its methods to the hub's, its topic and id patterns
/// and refusal codes to what the hub accepts and sends. A contract field added without the document fails here.
/// </summary>
public sealed class AsyncApiDocumentTests
{
    /// <summary>The contract types a client sends or receives over the hub, each a schema of the same name.</summary>
    private static readonly Type[] HubTypes = [typeof(SubscribeRequest), typeof(SubscribeResult), typeof(MatchUpdate), typeof(AudienceMessage)];

    /// <summary>Nullable in C# so that the hub can answer its absence with a clear error, and required on the wire.</summary>
    internal static readonly (Type Type, string Property)[] RequiredThoughNullable = [(typeof(SubscribeRequest), "topics")];

    private static readonly Lazy<JsonObject> Document = new(() =>
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Paths.RepoRoot, "docs", "asyncapi.yaml"));
        yaml.Load(reader);
        return (JsonObject)ToJson(yaml.Documents.Single().RootNode)!;
    });

    private static JsonObject Schemas => Document.Value["components"]!["schemas"]!.AsObject();

    [Fact]
    public void Is_an_asyncapi_3_document_whose_references_all_resolve()
    {
        var document = Document.Value;
        Assert.Equal("3.0.0", (string?)document["asyncapi"]);
        Assert.Equal(ScoresHub.Path, (string?)document["channels"]!["scores"]!["address"]);

        var references = Descendants(document).OfType<JsonObject>().Where(o => o.ContainsKey("$ref")).Select(o => (string)o["$ref"]!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference => Assert.True(Resolve(reference) is not null, $"{reference} leads nowhere"));
        foreach (var (name, operation) in document["operations"]!.AsObject())
        {
            Assert.Contains((string?)operation!["action"], new[] { "send", "receive" });
            Assert.True(operation["messages"] is JsonArray { Count: > 0 }, $"operation {name} names no message");
        }
    }

    [Fact]
    public void Is_valid_against_the_asyncapi_3_0_0_schema()
    {
        // The specification's own JSON Schema (@asyncapi/specs 6.11.1, schemas/3.0.0-without-$id.json), draft-07.
        var specification = JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ApiDocs", "asyncapi-3.0.0.schema.json")),
            new BuildOptions { Dialect = Dialect.Draft07 });
        using var document = JsonDocument.Parse(Document.Value.ToJsonString());

        var results = specification.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}")).ToList();
        Assert.True(results.IsValid, string.Join(Environment.NewLine, errors.Take(20)));
    }

    [Fact]
    public void Every_contract_type_on_the_hub_has_a_schema_with_its_json_names_required_fields_and_values()
    {
        var types = Reachable(HubTypes).ToList();
        Assert.Contains(typeof(StreamPosition), types);
        Assert.Contains(typeof(Incident), types);

        foreach (var type in types)
        {
            Assert.True(Schemas.ContainsKey(type.Name), $"docs/asyncapi.yaml has no schema {type.Name}");
            AssertSchemaOf(ScoreFeedJsonContext.Default.Options.GetTypeInfo(type), Schemas[type.Name]!.AsObject());
        }
    }

    [Fact]
    public void Methods_and_their_arguments_are_the_hubs()
    {
        var messages = Document.Value["components"]!["messages"]!;
        var subscribe = typeof(ScoresHub).GetMethod(nameof(ScoresHub.Subscribe))!;
        var unsubscribe = typeof(ScoresHub).GetMethod(nameof(ScoresHub.Unsubscribe))!;

        // What clients may call: the hub's own public methods, each an invocation in the document.
        Assert.Equal(["Renew", "Subscribe", "Unsubscribe"], typeof(ScoresHub).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => !m.IsVirtual).Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.Equal(subscribe.Name, Const(messages["subscribe"]!, "target"));
        Assert.Equal([typeof(SubscribeRequest)], subscribe.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(typeof(Task<SubscribeResult>), subscribe.ReturnType);
        Assert.Equal("#/components/schemas/SubscribeRequest", ArgumentRef(messages["subscribe"]!));
        Assert.Equal("#/components/schemas/SubscribeResult", (string?)Schemas["Completion"]!["properties"]!["result"]!["$ref"]);
        Assert.Equal(unsubscribe.Name, Const(messages["unsubscribe"]!, "target"));
        Assert.Equal([typeof(string[])], unsubscribe.GetParameters().Select(p => p.ParameterType));
        var renew = typeof(ScoresHub).GetMethod(nameof(ScoresHub.Renew))!;
        Assert.Equal(renew.Name, Const(messages["renew"]!, "target"));
        Assert.Equal([typeof(string)], renew.GetParameters().Select(p => p.ParameterType));
        Assert.Equal(typeof(Task<long>), renew.ReturnType);

        // What the hub sends: every client method, each with its contract type.
        Assert.Equal(Constants(typeof(ClientMethods)).Order(StringComparer.Ordinal), new[] { "audience", "update" });
        Assert.Equal(ClientMethods.Update, Const(messages["update"]!, "target"));
        Assert.Equal("#/components/schemas/MatchUpdate", ArgumentRef(messages["update"]!));
        Assert.Equal(ClientMethods.Audience, Const(messages["audience"]!, "target"));
        Assert.Equal("#/components/schemas/AudienceMessage", ArgumentRef(messages["audience"]!));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("competition:sim-premier")]
    [InlineData("match:sim3_6b07")]
    [InlineData("match:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("match:" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("match:")]
    [InlineData("match:bad id")]
    [InlineData("competition:a/b")]
    [InlineData("Live")]
    [InlineData("live:1")]
    [InlineData("team:a")]
    [InlineData("")]
    public void Topic_pattern_accepts_what_the_hub_parses(string topic)
    {
        var pattern = new Regex((string)Schemas["Topic"]!["pattern"]!, RegexOptions.CultureInvariant);

        Assert.Equal(Topic.TryParse(topic, out _, out _), pattern.IsMatch(topic));
    }

    [Fact]
    public void Ids_refusals_and_limits_are_the_hubs()
    {
        var positions = Schemas["SubscribeRequest"]!["properties"]!["positions"]!;

        Assert.Equal(Ids.Pattern, (string?)Schemas["Id"]!["pattern"]);
        Assert.Equal(Constants(typeof(ConnectionRefusal)).Where(c => c != ConnectionRefusal.Prefix).Order(StringComparer.Ordinal),
            Schemas["RefusalCode"]!["enum"]!.AsArray().Select(v => (string)v!).Order(StringComparer.Ordinal));
        Assert.Equal(new ScoresHubOptions().MaxPositionsPerSubscribe, (long)positions["maxProperties"]!);
        Assert.Equal("#/components/schemas/StreamPosition", (string?)positions["additionalProperties"]!["$ref"]);
    }

    private static void AssertSchemaOf(JsonTypeInfo type, JsonObject schema)
    {
        var name = type.Type.Name;
        var properties = schema["properties"]!.AsObject();
        var required = schema["required"]?.AsArray().Select(r => (string)r!).ToHashSet() ?? [];
        Assert.Equal(type.Properties.Select(p => p.Name).Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var property in type.Properties)
        {
            var clr = (PropertyInfo)property.AttributeProvider!;
            var where = $"{name}.{property.Name}";
            var propertySchema = properties[property.Name]!.AsObject();
            Assert.Equal(property.Name, clr.GetCustomAttribute<KeyAttribute>()?.StringKey);
            Assert.True(required.Contains(property.Name) == (!property.IsGetNullable || RequiredThoughNullable.Contains((type.Type, property.Name))),
                $"{where}: required in the document {required.Contains(property.Name)}, nullable in the contract {property.IsGetNullable}");
            if (!RequiredThoughNullable.Contains((type.Type, property.Name)))
            {
                Assert.True(AllowsNull(propertySchema) == property.IsGetNullable, $"{where}: null allowed {AllowsNull(propertySchema)}, nullable {property.IsGetNullable}");
            }
            // The string values (a number's values, such as tennis's bestOf 3 or 5, are the document's own).
            var values = propertySchema["enum"]?.AsArray().Where(v => v?.GetValueKind() == JsonValueKind.String).Select(v => (string)v!).ToArray() is { Length: > 0 } strings
                ? strings : null;
            var expected = WireEnumerations.Of(type.Type, clr.Name);
            Assert.True(expected is null ? values is null : values is not null && expected.SequenceEqual(values),
                $"{where}: values [{string.Join(", ", values ?? [])}], the contract's [{string.Join(", ", expected ?? [])}]");
        }
    }

    private static bool AllowsNull(JsonObject schema) =>
        schema["type"] is JsonArray types && types.Any(t => (string?)t == "null") ||
        schema["oneOf"] is JsonArray choices && choices.Any(c => (string?)c!["type"] == "null");

    /// <summary>The contract types reachable from <paramref name="roots"/> through properties, lists and dictionaries.</summary>
    private static IEnumerable<Type> Reachable(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            if (type.Namespace != typeof(MatchState).Namespace || !seen.Add(type))
            {
                continue;
            }
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
                pending.Enqueue(propertyType);
                foreach (var argument in propertyType.IsGenericType ? propertyType.GetGenericArguments() : [])
                {
                    pending.Enqueue(argument);
                }
            }
        }
        return seen;
    }

    private static string? Const(JsonNode message, string property) => (string?)message["payload"]!["properties"]![property]!["const"];

    private static string? ArgumentRef(JsonNode message) => (string?)message["payload"]!["properties"]!["arguments"]!["items"]![0]!["$ref"];

    private static string[] Constants(Type holder) =>
        [.. holder.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    private static JsonNode? Resolve(string reference)
    {
        Assert.StartsWith("#/", reference, StringComparison.Ordinal);
        JsonNode? node = Document.Value;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal), out var next) ? next : null;
        }
        return node;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }

    /// <summary>YAML as JSON: plain scalars that read as numbers, booleans or null become those; quoted ones stay strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "null" or "~" or "" => null,
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            var text => JsonValue.Create(text),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidDataException($"unexpected YAML node {node.NodeType}"),
    };
}
