using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Apis;

/// <summary>
/// <c>POST /api/v1/partners/{key}/tokens</c>: a partner's server that would rather not sign tokens itself asks a hub
/// for one with its API secret (<c>Authorization: Bearer {ApiSecret}</c>); the widget then connects with it.
/// </summary>
internal static class EmbedTokensApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapEmbedTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/partners/{key}/tokens", IssueAsync)
            .WithTags("Partners")
            .WithName("IssueEmbedToken")
            .WithSummary("Issue a signed embed token")
            .WithDescription("For the partner's server, never a browser: Authorization: Bearer {the partner's API secret}. " +
                "The token lets the widget connect with ?key={key}&token={token} until it expires; renew it before then.")
            .WithJsonBody<EmbedTokenRequest>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    private static async Task<Results<Ok<EmbedTokenResponse>, ProblemHttpResult>> IssueAsync(
        HttpContext context, PartnerDirectory partners, EmbedTokens tokens, [Description("The partner's key.")] string key)
    {
        if (!partners.TryGet(key, out var partner) || partner.ApiSecret is null || !SecretMatches(context.Request, partner.ApiSecret))
        {
            // The same answer for an unknown key, a partner without an API secret and a wrong secret.
            return TypedResults.Problem(title: "Unauthorized", detail: "Send the partner's API secret as Authorization: Bearer {secret}.",
                statusCode: StatusCodes.Status401Unauthorized);
        }
        EmbedTokenRequest request;
        try
        {
            request = context.Request.ContentLength is 0 || context.Request.ContentLength is null && !context.Request.HasJsonContentType()
                ? new EmbedTokenRequest()
                : await ReadAsync(context.Request) ?? new EmbedTokenRequest();
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or BadHttpRequestException)
        {
            return Invalid("body", $"is not an embed token request: {e.Message}");
        }
        if (request.LifetimeSeconds is < 60 or > 3600)
        {
            return Invalid("lifetimeSeconds", "must be from 60 to 3600");
        }
        if (request.Topics is { } topics && (topics.Count is 0 or > 100 || topics.Any(t => !Topic.TryParse(t, out _, out _))))
        {
            return Invalid("topics", "lists 1 to 100 topics, each live, competition:{id} or match:{id}");
        }
        var lifetime = request.LifetimeSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
        var (token, expires) = tokens.Mint(partner, lifetime, request.Topics);
        return TypedResults.Ok(new EmbedTokenResponse { Token = token, ExpiresAt = expires.ToUnixTimeMilliseconds() });
    }

    private static async Task<EmbedTokenRequest?> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new InvalidDataException($"larger than {MaxBodyBytes} bytes");
        }
        using var limited = new MemoryStream();
        await request.Body.CopyToAsync(limited, request.HttpContext.RequestAborted);
        if (limited.Length > MaxBodyBytes)
        {
            throw new InvalidDataException($"larger than {MaxBodyBytes} bytes");
        }
        limited.Position = 0;
        return await JsonSerializer.DeserializeAsync(limited, ScoreFeedJsonContext.Default.EmbedTokenRequest, request.HttpContext.RequestAborted);
    }

    /// <summary>Compared in constant time (of their hashes), so the answer's timing tells nothing of the secret.</summary>
    private static bool SecretMatches(HttpRequest request, string secret)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(header[Bearer.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: $"{field} {detail}", statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });
}
