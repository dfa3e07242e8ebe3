using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace ScoreFeed.Deployment;

/// <summary>
/// A configuration key an app needs in Production (docs/configuration.md, "Production"): checked on the app's
/// configuration as configured, so that each message names the key as set (<c>Hub:SiteOrigins:0</c>).
/// </summary>
public abstract class ProductionRequirement
{
    private ProductionRequirement(string key) => Key = key;

    /// <summary>The key, e.g. <c>Hub:SiteOrigins</c>; <c>Partners:{key}:AllowedOrigins</c> for every partner.</summary>
    public string Key { get; }

    /// <summary>Adds to <paramref name="errors"/> what is missing or loopback; loopback passes with <paramref name="allowLoopback"/>.</summary>
    public abstract void Check(IConfiguration configuration, bool allowLoopback, List<string> errors);

    public override string ToString() => Key;

    /// <summary>A list of browser origins (<c>Key:0</c>, <c>Key:1</c>, …): at least one, none loopback.</summary>
    public static ProductionRequirement Origins(string key, string what, string example = PublicOrigin) => new OriginList(key, what, example);

    /// <summary>Every partner's <c>Partners:{key}:AllowedOrigins</c>, as <see cref="Origins"/>.</summary>
    public static ProductionRequirement PartnerOrigins() => new Partners();

    /// <summary>One browser-facing URL: set, not loopback.</summary>
    public static ProductionRequirement Url(string key, string what, string example = PublicOrigin) => new SingleUrl(key, what, example);

    /// <summary>A secret that must be set unless <paramref name="unlessKey"/> is.</summary>
    public static ProductionRequirement Secret(string key, string? unlessKey, string hint) => new SecretValue(key, unlessKey, hint);

    /// <summary>
    /// <c>ConnectionStrings:redis</c> with its credentials (<c>Redis:Password</c>, <c>Redis:User</c> applied) carries a
    /// password. Relaxed by <paramref name="allowLoopback"/> only when every Redis endpoint is loopback itself.
    /// </summary>
    public static ProductionRequirement RedisCredentials() => new Redis();

    /// <summary>
    /// <paramref name="requirements"/> apply only while the boolean <paramref name="switchKey"/> is true (a feature that is
    /// off needs nothing). Named by the switch and what it requires.
    /// </summary>
    public static ProductionRequirement When(string switchKey, params ProductionRequirement[] requirements) => new Conditional(switchKey, requirements);

    /// <summary>The placeholder of the public origin in deploy/env and the docs.</summary>
    public const string PublicOrigin = "https://scores.example";

    /// <summary>The placeholder of a partner site's origin in deploy/env and the docs.</summary>
    public const string PartnerOrigin = "https://partner.example";

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static void CheckOrigins(IConfiguration configuration, string key, string what, string example, bool allowLoopback, List<string> errors)
    {
        var values = configuration.GetSection(key).GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToArray();
        if (values.Length == 0)
        {
            errors.Add($"{key} is missing; in Production set {what} (e.g. {Variable(key)}__0={example})");
            return;
        }
        foreach (var value in values)
        {
            if (!allowLoopback && Loopback.IsLoopbackUrl(value.Value))
            {
                errors.Add($"{value.Path} '{value.Value}' points at loopback; in Production set {what} (e.g. {example})");
            }
        }
    }

    private sealed class OriginList(string key, string what, string example) : ProductionRequirement(key)
    {
        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors) =>
            CheckOrigins(configuration, Key, what, example, allowLoopback, errors);
    }

    private sealed class Partners() : ProductionRequirement("Partners:{key}:AllowedOrigins")
    {

        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors)
        {
            foreach (var partner in configuration.GetSection(ScoreFeed.Partners.PartnerOptions.Section).GetChildren())
            {
                CheckOrigins(configuration, $"{partner.Path}:{nameof(ScoreFeed.Partners.PartnerOptions.AllowedOrigins)}", "the partner site's origin", PartnerOrigin, allowLoopback, errors);
            }
        }
    }

    private sealed class SingleUrl(string key, string what, string example) : ProductionRequirement(key)
    {
        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors)
        {
            var value = configuration[Key];
            if (string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"{Key} is missing; in Production set {what} (e.g. {Variable(Key)}={example})");
            }
            else if (!allowLoopback && Loopback.IsLoopbackUrl(value))
            {
                errors.Add($"{Key} '{value}' points at loopback; in Production set {what} (e.g. {example})");
            }
        }
    }

    private sealed class SecretValue(string key, string? unlessKey, string hint) : ProductionRequirement(key)
    {
        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors)
        {
            if (string.IsNullOrWhiteSpace(configuration[Key]) && (unlessKey is null || string.IsNullOrWhiteSpace(configuration[unlessKey])))
            {
                errors.Add($"{Key} is missing; in Production {hint}");
            }
        }
    }

    private sealed class Conditional(string switchKey, ProductionRequirement[] requirements)
        : ProductionRequirement($"{switchKey}=true: {string.Join(", ", requirements.Select(r => r.Key))}")
    {
        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors)
        {
            if (bool.TryParse(configuration[switchKey], out var on) && on)
            {
                foreach (var requirement in requirements)
                {
                    requirement.Check(configuration, allowLoopback, errors);
                }
            }
        }
    }

    private sealed class Redis() : ProductionRequirement(RedisRegistration.ConnectionStringKey)
    {
        public override void Check(IConfiguration configuration, bool allowLoopback, List<string> errors)
        {
            var text = configuration[Key];
            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add($"{Key} is missing; set it to the Redis address, e.g. {Variable(Key)}=redis:6379,user=hub,abortConnect=false");
                return;
            }
            ConfigurationOptions options;
            try
            {
                options = RedisRegistration.WithCredentials(ConfigurationOptions.Parse(text), configuration);
            }
            catch (ArgumentException)
            {
                return; // RedisRegistration reports an unreadable connection string, naming the key
            }
            if (!string.IsNullOrEmpty(options.Password))
            {
                return;
            }
            if (allowLoopback && options.EndPoints.Count > 0 && options.EndPoints.All(Loopback.IsLoopbackEndPoint))
            {
                return;
            }
            errors.Add($"{Key} '{text}' carries no password; in Production set {RedisCredentialOptions.PasswordKey} " +
                $"(env {Variable(RedisCredentialOptions.PasswordKey)}, from a secret) and {RedisCredentialOptions.UserKey} or user= for an ACL user, or password= in {Key}");
        }
    }
}
