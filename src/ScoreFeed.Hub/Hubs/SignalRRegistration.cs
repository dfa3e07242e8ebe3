using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Hub.Hubs;

internal static class SignalRRegistration
{
    /// <summary>
    /// SignalR as the hubs need it: JSON (strict) and MessagePack, which <see cref="UpdateFanout"/> serializes updates
    /// in; with <c>Hub:Backplane</c>, the SignalR Redis backplane under the store's key prefix for SignalR's own
    /// cross-hub addressing (updates do not take it: ingest publishes them on the updates channel).
    /// </summary>
    public static ISignalRServerBuilder AddScoreFeedSignalR(this IHostApplicationBuilder builder, Action<HubOptions>? configure = null)
    {
        var redisOptions = RedisRegistration.ReadRedisConfiguration(builder.Configuration, builder.Environment.ApplicationName + "-backplane");
        var prefix = builder.Configuration[$"{StoreOptions.Section}:{nameof(StoreOptions.KeyPrefix)}"] ?? new StoreOptions().KeyPrefix;
        var signalR = builder.Services
            .AddSignalR(o => configure?.Invoke(o))
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.TypeInfoResolverChain.Insert(0, ScoreFeedJsonContext.Default);
                o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            })
            .AddMessagePackProtocol();
        if (builder.Configuration.GetValue($"{ScoresHubOptions.Section}:{nameof(ScoresHubOptions.Backplane)}", new ScoresHubOptions().Backplane))
        {
            signalR.AddStackExchangeRedis(o =>
            {
                o.Configuration = redisOptions;
                o.Configuration.ChannelPrefix = RedisChannel.Literal(new RedisKeys(prefix).BackplaneChannelPrefix);
            });
        }
        builder.Services.RemoveAll<IHubProtocol>(typeof(JsonHubProtocol));
        builder.Services.AddSingleton<IHubProtocol, StrictJsonHubProtocol>();
        return signalR;
    }

    private static void RemoveAll<TService>(this IServiceCollection services, Type implementation)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(TService) && d.ImplementationType == implementation).ToArray())
        {
            services.Remove(descriptor);
        }
    }
}
