using System.ComponentModel.DataAnnotations;
using ScoreFeed.Partners;

namespace ScoreFeed.Ingest.Operators;

/// <summary>
/// Configuration section <c>Operators</c>: who may sign in and how tokens are signed and checked
/// (docs/configuration.md). Either ingest issues tokens itself (<see cref="SigningKey"/> and
/// <see cref="Accounts"/>), or an external OpenID Connect issuer does (<see cref="Authority"/>).
/// </summary>
internal sealed class OperatorOptions : IValidatableObject
{
    public const string Section = "Operators";

    /// <summary>Development only: when this variable is set, an account <c>operator</c> with this password exists (elsewhere ingest refuses to start).</summary>
    public const string PasswordVariable = "SCOREFEED_OPERATOR_PASSWORD";

    public const string LocalOperatorName = "operator";

    /// <summary>HMAC-SHA256 key of the tokens ingest issues, base64, at least 256 bits. Unset: ingest issues no tokens.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Accounts by user name; usernames are case-insensitive, like configuration keys.</summary>
    public Dictionary<string, OperatorAccount> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Required]
    public string Issuer { get; set; } = "scorefeed-ingest";

    [Required]
    public string Audience { get; set; } = "scorefeed-operators";

    [Range(typeof(TimeSpan), "00:01:00", "12:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>An external OpenID Connect issuer whose tokens (for <see cref="Audience"/>) are trusted instead.</summary>
    public string? Authority { get; set; }

    /// <summary>Claim holding the user's name (an external issuer may use <c>preferred_username</c>).</summary>
    [Required]
    public string NameClaimType { get; set; } = "name";

    /// <summary>Claim holding the roles (an external issuer may use <c>roles</c>).</summary>
    [Required]
    public string RoleClaimType { get; set; } = "role";

    /// <summary>
    /// Failed sign-ins per user name from one client address within <see cref="FailureWindow"/> before that address is
    /// refused (429) for that name. Other addresses are not: a guesser cannot lock the operator out.
    /// </summary>
    [Range(1, 1000)]
    public int FailuresPerUser { get; set; } = 5;

    /// <summary>
    /// Failed sign-ins per user name from all addresses within <see cref="FailureWindow"/> after which every sign-in
    /// for that name is slowed by <see cref="SlowSignInDelay"/> (not refused: the operator still gets in).
    /// </summary>
    [Range(1, 100_000)]
    public int FailuresPerUserEverywhere { get; set; } = 50;

    /// <summary>How long a sign-in for a name under attack (<see cref="FailuresPerUserEverywhere"/>) waits before its password is checked.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan SlowSignInDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Failed sign-ins per client address within <see cref="FailureWindow"/> before it is refused (429).</summary>
    [Range(1, 100_000)]
    public int FailuresPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Origins whose pages may call the operator API from a browser (CORS): the web app's operator console.
    /// Only these, each <c>scheme://host[:port]</c>; the Authorization header is allowed, cookies are not used.
    /// The defaults (the local web app) are in appsettings.json, as array defaults in code would be added to.
    /// </summary>
    public string[] CorsOrigins { get; set; } = [];

    public byte[]? SigningKeyBytes() => SigningKey is { Length: > 0 } key ? Convert.FromBase64String(key) : null;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey is { Length: > 0 } key && (!Convert.TryFromBase64String(key, new byte[key.Length], out var length) || length < 32))
        {
            yield return new ValidationResult(
                "must be at least 256 bits in base64, e.g. the output of 'openssl rand -base64 32'", [nameof(SigningKey)]);
        }
        if (Authority is { Length: > 0 } authority && !Uri.TryCreate(authority, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("must be the absolute URL of an OpenID Connect issuer", [nameof(Authority)]);
        }
        for (var i = 0; i < CorsOrigins.Length; i++)
        {
            if (!Origins.TryNormalize(CorsOrigins[i], out _))
            {
                yield return new ValidationResult(
                    $"'{CorsOrigins[i]}' is not an origin: scheme://host[:port], e.g. http://127.0.0.1:5000", [$"{nameof(CorsOrigins)}:{i}"]);
            }
        }
        foreach (var (name, account) in Accounts)
        {
            if (!OperatorAccounts.IsPasswordHash(account.PasswordHash))
            {
                yield return new ValidationResult(
                    "is not a password hash; make one with 'dotnet ScoreFeed.Ingest.dll hash-password' (README.md)",
                    [$"{nameof(Accounts)}:{name}:{nameof(OperatorAccount.PasswordHash)}"]);
            }
        }
    }
}

internal sealed class OperatorAccount
{
    /// <summary>ASP.NET Core Identity's password hash (PBKDF2), as printed by the <c>hash-password</c> command.</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><c>operator</c> (may correct), <c>viewer</c> (may read the audit); any other role may do neither.</summary>
    public string[] Roles { get; set; } = [];
}

/// <summary>The roles and the authorization policies of the operator API.</summary>
internal static class OperatorRoles
{
    /// <summary>Role and policy: may correct matches and release pins (and read what viewers read).</summary>
    public const string Operator = "operator";

    /// <summary>Role and policy: may read pins and the audit.</summary>
    public const string Viewer = "viewer";
}
