using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed;

public static class RedisRegistration
{
    public const string ConnectionStringKey = "ConnectionStrings:redis";

    /// <summary>
    /// Registers the Redis connection (<c>ConnectionStrings:redis</c>), the key names and the match store.
    /// A missing or unreadable connection string stops start-up with a message naming the key; an
    /// unreachable Redis does not (the connection retries, and /health/ready reports it).
    /// </summary>
    public static IHostApplicationBuilder AddScoreFeedStore(this IHostApplicationBuilder builder)
    {
        builder.AddScoreFeedRedis();
        builder.Services.AddSingleton<MatchStore>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Registers only the Redis connection (<c>ConnectionStrings:redis</c> with <c>Redis:User</c>/<c>Redis:Password</c>,
    /// TLS and the rest through the connection string), <see cref="StoreOptions"/>, the key names and the lease helper:
    /// for an app that keeps its own data in Redis but not the store (the web app's push subscriptions).
    /// </summary>
    public static IHostApplicationBuilder AddScoreFeedRedis(this IHostApplicationBuilder builder)
    {
        var redisOptions = ReadRedisConfiguration(builder.Configuration, builder.Environment.ApplicationName);
        builder.Services.AddSingleton(redisOptions);
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            var redis = ConnectionMultiplexer.Connect(redisOptions.Clone());
            ReplicaReplyWatch.Attach(redis, services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<ILoggerFactory>().CreateLogger<ReplicaReplyWatch>());
            return redis;
        });
        builder.Services.AddValidatedOptions<StoreOptions>(StoreOptions.Section);
        builder.Services.AddSingleton<RedisKeys>();
        builder.Services.TryAddSingleton<RedisLease>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static ConfigurationOptions ReadRedisConfiguration(IConfiguration configuration, string clientName)
    {
        var text = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new OptionsValidationException(ConnectionStringKey, typeof(ConfigurationOptions),
                [$"{ConnectionStringKey} is missing: set it to the Redis address, e.g. ConnectionStrings__redis=127.0.0.1:6379"]);
        }
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(text);
        }
        catch (ArgumentException e)
        {
            throw new OptionsValidationException(ConnectionStringKey, typeof(ConfigurationOptions),
                [$"{ConnectionStringKey} '{text}' is not a Redis connection string: {e.Message}"]);
        }
        if (options.EndPoints.Count == 0)
        {
            throw new OptionsValidationException(ConnectionStringKey, typeof(ConfigurationOptions),
                [$"{ConnectionStringKey} '{text}' names no Redis endpoint (expected host:port)"]);
        }
        options = WithCredentials(options, configuration);
        // Start even while Redis is down: the multiplexer keeps reconnecting and readiness says so.
        options.AbortOnConnectFail = false;
        options.ClientName ??= clientName;
        return options;
    }

    /// <summary>
    /// Applies <c>Redis:User</c> and <c>Redis:Password</c> when set (they replace <c>user=</c> and <c>password=</c> of
    /// the connection string), so that the password can come from a secret while the connection string is plain
    /// configuration (deploy/env).
    /// </summary>
    public static ConfigurationOptions WithCredentials(ConfigurationOptions options, IConfiguration configuration)
    {
        var credentials = configuration.GetSection(RedisCredentialOptions.Section).Get<RedisCredentialOptions>();
        if (!string.IsNullOrEmpty(credentials?.User))
        {
            options.User = credentials.User;
        }
        if (!string.IsNullOrEmpty(credentials?.Password))
        {
            options.Password = credentials.Password;
        }
        return options;
    }
}

/// <summary>
/// Configuration section <c>Redis</c>: credentials added to <c>ConnectionStrings:redis</c>, e.g. the password from a
/// secret (<c>Redis__Password</c>) while the connection string itself is not secret.
/// </summary>
public sealed class RedisCredentialOptions
{
    public const string Section = "Redis";

    public const string UserKey = "Redis:User";

    public const string PasswordKey = "Redis:Password";

    /// <summary>The Redis ACL user (<c>AUTH user password</c>); unset: the connection string's <c>user=</c>, or none.</summary>
    public string? User { get; set; }

    /// <summary>The password; unset: the connection string's <c>password=</c>, or none.</summary>
    public string? Password { get; set; }
}
