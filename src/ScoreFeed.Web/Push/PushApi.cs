using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using ScoreFeed.Limits;
using ScoreFeed.Partners;

namespace ScoreFeed.Web.Push;

/// <summary>
/// The subscription API, on the site's own origin (docs/push.md): <c>GET /api/v1/push/key</c>,
/// <c>PUT</c> and <c>DELETE /api/v1/push/subscription</c>. JSON only, from our own pages only (a cross-site form or
/// script cannot subscribe or unsubscribe anyone), rate-limited per client address.
/// </summary>
internal static class PushApi
{
    public const string RateLimitPolicy = "push";

    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/push").RequireRateLimiting(RateLimitPolicy);
        api.MapGet("/key", (VapidIdentity identity, HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Json(new PushKeyResponse(identity.PublicKey), PushJsonContext.Default.PushKeyResponse);
        });
        api.MapPut("/subscription", PutAsync);
        api.MapDelete("/subscription", DeleteAsync);
        return app;
    }

    /// <summary>The per-address limit: a token bucket per client (IPv6 per /64, <see cref="AddressKey"/>).</summary>
    public static RateLimitPartition<string> Partition(HttpContext context, PushOptions options) =>
        RateLimitPartition.GetTokenBucketLimiter(AddressKey.Of(context.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RequestsPerMinute,
            TokensPerPeriod = options.RequestsPerMinute,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static async Task<IResult> PutAsync(HttpContext context, SubscriptionStore store, IOptions<PushOptions> options, IOptions<WebOptions> web)
    {
        var (request, problem) = await ReadAsync(context, web.Value, PushJsonContext.Default.SubscriptionRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        var (subscription, field, error) = PushValidation.Validate(request, options.Value.AllowHttpEndpoints);
        if (subscription is null)
        {
            return Invalid(field!, error!);
        }
        await store.PutAsync(subscription).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, SubscriptionStore store, IOptions<PushOptions> options, IOptions<WebOptions> web, WebMetrics metrics)
    {
        var (request, problem) = await ReadAsync(context, web.Value, PushJsonContext.Default.UnsubscribeRequest).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }
        if (PushValidation.ValidateEndpoint(request?.Endpoint, options.Value.AllowHttpEndpoints) is { } error)
        {
            return Invalid("endpoint", error);
        }
        if (await store.DeleteAsync(request!.Endpoint!).ConfigureAwait(false))
        {
            metrics.SubscriptionRemoved("unsubscribed");
        }
        return TypedResults.NoContent(); // also when it was not there: the fan's wish holds either way
    }

    /// <summary>The JSON body, or the problem that refuses the request (cross-site, not JSON, too large, malformed).</summary>
    private static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpContext context, WebOptions web, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        var request = context.Request;
        if (request.Headers.Origin is { Count: > 0 } origin && !IsOwnOrigin(origin.ToString(), request, web))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused",
                detail: $"Origin '{origin}' is not this site: the push API takes requests from the site's own pages only."));
        }
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON required",
                detail: "Send the body as Content-Type: application/json."));
        }
        if (request.ContentLength > PushValidation.MaxBodyBytes)
        {
            return (null, TooLarge());
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > PushValidation.MaxBodyBytes)
            {
                return (null, TooLarge());
            }
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return (JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), type), null);
        }
        catch (JsonException e)
        {
            return (null, Invalid(e.Path is { Length: > 2 } path ? path.TrimStart('$', '.') : "body", $"is not valid JSON for this API: {e.Message}"));
        }
    }

    private static bool IsOwnOrigin(string origin, HttpRequest request, WebOptions web) =>
        Origins.TryNormalize(origin, out var normalized)
        && (Origins.TryNormalize(web.PublicBaseUrl.GetLeftPart(UriPartial.Authority), out var site) && normalized == site
            || Origins.TryNormalize($"{request.Scheme}://{request.Host}", out var self) && normalized == self);

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Body too large", detail: $"The body is over {PushValidation.MaxBodyBytes} bytes.");

    private static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} {error}"] },
            detail: $"{field} {error}", title: "Invalid push subscription request");
}
