using System.Reflection;
using System.Text.RegularExpressions;
using ScoreFeed.Contract;
using ScoreFeed.Testing;

namespace ScoreFeed.UnitTests.ApiDocs;

/// <summary>
/// The TypeScript contract of the <c>@scorefeed/client</c> package (packages/client/src/contract.ts) against the C#
/// contract types: each hub type is an interface with exactly the JSON names, optional where the C# property is
/// nullable, and where it spells out a field's values (a union of string literals), exactly the contract's values.
/// </summary>
public sealed partial class ClientContractTests
{
    private static readonly Type[] HubTypes =
    [
        typeof(SubscribeRequest), typeof(StreamPosition), typeof(SubscribeResult), typeof(TopicRejection), typeof(MatchUpdate),
        typeof(MatchState), typeof(TeamScore), typeof(MatchClock), typeof(Incident), typeof(AudienceMessage),
        typeof(ScorePair), typeof(LineScore), typeof(TennisScore), typeof(SetScore),
    ];

    private static readonly (Type Type, string Property)[] RequiredThoughNullable = AsyncApiDocumentTests.RequiredThoughNullable;

    private static readonly Lazy<string> Source = new(() => File.ReadAllText(
        Path.Combine(Paths.RepoRoot, "src", "ScoreFeed.Web", "ClientApp", "packages", "client", "src", "contract.ts")));

    public static TheoryData<string> TypeNames => [.. HubTypes.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(TypeNames))]
    public void Interface_has_the_contract_types_fields_optionality_and_values(string name)
    {
        var type = HubTypes.Single(t => t.Name == name);
        var json = ScoreFeedJsonContext.Default.Options.GetTypeInfo(type);
        var fields = Fields(name);

        Assert.Equal(json.Properties.Select(p => p.Name).Order(StringComparer.Ordinal), fields.Keys.Order(StringComparer.Ordinal));
        foreach (var property in json.Properties)
        {
            var (optional, tsType) = fields[property.Name];
            var where = $"{name}.{property.Name}";
            Assert.True(optional == (property.IsGetNullable && !RequiredThoughNullable.Contains((type, property.Name))),
                $"{where}: optional in TypeScript {optional}, nullable in C# {property.IsGetNullable}");
            var literals = Literals(tsType);
            var values = WireEnumerations.Of(type, ((PropertyInfo)property.AttributeProvider!).Name);
            if (literals.Length > 0)
            {
                Assert.True(values is not null && values.Order(StringComparer.Ordinal).SequenceEqual(literals.Order(StringComparer.Ordinal)),
                    $"{where}: TypeScript [{string.Join(", ", literals)}], the contract's [{string.Join(", ", values ?? [])}]");
            }
        }
    }

    /// <summary>The fields of <c>export interface {name} { … }</c>: name → (optional, type text).</summary>
    private static Dictionary<string, (bool Optional, string Type)> Fields(string name)
    {
        var body = Regex.Match(Source.Value, $@"export interface {name} \{{(?<body>[^}}]*)\}}");
        Assert.True(body.Success, $"contract.ts has no interface {name}");
        return FieldLine().Matches(body.Groups["body"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => (m.Groups["optional"].Success, m.Groups["type"].Value.Trim()));
    }

    /// <summary>The string literals a type allows, following a type alias once (<c>Sport</c>, <c>MatchStatus</c>); none for <c>string</c>.</summary>
    private static string[] Literals(string tsType)
    {
        var alias = Regex.Match(Source.Value, $@"export type {Regex.Escape(tsType)} = (?<union>[^;]+);");
        var union = alias.Success ? alias.Groups["union"].Value : tsType;
        return [.. StringLiteral().Matches(union).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\s*(?<name>\w+)(?<optional>\?)?:\s*(?<type>[^;]+);", RegexOptions.Multiline)]
    private static partial Regex FieldLine();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex StringLiteral();
}
