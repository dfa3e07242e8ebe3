using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Realtime;

public static class SignalRRegistration
{
    /// <summary>
    /// SignalR as both ingest (publisher) and hubs need it: the SAME protocols (JSON and MessagePack)
    /// and the SAME backplane channel prefix. A publisher missing a protocol that a client uses gets that
    /// client disconnected ("message was received from another server that did not have the requested protocol").
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
            .AddMessagePackProtocol()
            .AddStackExchangeRedis(o =>
            {
                o.Configuration = redisOptions;
                o.Configuration.ChannelPrefix = RedisChannel.Literal(new RedisKeys(prefix).BackplaneChannelPrefix);
            });
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
