using Microsoft.Extensions.Hosting;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Realtime;

/// <summary>
/// Counts the updates this hub delivers: for each publish notice, the number of local connections in the
/// groups it names. One small message per update, instead of a hook in SignalR's per-connection send path.
/// </summary>
public sealed class DeliveryCounter(IConnectionMultiplexer redis, RedisKeys keys, SubscriptionManager subscriptions, HubMetrics metrics) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(keys.PublishedChannel).ConfigureAwait(false);
        queue.OnMessage(message =>
        {
            long count = 0;
            foreach (var group in PublishedNotice.Groups((string?)message.Message ?? ""))
            {
                count += subscriptions.LocalMembers(group);
            }
            if (count > 0)
            {
                metrics.Delivered(count);
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().UnsubscribeAsync(keys.PublishedChannel);
}
