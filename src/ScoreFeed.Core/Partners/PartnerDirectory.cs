using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;

namespace ScoreFeed.Partners;

/// <summary>A configured partner, origins normalized.</summary>
public sealed record Partner(string Key, IReadOnlySet<string> AllowedOrigins, int MaxConnections)
{
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
            kv => new Partner(kv.Key, Origins.NormalizeAll(kv.Value.AllowedOrigins, $"{PartnerOptions.Section}:{kv.Key}:{nameof(PartnerOptions.AllowedOrigins)}"), kv.Value.MaxConnections),
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
                if (partner.MaxConnections is < 1 or > 10_000_000)
                {
                    errors.Add($"{at}:{nameof(PartnerOptions.MaxConnections)}: must be between 1 and 10000000.");
                }
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
