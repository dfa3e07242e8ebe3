using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;

namespace ScoreFeed.Hub;

internal static class Extensions
{
    private const string CorsPolicy = "scorefeed-hub";

    public static IHostApplicationBuilder AddScoresHub(this IHostApplicationBuilder builder)
    {
        builder.AddScoreFeedStore();
        builder.Services.AddValidatedOptions<ScoresHubOptions>(ScoresHubOptions.Section);
        builder.AddScoreFeedSignalR();
        builder.Services.AddOptions<HubOptions>()
            .Configure<IOptions<ScoresHubOptions>>((hub, ours) =>
            {
                hub.MaximumReceiveMessageSize = ours.Value.MaxMessageSize;
                hub.EnableDetailedErrors = false;
            });
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddSingleton<SubscriptionManager>();
        builder.Services.AddHostedService<DeliveryCounter>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default));

        var origins = builder.Configuration.GetSection($"{ScoresHubOptions.Section}:{nameof(ScoresHubOptions.CorsOrigins)}").Get<string[]>() ?? [];
        builder.Services.AddCors(o => o.AddPolicy(CorsPolicy, policy =>
        {
            policy.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST");
            if (origins.Length > 0)
            {
                policy.AllowCredentials();
            }
        }));
        return builder;
    }

    public static WebApplication UseScoresHubCors(this WebApplication app)
    {
        app.UseCors(CorsPolicy);
        return app;
    }

    /// <summary>
    /// <c>/hubs/scores</c>. Clients should connect with WebSockets and skip negotiation: no sticky sessions
    /// are then needed behind a balancer, and any hub can serve any client.
    /// </summary>
    public static WebApplication MapScoresHub(this WebApplication app)
    {
        app.MapHub<ScoresHub>(ScoresHub.Path, o =>
        {
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.ServerSentEvents | HttpTransportType.LongPolling;
            o.WebSockets.CloseTimeout = TimeSpan.FromSeconds(3);
        });
        return app;
    }
}
