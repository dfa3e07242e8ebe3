using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ScoreFeed.Deployment;

/// <summary>Configuration section <c>Deployment</c>.</summary>
public sealed class DeploymentOptions
{
    public const string Section = "Deployment";

    /// <summary>
    /// Lets Production run with loopback URLs and origins, and without Redis credentials when Redis itself is on
    /// loopback: for the end-to-end and browser tests and the benchmarks, which run every app on 127.0.0.1. Missing keys
    /// still stop start-up. Logged as a warning; never set in deploy/.
    /// </summary>
    public bool AllowLoopback { get; set; }
}

/// <summary>
/// The Production rule (docs/configuration.md, "Production"): in the Production environment an app refuses to start
/// when a key it needs (<see cref="ProductionRequirements"/>) is missing or points at loopback, with a message naming
/// the key as configured. Other environments (Development: ./run.sh, the AppHost) are not checked.
/// </summary>
public static partial class ProductionRules
{
    /// <summary>Whether the rule applies: the Production environment (also what ASP.NET Core assumes when none is set).</summary>
    public static bool Applies(IHostEnvironment environment) => environment.IsProduction();

    /// <summary>What <paramref name="configuration"/> lacks for <paramref name="requirements"/>; empty when nothing.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration, IEnumerable<ProductionRequirement> requirements, bool allowLoopback)
    {
        var errors = new List<string>();
        foreach (var requirement in requirements)
        {
            requirement.Check(configuration, allowLoopback, errors);
        }
        return errors;
    }

    /// <summary>
    /// Registers <see cref="DeploymentOptions"/>, validated at start-up (<c>ValidateOnStart</c>) against
    /// <paramref name="requirements"/> when <see cref="Applies"/>.
    /// </summary>
    public static IHostApplicationBuilder AddProductionRequirements(this IHostApplicationBuilder builder, IReadOnlyList<ProductionRequirement> requirements)
    {
        var configuration = builder.Configuration;
        var environment = builder.Environment;
        builder.Services.AddSingleton<IValidateOptions<DeploymentOptions>>(sp =>
            new Validator(configuration, environment, requirements, sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ProductionRules).FullName!)));
        builder.Services.AddOptions<DeploymentOptions>().BindConfiguration(DeploymentOptions.Section).ValidateOnStart();
        return builder;
    }

    internal sealed partial class Validator(IConfiguration configuration, IHostEnvironment environment, IReadOnlyList<ProductionRequirement> requirements, ILogger logger)
        : IValidateOptions<DeploymentOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeploymentOptions options)
        {
            if (!Applies(environment))
            {
                return ValidateOptionsResult.Success;
            }
            var errors = Check(configuration, requirements, options.AllowLoopback);
            if (errors.Count > 0)
            {
                return ValidateOptionsResult.Fail(errors);
            }
            if (options.AllowLoopback)
            {
                LogLoopbackAllowed(logger, $"{DeploymentOptions.Section}:{nameof(DeploymentOptions.AllowLoopback)}");
            }
            return ValidateOptionsResult.Success;
        }

        [LoggerMessage(EventId = 900, EventName = "LoopbackAllowed", Level = LogLevel.Warning,
            Message = "{Key}=true: Production runs with loopback URLs and origins allowed (and Redis without credentials on loopback). For tests on one machine only; never in a deployment.")]
        private static partial void LogLoopbackAllowed(ILogger logger, string key);
    }
}

/// <summary>
/// What each app needs in Production. The apps validate with these lists, and the deploy manifest test checks
/// deploy/ against the same lists.
/// </summary>
public static class ProductionRequirements
{
    private const string SiteOrigin = "the public origin of the site";

    public static readonly IReadOnlyList<ProductionRequirement> Hub =
    [
        ProductionRequirement.Origins("Hub:SiteOrigins", SiteOrigin),
        ProductionRequirement.PartnerOrigins(),
        ProductionRequirement.RedisCredentials(),
    ];

    public static readonly IReadOnlyList<ProductionRequirement> Ingest =
    [
        ProductionRequirement.Origins("Operators:CorsOrigins", "the public origin of the site that serves the operator console"),
        ProductionRequirement.Secret("Operators:SigningKey", "Operators:Authority",
            "set it from a secret (env Operators__SigningKey; openssl rand -base64 32), or set Operators:Authority"),
        ProductionRequirement.RedisCredentials(),
    ];

    public static readonly IReadOnlyList<ProductionRequirement> Web =
    [
        ProductionRequirement.Url("Web:PublicBaseUrl", "the site's public URL"),
        ProductionRequirement.Url("Web:HubBaseUrl", "the URL browsers reach the hubs at, the public origin"),
        ProductionRequirement.Url("Web:IngestBaseUrl", "the URL browsers reach the operator API at, the public origin (the proxy routes /api/v1/auth and the operator routes to ingest)"),
        ProductionRequirement.PartnerOrigins(),
        // Goal alerts (docs/push.md): with Push:Enabled=true, the VAPID identity and Redis with credentials.
        ProductionRequirement.When("Push:Enabled",
            ProductionRequirement.Secret("Push:PublicKey", null, "set the VAPID public key (env Push__PublicKey; ScoreFeed.Web.dll generate-vapid-keys) when Push:Enabled=true"),
            ProductionRequirement.Secret("Push:PrivateKey", null, "set the VAPID private key from a secret (env Push__PrivateKey; ScoreFeed.Web.dll generate-vapid-keys) when Push:Enabled=true"),
            ProductionRequirement.Secret("Push:Subject", null, "set the contact push services may reach (e.g. Push__Subject=mailto:ops@scores.example) when Push:Enabled=true"),
            ProductionRequirement.RedisCredentials()),
    ];
}
