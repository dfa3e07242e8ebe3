using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ScoreFeed.Contract;

namespace ScoreFeed.ApiDocs;

/// <summary>
/// Makes the generated schemas say what the contract types mean on the wire, beyond what their C# types show:
/// the fixed values of string fields (<see cref="WireEnumerations"/>), which properties every answer carries, and
/// plain integers where the web defaults would also allow numbers written as strings.
/// </summary>
internal static class ContractSchemas
{
    private const JsonSchemaType IntegerOrString = JsonSchemaType.Integer | JsonSchemaType.String;

    /// <summary>Route and query parameters that take a match or competition id, and the read API's status filter.</summary>
    private static readonly string[] IdParameters = ["id", "competition"];

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // Numbers are numbers on the wire (the contract never writes them as strings).
        if (schema.Type is { } type && (type & IntegerOrString) == IntegerOrString)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        // A route or query parameter's own schema (a body's schemas carry its parameter description too).
        if (context.ParameterDescription is { } parameter && (parameter.Source == BindingSource.Path || parameter.Source == BindingSource.Query))
        {
            if (IdParameters.Contains(parameter.Name))
            {
                schema.Pattern = Ids.Pattern;
            }
            else if (parameter.Name == "status")
            {
                schema.Enum = [.. MatchStatus.All.Select(v => (JsonNode)JsonValue.Create(v))];
            }
            return Task.CompletedTask;
        }
        var typeInfo = context.JsonTypeInfo;
        if (typeInfo.Type.Namespace != typeof(MatchState).Namespace || schema.Properties is null)
        {
            return Task.CompletedTask;
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.AttributeProvider is not System.Reflection.PropertyInfo clr ||
                !schema.Properties.TryGetValue(property.Name, out var propertySchema))
            {
                continue;
            }
            if (WireEnumerations.Of(typeInfo.Type, clr.Name) is { } values && propertySchema is OpenApiSchema target)
            {
                target.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
            // Answers always carry what is not nullable (nulls are omitted, nothing else is).
            if (!property.IsGetNullable)
            {
                schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                schema.Required.Add(property.Name);
            }
        }
        return Task.CompletedTask;
    }
}
