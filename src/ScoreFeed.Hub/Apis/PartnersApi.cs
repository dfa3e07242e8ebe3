using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Usage;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Apis;

/// <summary>
/// What a partner's server asks a hub for with its API secret (<c>Authorization: Bearer {ApiSecret}</c>):
/// <c>POST /api/v1/partners/{key}/tokens</c>, an embed token for the widget (if it would rather not sign its own), and
/// <c>GET /api/v1/partners/{key}/usage</c>, its usage on a day, minute by minute, as JSON or CSV.
/// </summary>
internal static class PartnersApi
{
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapPartnersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/partners/{key}/usage", UsageAsync)
            .WithTags("Partners")
            .WithName("GetUsage")
            .WithSummary("A partner's usage on a day")
            .WithDescription("For the partner's server: Authorization: Bearer {the partner's API secret}. Minute by minute (UTC, " +
                "only minutes with something in them): connections opened and refused by reason, peak concurrent connections " +
                "over all hubs (approximate), update frames delivered and their bytes. Kept 35 days. format=csv for CSV.")
            .Produces<UsageDay>(StatusCodes.Status200OK, "application/json", "text/csv")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
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
        if (Authorized(context.Request, partners, key) is not { } partner)
        {
            return Unauthorized();
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
        // A chunked body has no length to check first: the server stops reading it at the limit (BadHttpRequestException).
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = MaxBodyBytes;
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

    private static async Task<IResult> UsageAsync(HttpContext context, PartnerDirectory partners, PartnerUsage usage, TimeProvider time,
        [Description("The partner's key.")] string key,
        [Description("The UTC day, yyyy-MM-dd; default today.")] string? day = null,
        [Description("json (default) or csv.")] string? format = null)
    {
        if (Authorized(context.Request, partners, key) is not { } partner)
        {
            return Unauthorized();
        }
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (day is not null && !DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out today))
        {
            return Invalid("day", "must be a date as yyyy-MM-dd");
        }
        if (format is not (null or "json" or "csv"))
        {
            return Invalid("format", "must be json or csv");
        }
        var minutes = await usage.ReadDayAsync(partner.Key, today);
        if (format == "csv")
        {
            var csv = new StringBuilder("minute,opened," + string.Join(',', PartnerMeter.RefusalCodes.Select(c => "refused_" + c.Replace('-', '_'))) + ",peak,updates,bytes\n");
            foreach (var m in minutes)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{m.Minute},{m.Opened},{string.Join(',', PartnerMeter.RefusalCodes.Select(c => m.Refused[c]))},{m.Peak},{m.Updates},{m.Bytes}\n");
            }
            return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
        }
        return TypedResults.Json(new UsageDay { Partner = partner.Key, Day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Minutes = minutes },
            ScoreFeedJsonContext.Default.UsageDay);
    }

    /// <summary>The partner whose API secret the request carries; null for an unknown key, no API secret, a wrong one.</summary>
    private static Partner? Authorized(HttpRequest request, PartnerDirectory partners, string key) =>
        partners.TryGet(key, out var partner) && partner.ApiSecret is { } secret && SecretMatches(request, secret) ? partner : null;

    // The same answer for an unknown key, a partner without an API secret and a wrong secret.
    private static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem(title: "Unauthorized", detail: "Send the partner's API secret as Authorization: Bearer {secret}.",
            statusCode: StatusCodes.Status401Unauthorized);

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
