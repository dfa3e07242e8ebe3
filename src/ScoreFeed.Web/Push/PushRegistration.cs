using Microsoft.Extensions.Options;

namespace ScoreFeed.Web.Push;

internal static class PushRegistration
{
    /// <summary>
    /// Goal alerts through Web Push, when <c>Push:Enabled</c>: the Redis connection (as the hub's and ingest's), the
    /// subscription store, the sender and the API's rate limiter. Off: nothing but the options (and /sw.js, which is
    /// harmless without them).
    /// </summary>
    public static IHostApplicationBuilder AddPush(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PushOptions>(PushOptions.Section);
        builder.Services.AddSingleton<IValidateOptions<PushOptions>, EnvironmentRules>();
        if (!builder.Configuration.GetValue<bool>(PushOptions.EnabledKey))
        {
            return builder;
        }
        builder.AddScoreFeedRedis();
        builder.Services.AddSingleton<VapidIdentity>();
        builder.Services.AddSingleton<SubscriptionStore>();
        builder.Services.AddSingleton<PushDelivery>();
        builder.Services.AddSingleton<PushLease>();
        builder.Services.AddHostedService<AlertSender>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PushApi.RateLimitPolicy, context =>
                PushApi.Partition(context, context.RequestServices.GetRequiredService<IOptions<PushOptions>>().Value));
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    public static WebApplication UsePush(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<PushOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
            app.MapPushApi();
        }
        return app;
    }

    /// <summary>
    /// What depends on the environment: test-only http endpoints are refused in Production (unless the tests' own
    /// <c>Deployment:AllowLoopback</c>); outside Development and
    /// Production (Staging, …) the VAPID keys are required when enabled (Production checks them with its other
    /// requirements, <c>ProductionRequirements.Web</c>; Development makes a pair at start when none is set).
    /// </summary>
    private sealed class EnvironmentRules(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<PushOptions>
    {
        public ValidateOptionsResult Validate(string? name, PushOptions options)
        {
            var errors = new List<string>();
            // Deployment:AllowLoopback is the tests' documented opt-out of Production's rules (never in deploy/).
            if (options.AllowHttpEndpoints && environment.IsProduction() && !configuration.GetValue<bool>("Deployment:AllowLoopback"))
            {
                errors.Add($"{PushOptions.AllowHttpEndpointsKey}=true is for tests with a local push service only; Production accepts https endpoints only");
            }
            if (options.Enabled && !environment.IsDevelopment() && !environment.IsProduction())
            {
                foreach (var (key, value) in new[] { (PushOptions.PublicKeyKey, options.PublicKey), (PushOptions.PrivateKeyKey, options.PrivateKey), (PushOptions.SubjectKey, options.Subject) })
                {
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        errors.Add($"{key} is missing; with {PushOptions.EnabledKey}=true set the VAPID keys (generate-vapid-keys) and the subject");
                    }
                }
            }
            if (options.Enabled && environment.IsDevelopment() && string.IsNullOrEmpty(options.PublicKey) != string.IsNullOrEmpty(options.PrivateKey))
            {
                errors.Add($"Set both {PushOptions.PublicKeyKey} and {PushOptions.PrivateKeyKey}, or neither (Development then makes a pair at start)");
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
