using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScoreFeed.Contract;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub.Access;

/// <summary>What a valid embed token grants: until when, and which topics (null: any).</summary>
internal sealed record EmbedGrant(DateTimeOffset Expires, IReadOnlySet<string>? Topics)
{
    public bool Allows(string topic) => Topics is null || Topics.Contains(topic);
}

/// <summary>
/// Signed, expiring embed tokens (docs/embedding.md, "Signed embed tokens"): JWTs signed with HMAC-SHA256 by one of
/// the partner's <see cref="Partner.TokenSecrets"/> (several during a rotation), issuer the partner's key, audience
/// <see cref="Audience"/>, living at most <see cref="MaxLifetime"/>, optionally limited to the topics of a
/// <c>topics</c> claim. The hubs check one when a connection opens and when the widget renews it.
/// </summary>
internal sealed class EmbedTokens(TimeProvider time, IOptions<HubAccessOptions> options)
{
    public const string Audience = "scorefeed";
    public const string TopicsClaim = "topics";
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);
    public TimeSpan ClockSkew => options.Value.EmbedTokenClockSkew;
    public const int MaxTokenLength = 4096;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>The grant of <paramref name="token"/> for <paramref name="partner"/>, or why it gives none.</summary>
    public async Task<(EmbedGrant? Grant, string? Error)> CheckAsync(Partner partner, string token)
    {
        if (partner.TokenSecrets.Count == 0)
        {
            return (null, "this partner key takes no tokens");
        }
        if (token.Length > MaxTokenLength)
        {
            return (null, $"the token is longer than {MaxTokenLength} characters");
        }
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = partner.Key,
            ValidAudience = Audience,
            IssuerSigningKeys = partner.TokenSecrets.Select(Key).ToArray(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
            TryAllIssuerSigningKeys = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } e && e + ClockSkew > now && (notBefore is null || notBefore.Value - ClockSkew <= now);
            },
        }).ConfigureAwait(false);
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return (null, Reason(result.Exception));
        }
        var issued = jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat) ? DateTimeOffset.FromUnixTimeSeconds(iat) : time.GetUtcNow();
        var expires = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
        if (expires - issued > MaxLifetime + ClockSkew || expires - time.GetUtcNow() > MaxLifetime + ClockSkew)
        {
            return (null, $"the token lives longer than {MaxLifetime.TotalMinutes:0} minutes");
        }
        IReadOnlySet<string>? topics = null;
        if (jwt.TryGetPayloadValue<string[]>(TopicsClaim, out var listed) && listed is not null)
        {
            if (listed.Any(t => !Topic.TryParse(t, out _, out _)))
            {
                return (null, $"the {TopicsClaim} claim lists a topic that is not live, competition:{{id}} or match:{{id}}");
            }
            topics = listed.ToHashSet(StringComparer.Ordinal);
        }
        return (new EmbedGrant(expires, topics), null);
    }

    /// <summary>A token for <paramref name="partner"/>, signed with its first secret (the token endpoint's).</summary>
    public (string Token, DateTimeOffset Expires) Mint(Partner partner, TimeSpan lifetime, IReadOnlyList<string>? topics)
    {
        var now = time.GetUtcNow();
        var expires = now + (lifetime > MaxLifetime ? MaxLifetime : lifetime);
        var claims = new Dictionary<string, object>();
        if (topics is not null)
        {
            claims[TopicsClaim] = topics.ToArray();
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = partner.Key,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity(),
            Claims = claims,
            SigningCredentials = new SigningCredentials(Key(partner.TokenSecrets[0]), SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    private static SymmetricSecurityKey Key(string secret) => new(Encoding.UTF8.GetBytes(secret));

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "the token has expired",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token's signature does not match the partner's secrets",
        SecurityTokenInvalidIssuerException => "the token was issued for another partner key",
        SecurityTokenInvalidAudienceException => $"the token's audience is not '{Audience}'",
        SecurityTokenInvalidAlgorithmException => "the token is not signed with HS256",
        SecurityTokenNoExpirationException => "the token has no expiry",
        _ => "the token is not a valid JWT",
    };
}
