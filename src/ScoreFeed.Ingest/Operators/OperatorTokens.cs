using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// Issues the short-lived bearer tokens operators sign in for: JWTs signed with HMAC-SHA256 by
/// <c>Operators:SigningKey</c>, which JwtBearer checks on every operator route.
/// </summary>
internal sealed class OperatorTokens(IOptions<OperatorOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    /// <summary>Ingest issues tokens only with a signing key and without an external issuer.</summary>
    public bool CanIssue => options.Value.SigningKey is { Length: > 0 } && string.IsNullOrEmpty(options.Value.Authority);

    public TokenResponse Issue(string name, IEnumerable<string> roles)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var expires = now + o.TokenLifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.Issuer,
            Audience = o.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, name),
                new Claim(o.NameClaimType, name),
                .. roles.Select(role => new Claim(o.RoleClaimType, role)),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey(o), SecurityAlgorithms.HmacSha256),
        });
        return new TokenResponse { AccessToken = token, ExpiresAt = expires.ToUnixTimeMilliseconds() };
    }

    public static SymmetricSecurityKey SigningKey(OperatorOptions options) =>
        new(options.SigningKeyBytes() ?? throw new InvalidOperationException($"{OperatorOptions.Section}:{nameof(OperatorOptions.SigningKey)} is not set."));
}
