using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Apis;

/// <summary>problem+json answers and JSON bodies read so that an error names the field.</summary>
internal static class ApiProblems
{
    /// <summary>Request bodies of the operator API are small: larger ones are refused before they are read.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: $"{field}: {detail}", statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(title: "Not found", detail: detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult? InvalidId(string id) =>
        Ids.IsValid(id) ? null : Invalid("id", $"invalid match id '{Ids.Describe(id)}'; ids match {Ids.Pattern}");

    /// <summary>
    /// Reads a JSON body. Unknown fields, wrong types and malformed JSON give a 400 naming the field
    /// (e.g. <c>incident.period</c>) instead of model binding's bare 400.
    /// </summary>
    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Invalid("body", "expected a JSON body (Content-Type: application/json)"));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null ? (null, Invalid("body", "expected a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? path[2..] : "body";
            return (null, Invalid(field, "not valid here: a field this request does not take, a value of the wrong type, or malformed JSON"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Invalid("body", $"too large: at most {MaxBodyBytes} bytes"));
        }
    }
}
