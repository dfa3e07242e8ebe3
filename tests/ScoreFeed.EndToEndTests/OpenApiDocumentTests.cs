using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>
/// The OpenAPI documents the hub (read API) and ingest (operator API) processes serve at /openapi/v1.json, in
/// Production: valid OpenAPI 3.1, exactly the operations and answers <see cref="ApiOperations"/> lists, and schemas
/// that carry the contract types' JSON names, required fields and fixed values.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OpenApiDocumentTests(ScoreFeedCluster cluster) : IDisposable
{
    /// <summary>Schemas the generator adds for answers that are not contract types.</summary>
    private static readonly string[] FrameworkSchemas = ["ProblemDetails", "HttpValidationProblemDetails", "JsonElement"];

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Hub_serves_a_valid_document_with_every_read_api_operation_and_answer()
    {
        var document = await ReadAsync(cluster.HubA);

        AssertOperations(document, ApiOperations.Read);
        Assert.All(Operations(document), o => Assert.Null(o.Operation.Security));
        var list = Operations(document).Single(o => o.Key == "GET /api/v1/matches").Operation;
        var status = list.Parameters!.Single(p => p.Name == "status").Schema!;
        Assert.Equal(MatchStatus.All, status.Enum!.Select(v => v.GetValue<string>()));
        Assert.Equal(Ids.Pattern, list.Parameters!.Single(p => p.Name == "competition").Schema!.Pattern);
        Assert.Equal(Ids.Pattern, Operations(document).Single(o => o.Key == "GET /api/v1/matches/{id}").Operation.Parameters!.Single().Schema!.Pattern);
    }

    [Fact]
    public async Task Ingest_serves_a_valid_document_with_every_operator_api_operation_answer_and_token()
    {
        var document = await ReadAsync(cluster.Ingest);

        AssertOperations(document, ApiOperations.Operator);
        var bearer = Assert.IsType<OpenApiSecurityScheme>(document.Components!.SecuritySchemes!["bearer"]);
        Assert.Equal(SecuritySchemeType.Http, bearer.Type);
        Assert.Equal("bearer", bearer.Scheme);
        foreach (var (key, operation) in Operations(document))
        {
            var needsToken = ApiOperations.NeedsToken(ApiOperations.Operator.Single(o => o.Key == key));
            Assert.True(needsToken == operation.Security is { Count: 1 }, $"{key}: needs a token {needsToken}, says so {operation.Security is not null}");
        }
        var correction = Operations(document).Single(o => o.Key == "POST /api/v1/matches/{id}/corrections").Operation;
        Assert.Equal("#/components/schemas/CorrectionRequest", ((OpenApiSchemaReference)correction.RequestBody!.Content!["application/json"].Schema!).Reference.ReferenceV3);
        // A stale expectedSeq: the problem with the match as it is now, described as the type it is sent from.
        Assert.Equal("#/components/schemas/ConflictProblem",
            ((OpenApiSchemaReference)correction.Responses!["409"].Content!["application/problem+json"].Schema!).Reference.ReferenceV3);
    }

    [Fact]
    public async Task Schemas_carry_the_contract_types_json_names_required_fields_and_values()
    {
        var compared = new List<string>();
        foreach (var app in new[] { cluster.HubA, cluster.Ingest })
        {
            var document = await ReadAsync(app);
            foreach (var (name, schema) in document.Components!.Schemas!)
            {
                if (FrameworkSchemas.Contains(name))
                {
                    continue;
                }
                var type = typeof(MatchState).Assembly.GetType($"{typeof(MatchState).Namespace}.{name}");
                Assert.True(type is not null, $"schema {name} is no contract type");
                AssertSchemaOf(ScoreFeedJsonContext.Default.Options.GetTypeInfo(type), (OpenApiSchema)schema, compared);
            }
        }

        // What the contract's answers and bodies are made of, each seen in at least one document (inline or as a component).
        Assert.Superset(new HashSet<string>(
            ["MatchList", "MatchState", "TeamScore", "MatchClock", "Incident", "OperatorMatch", "Pin", "AuditLog", "AuditEntry",
             "TokenRequest", "TokenResponse", "CorrectionRequest", "ClockCorrection", "IncidentCorrection", "UndoRequest", "ConflictProblem"]),
            compared.ToHashSet());
    }

    [Fact]
    public async Task Describing_a_body_leaves_other_content_types_to_the_handler_which_names_the_field()
    {
        // The document says each body is JSON without making routing answer 415 (as Accepts<T> would): the handler's 400.
        using var response = await _http.PostAsync(new Uri(cluster.Ingest.BaseAddress, "/api/v1/auth/token"),
            new StringContent("alice", System.Text.Encoding.UTF8, "text/plain")).Within();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"body\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertSchemaOf(JsonTypeInfo type, OpenApiSchema schema, List<string>? compared = null)
    {
        var name = type.Type.Name;
        compared?.Add(name);
        Assert.Equal(type.Properties.Select(p => p.Name).Order(StringComparer.Ordinal), schema.Properties!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(type.Properties.Where(p => !p.IsGetNullable).Select(p => p.Name).Order(StringComparer.Ordinal),
            (schema.Required ?? new HashSet<string>()).Order(StringComparer.Ordinal));
        foreach (var property in type.Properties)
        {
            var clrName = ((PropertyInfo)property.AttributeProvider!).Name;
            var values = schema.Properties[property.Name].Enum?.Select(v => v!.GetValue<string>()).ToArray();
            var expected = WireEnumerations.Of(type.Type, clrName);
            Assert.True(expected is null ? values is null : values is not null && expected.SequenceEqual(values),
                $"{name}.{property.Name}: values {Describe(values)}, the contract's {Describe(expected)}");
            // A contract type written inline (a body's parts) is held to its type as a component is.
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (schema.Properties[property.Name] is OpenApiSchema { Properties: not null } inline && propertyType.Namespace == typeof(MatchState).Namespace)
            {
                AssertSchemaOf(ScoreFeedJsonContext.Default.Options.GetTypeInfo(propertyType), inline, compared);
            }
        }
    }

    private static string Describe(IEnumerable<string>? values) => values is null ? "(any)" : string.Join(", ", values);

    private async Task<OpenApiDocument> ReadAsync(AppProcess app)
    {
        using var response = await _http.GetAsync(new Uri(app.BaseAddress, "/openapi/v1.json")).Within();
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var (document, diagnostic) = OpenApiDocument.Parse(await response.Content.ReadAsStringAsync(), "json");

        Assert.NotNull(document);
        Assert.Empty(diagnostic!.Errors.Select(e => e.ToString()));
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic.SpecificationVersion);
        Assert.Empty(document.Validate(ValidationRuleSet.GetDefaultRuleSet())!.Select(e => e.ToString()));
        return document;
    }

    private static void AssertOperations(OpenApiDocument document, IReadOnlyList<ApiOperations.Operation> expected)
    {
        Assert.Equal(expected.Select(o => o.Key).Order(StringComparer.Ordinal), Operations(document).Select(o => o.Key).Order(StringComparer.Ordinal));
        foreach (var (key, operation) in Operations(document))
        {
            var codes = expected.Single(o => o.Key == key).Codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(codes.Order(StringComparer.Ordinal), operation.Responses!.Keys.Order(StringComparer.Ordinal));
            foreach (var (code, response) in operation.Responses)
            {
                // Success is the contract's JSON; every error is problem+json (a 400 names the field in errors).
                var media = code == "200" ? "application/json" : "application/problem+json";
                Assert.True(response.Content?.ContainsKey(media) == true, $"{key} {code}: no {media} body");
                Assert.NotNull(response.Content![media].Schema);
                if (code == "400")
                {
                    Assert.Equal("#/components/schemas/HttpValidationProblemDetails",
                        ((OpenApiSchemaReference)response.Content[media].Schema!).Reference.ReferenceV3);
                }
            }
        }
    }

    private static IEnumerable<(string Key, OpenApiOperation Operation)> Operations(OpenApiDocument document) =>
        document.Paths.SelectMany(path => path.Value.Operations!.Select(o => ($"{o.Key.Method} {path.Key}", o.Value)));

    public void Dispose() => _http.Dispose();
}
