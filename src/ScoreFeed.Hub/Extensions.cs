using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ScoreFeed.ApiDocs;
using ScoreFeed.Contract;
using ScoreFeed.Deployment;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Apis;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Presence;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Hub.Usage;
using ScoreFeed.Partners;

namespace ScoreFeed.Hub;

internal static class Extensions
{
    private const string CorsPolicy = "scorefeed-hub";

    public static IHostApplicationBuilder AddScoresHub(this IHostApplicationBuilder builder)
    {
        builder.AddScoreFeedStore();
        builder.AddProductionRequirements(ProductionRequirements.Hub);
        builder.Services.AddValidatedOptions<ScoresHubOptions>(ScoresHubOptions.Section);
        builder.AddScoreFeedSignalR();
        builder.Services.AddOptions<HubOptions>()
            .Configure<IOptions<ScoresHubOptions>>((hub, ours) =>
            {
                hub.MaximumReceiveMessageSize = ours.Value.MaxMessageSize;
                hub.EnableDetailedErrors = false;
                // Partner checks on connect, then audience bookkeeping; neither touches the delivery path.
                hub.AddFilter<ConnectionGate>();
                hub.AddFilter<AudienceFilter>();
            });
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddSingleton<SubscriptionManager>();
        // Its loop (the subscription to the updates channel) is started in Program.cs.
        builder.Services.AddSingleton<UpdateFanout>();
        // Its Kestrel hook and middleware are added in Program.cs.
        builder.Services.AddHubTransport();
        builder.AddHubAccess();
        builder.AddHubProtection();
        builder.Services.AddProblemDetails();
        builder.AddApiDocs("ScoreFeed read API",
            "Every hub's read API: the state of matches, for a first paint and to go live from (docs/wire-contract.md, \"Read API\"). " +
            "Live updates come over the hub at /hubs/scores (docs/asyncapi.yaml).");
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default));

        // The read API's answers, kept briefly (Apis/ReadApiCache.cs).
        builder.Services.AddOutputCache(o => o.SizeLimit = ReadApiCache.SizeLimit);
        // The read API answers browsers of our own site and of every partner, and no other origin. Without credentials:
        // nothing here reads a cookie, so no page may make a fan's browser send one (a SignalR client that negotiates sets
        // withCredentials: false; ScoreFeed's own skip negotiation).
        var origins = BrowserOrigins(builder.Configuration);
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
            policy.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST")));
        return builder;
    }

    /// <summary>Partner keys and origins checked on connect, and the counts hubs share (partner connections, audience).</summary>
    private static void AddHubAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<HubAccessOptions>(HubAccessOptions.Section);
        PartnerDirectory.Register(builder.Services);
        builder.Services.AddSingleton<AccessPolicy>();
        builder.Services.AddSingleton<EmbedTokens>();
        builder.Services.AddSingleton<TokenLeases>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenLeases>());
        builder.Services.AddSingleton<PartnerUsage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PartnerUsage>());
        builder.Services.AddSingleton<AccessMetrics>();
        builder.Services.AddSingleton<AudienceTracker>();
        builder.Services.AddSingleton<PresenceService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PresenceService>());
        builder.Services.AddSingleton<ConnectionGate>();
        builder.Services.AddSingleton<AudienceFilter>();
    }

    /// <summary><c>Hub:CorsOrigins</c>, <c>Hub:SiteOrigins</c> and every partner's <c>AllowedOrigins</c>, normalized.</summary>
    private static string[] BrowserOrigins(IConfiguration configuration)
    {
        var listed = new List<string>();
        listed.AddRange(configuration.GetSection($"{ScoresHubOptions.Section}:{nameof(ScoresHubOptions.CorsOrigins)}").Get<string[]>() ?? []);
        listed.AddRange(configuration.GetSection($"{HubAccessOptions.Section}:{nameof(HubAccessOptions.SiteOrigins)}").Get<string[]>() ?? []);
        foreach (var partner in configuration.GetSection(PartnerOptions.Section).GetChildren())
        {
            listed.AddRange(partner.GetSection(nameof(PartnerOptions.AllowedOrigins)).Get<string[]>() ?? []);
        }
        // Invalid entries are reported by options validation at start-up; here they are just left out.
        return [.. listed.Select(o => Origins.TryNormalize(o, out var n) ? n : null).OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Connection limits and the slow-consumer guard (<c>Hub:ConnectionLimits</c>, <c>Hub:SlowConsumers</c>).</summary>
    private static void AddHubProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<ConnectionLimitsOptions>(ConnectionLimitsOptions.Section);
        builder.Services.AddValidatedOptions<SlowConsumerOptions>(SlowConsumerOptions.Section);
        builder.Services.AddSingleton<ProtectionMetrics>();
        builder.Services.AddSingleton<ConnectionAdmission>();
        builder.Services.AddSingleton<SlowConsumerGuard>();
    }

    public static WebApplication UseScoresHubCors(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        return app;
    }

    /// <summary>New connections pass <see cref="ConnectionAdmission"/> (per address, per key, the hub's rate) before SignalR sees them.</summary>
    public static WebApplication UseConnectionAdmission(this WebApplication app)
    {
        var admission = app.Services.GetRequiredService<ConnectionAdmission>();
        app.Use((context, next) => admission.InvokeAsync(context, next));
        return app;
    }

    /// <summary>
    /// SignalR's endpoint at <c>/hubs/scores</c>, as <c>MapHub&lt;ScoresHub&gt;</c> maps it: negotiation, negotiated
    /// WebSockets, server-sent events and long polling, each connection's output under the slow-consumer guard's
    /// <see cref="GuardedWriter"/>. Clients that skip negotiation (all of ScoreFeed's) never reach it: the hub's own
    /// transport takes them first (<c>UseHubHandshakes</c>, <c>UseHubWebSockets</c>; Transport/README.md).
    /// </summary>
    public static WebApplication MapScoresHub(this WebApplication app)
    {
        var options = new HttpConnectionDispatcherOptions
        {
            Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling,
        };
        options.WebSockets.CloseTimeout = TimeSpan.FromSeconds(3);
        var guard = app.Services.GetRequiredService<SlowConsumerGuard>();
        app.MapConnections(ScoresHub.Path, options, connection => connection.Use(next => GuardedWriter.Wrap(guard, next)).UseHub<ScoresHub>())
            .WithMetadata(new HubMetadata(typeof(ScoresHub)));
        return app;
    }
}
