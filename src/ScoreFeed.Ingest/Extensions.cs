using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Deployment;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Ingest.Feeds;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Ingest.Simulator;
using Microsoft.Extensions.Options;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest;

internal static class Extensions
{
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.AddScoreFeedStore();
        builder.AddProductionRequirements(ProductionRequirements.Ingest);
        builder.Services.AddSingleton<IngestMetrics>();
        builder.Services.AddValidatedOptions<PublishingOptions>(PublishingOptions.Section);
        builder.Services.AddSingleton<MatchPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MatchPublisher>());
        builder.Services.AddSingleton<MatchUpdater>();
        builder.Services.AddSingleton<StandingsUpdater>();
        builder.Services.AddSingleton<StoreContinuity>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<StoreContinuity>());

        builder.AddOperators();
        // HTTP APIs (operators'): problem+json errors, the contract's JSON.
        builder.Services.AddProblemDetails();
        builder.AddApiDocs("ScoreFeed operator API",
            "Ingest's operator API: sign-in, corrections, pins, the audit and undo (docs/wire-contract.md, \"Operator API\"). " +
            "Every error is application/problem+json; a 400 has errors naming the field.");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default));

        builder.Services.AddValidatedOptions<SimulatorOptions>(SimulatorOptions.Section);
        builder.Services.AddHostedService(sp => new MatchSimulator(
            sp.GetRequiredService<IOptions<SimulatorOptions>>(), sp.GetRequiredService<MatchUpdater>(),
            sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<RedisKeys>(), sp.GetRequiredService<IngestMetrics>(),
            FeedsRegistration.NewLease(sp, MatchSimulator.LeaseName, new ProviderHealth(MatchSimulator.LeaseName, TimeSpan.MaxValue)),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<MatchSimulator>>()));

        builder.AddFeeds();
        return builder;
    }
}
