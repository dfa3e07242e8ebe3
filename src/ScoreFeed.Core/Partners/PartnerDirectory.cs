using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;

namespace ScoreFeed.Partners;

/// <summary>A configured partner, origins normalized; <see cref="TokenSecrets"/> and <see cref="ApiSecret"/> as configured.</summary>
public sealed record Partner(string Key, IReadOnlySet<string> AllowedOrigins, int MaxConnections)
{
    public IReadOnlyList<string> TokenSecrets { get; init; } = [];

    public bool RequireToken { get; init; }

    public string? ApiSecret { get; init; }

    public bool Allows(string normalizedOrigin) => AllowedOrigins.Contains(normalizedOrigin);
}

/// <summary>The partners of configuration section <c>Partners</c>, by key (case-sensitive).</summary>
public sealed class PartnerDirectory
{
    private readonly Dictionary<string, Partner> _partners;

    public PartnerDirectory(IOptions<Dictionary<string, PartnerOptions>> options)
        : this(options.Value)
    {
    }

    public PartnerDirectory(IReadOnlyDictionary<string, PartnerOptions> partners)
    {
        _partners = partners.ToDictionary(
            kv => kv.Key,
            kv => new Partner(kv.Key, Origins.NormalizeAll(kv.Value.AllowedOrigins, $"{PartnerOptions.Section}:{kv.Key}:{nameof(PartnerOptions.AllowedOrigins)}"), kv.Value.MaxConnections)
            {
                TokenSecrets = kv.Value.TokenSecrets,
                RequireToken = kv.Value.RequireToken,
                ApiSecret = string.IsNullOrEmpty(kv.Value.ApiSecret) ? null : kv.Value.ApiSecret,
            },
            StringComparer.Ordinal);
    }

    public IReadOnlyCollection<Partner> All => _partners.Values;

    public bool TryGet(string? key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Partner? partner)
    {
        partner = null;
        return key is not null && _partners.TryGetValue(key, out partner);
    }

    /// <summary>Registers <c>Partners:{key}</c>, validated at start-up with errors naming the key, and the directory.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<Dictionary<string, PartnerOptions>>, Validator>();
        services.AddOptions<Dictionary<string, PartnerOptions>>().BindConfiguration(PartnerOptions.Section).ValidateOnStart();
        services.AddSingleton<PartnerDirectory>();
    }

    /// <summary>The shortest token or API secret accepted (HMAC-SHA256 wants at least 256 bits of key).</summary>
    public const int MinSecretLength = 32;

    private sealed class Validator : IValidateOptions<Dictionary<string, PartnerOptions>>
    {
        public ValidateOptionsResult Validate(string? name, Dictionary<string, PartnerOptions> options)
        {
            var errors = new List<string>();
            foreach (var (key, partner) in options)
            {
                var at = $"{PartnerOptions.Section}:{key}";
                if (!Ids.IsValid(key))
                {
                    errors.Add($"{at}: partner keys match {Ids.Pattern}.");
                }
                if (partner.AllowedOrigins.Length == 0)
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.AllowedOrigins)}: list at least one origin, e.g. https://news.example");
                }
                foreach (var origin in partner.AllowedOrigins)
                {
                    if (!Origins.TryNormalize(origin, out _))
                    {
                        errors.Add($"{at}:{nameof(PartnerOptions.AllowedOrigins)}: '{origin}' is not a browser origin; expected scheme://host[:port].");
                    }
                }
                if (partner.TokenSecrets.Any(s => s is null || s.Length < MinSecretLength))
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.TokenSecrets)}: each secret must be at least {MinSecretLength} characters.");
                }
                if (partner.RequireToken && partner.TokenSecrets.Length == 0)
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.RequireToken)}: requires at least one of {nameof(PartnerOptions.TokenSecrets)}.");
                }
                if (partner.ApiSecret is { Length: > 0 and < MinSecretLength })
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.ApiSecret)}: must be at least {MinSecretLength} characters.");
                }
                if (partner.ApiSecret is { Length: > 0 } && partner.TokenSecrets.Length == 0)
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.ApiSecret)}: the token endpoint signs with the first of {nameof(PartnerOptions.TokenSecrets)}; set one.");
                }
                if (partner.MaxConnections is < 1 or > 10_000_000)
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.MaxConnections)}: must be between 1 and 10000000.");
                }
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
