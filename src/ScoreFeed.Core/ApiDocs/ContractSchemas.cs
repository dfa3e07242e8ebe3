using System.Text.Json.Nodes;
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

    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // Numbers are numbers on the wire (the contract never writes them as strings).
        if (schema.Type is { } type && (type & IntegerOrString) == IntegerOrString)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
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
