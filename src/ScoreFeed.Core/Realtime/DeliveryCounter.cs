using Microsoft.Extensions.Hosting;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Realtime;

/// <summary>
/// Counts the updates this hub delivers: for each publish notice, the number of local connections in the
/// groups it names. One small message per update, instead of a hook in SignalR's per-connection send path.
/// Subscribes in the background so that a hub starts (and reports not ready) while Redis is down.
/// </summary>
public sealed class DeliveryCounter(IConnectionMultiplexer redis, RedisKeys keys, SubscriptionManager subscriptions, HubMetrics metrics, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Once made, StackExchange.Redis restores the subscription after every reconnect by itself.
                await redis.GetSubscriber().SubscribeAsync(keys.PublishedChannel, (_, message) => Count(message)).ConfigureAwait(false);
                return;
            }
            catch (RedisException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (redis.IsConnected)
        {
            await redis.GetSubscriber().UnsubscribeAsync(keys.PublishedChannel).ConfigureAwait(false);
        }
    }

    private void Count(RedisValue message)
    {
        long count = 0;
        foreach (var group in PublishedNotice.Groups((string?)message ?? ""))
        {
            count += subscriptions.LocalMembers(group);
        }
        if (count > 0)
        {
            metrics.Delivered(count);
        }
    }
}
