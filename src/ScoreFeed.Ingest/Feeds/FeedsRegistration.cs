using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ScoreFeed.Ingest.Feeds.ApiFootball;
using ScoreFeed.Ingest.Feeds.FootballData;
using ScoreFeed.Ingest.Feeds.Replay;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

internal static class FeedsRegistration
{
    /// <summary>
    /// The HTTP feed providers (<c>Ingest:Providers:FootballData</c>, <c>Ingest:Providers:ApiFootball</c>) and the
    /// replay provider (<c>Ingest:Providers:Replay</c>), each registered only when enabled, with the health, lease,
    /// arbitration and write path they share.
    /// </summary>
    public static IHostApplicationBuilder AddFeeds(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<FeedHealth>();
        services.AddSingleton<RedisLease>();
        services.AddSingleton<FeedIngestor>();
        services.AddSingleton<FeedArbiter>();
        services.AddValidatedOptions<FeedsOptions>(FeedsOptions.Section);
        services.AddValidatedOptions<ReplayOptions>(ReplayOptions.Section);
        builder.AddHttpProvider<FootballDataOptions>(FootballDataOptions.Section, new FootballDataFormat());
        builder.AddHttpProvider<ApiFootballOptions>(ApiFootballOptions.Section, new ApiFootballFormat());
        if (builder.Configuration.GetValue<bool>($"{ReplayOptions.Section}:Enabled"))
        {
            // A replay runs once, for as long as it takes: it never goes stale.
            var staleAfter = TimeSpan.FromDays(1);
            services.AddSingleton(sp => new FeedProvider(ReplayPlayer.ProviderName, null, sp.GetRequiredService<IOptions<ReplayOptions>>().Value.Priority, staleAfter));
            services.AddSingleton<IHostedService>(sp =>
            {
                var health = Health(sp, ReplayPlayer.ProviderName, staleAfter);
                return new ReplayPlayer(sp.GetRequiredService<IOptions<ReplayOptions>>(), sp.GetServices<IFeedFormat>(),
                    NewLease(sp, ReplayPlayer.ProviderName, health), sp.GetRequiredService<FeedIngestor>(), health,
                    sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>(), sp.GetRequiredService<TimeProvider>(),
                    sp.GetRequiredService<ILogger<ReplayPlayer>>());
            });
        }
        return builder;
    }

    private static void AddHttpProvider<TOptions>(this IHostApplicationBuilder builder, string section, IFeedFormat format)
        where TOptions : ProviderOptions
    {
        var services = builder.Services;
        services.AddValidatedOptions<TOptions>(section);
        // Every format is known (replay maps recordings of any provider), whether or not it is polled.
        services.AddSingleton(format);
        if (!builder.Configuration.GetValue<bool>($"{section}:Enabled"))
        {
            return;
        }
        TOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<TOptions>>().Value;

        services.AddSingleton(sp => new FeedProvider(format.Name, format.IdPrefix, Options(sp).Priority, Options(sp).StaleAfter));
        var http = services.AddHttpClient(format.Name, client => client.Timeout = Timeout.InfiniteTimeSpan);
        // ServiceDefaults gives every client the standard handler; on top of ours it would add a second set of
        // retries, timeouts and breaker. (Experimental API; the feed tests count requests to catch a stacked pipeline.)
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        // Outer to inner: the pipeline (retry, breaker, attempt timeout), then the bounded body read it times.
        http.AddResilienceHandler(format.Name, (pipeline, context) => FeedResilience.Configure(pipeline, Options(context.ServiceProvider),
            Health(context.ServiceProvider, format.Name, Options(context.ServiceProvider).StaleAfter),
            context.ServiceProvider.GetRequiredService<TimeProvider>()));
        http.AddHttpMessageHandler(sp => new BoundedBodyHandler(Options(sp).MaxResponseBytes));
        services.AddHealthChecks().Add(new HealthCheckRegistration($"feed:{format.Name}",
            sp => new FeedHealthCheck(Health(sp, format.Name, Options(sp).StaleAfter), sp.GetRequiredService<TimeProvider>()),
            HealthStatus.Degraded, ["ready"]));
        services.AddSingleton<IHostedService>(sp =>
        {
            var options = Options(sp);
            var time = sp.GetRequiredService<TimeProvider>();
            var health = Health(sp, format.Name, options.StaleAfter);
            var fetcher = new FeedFetcher(sp.GetRequiredService<IHttpClientFactory>(), format, options, time);
            var tables = new FeedTables(format, options, fetcher, sp.GetRequiredService<StandingsUpdater>(), sp.GetRequiredService<IngestMetrics>(),
                sp.GetRequiredService<ILogger<FeedTables>>());
            return new ProviderPoller(format, options, fetcher,
                NewLease(sp, format.Name, health), sp.GetRequiredService<FeedIngestor>(), tables, health,
                string.IsNullOrWhiteSpace(options.RecordTo) ? null : new FeedRecorder(options.RecordTo, time),
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>(),
                sp.GetRequiredService<IngestMetrics>(), time, sp.GetRequiredService<ILogger<ProviderPoller>>());
        });
    }

    private static ProviderHealth Health(IServiceProvider sp, string name, TimeSpan staleAfter) => sp.GetRequiredService<FeedHealth>().Add(name, staleAfter);

    public static ProviderLease NewLease(IServiceProvider sp, string name, ProviderHealth health) => new(
        sp.GetRequiredService<RedisLease>(), sp.GetRequiredService<RedisKeys>(), name,
        sp.GetRequiredService<IOptions<FeedsOptions>>().Value, health, sp.GetRequiredService<IngestMetrics>(),
        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ProviderLease>>());
}
