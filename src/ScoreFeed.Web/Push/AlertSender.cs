using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Web.Push;

/// <summary>
/// Sends goal alerts (docs/push.md). Follows the updates channel as the hubs do; while this process holds the sender
/// lease (<see cref="PushLease"/>) it turns each update into its alerts (<see cref="AlertDecision"/>) and sends them:
/// <list type="bullet">
/// <item>one alert per event: each is claimed in Redis (<see cref="RedisKeys.PushSent"/>, SET NX with a TTL) before it
/// is sent, so a restart, a second sender or a store that re-issues a match's state never sends it twice; a send that
/// fails after its retries is not repeated (at most once);</item>
/// <item>in order per match: a match's alerts go through one queue, each sent to every follower before the next starts,
/// and an update behind the match's last (epoch, seq) is dropped;</item>
/// <item>bounded: at most <see cref="PushOptions.MaxConcurrentPushes"/> pushes in flight over all matches.</item>
/// </list>
/// A missed pub/sub message is not replayed: its alert is lost (alerts are not a record; the pages are).
/// </summary>
internal sealed class AlertSender(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    PushLease lease,
    SubscriptionStore store,
    PushDelivery delivery,
    WebMetrics metrics,
    IOptions<PushOptions> options,
    TimeProvider time,
    ILogger<AlertSender> logger) : BackgroundService
{
    /// <summary>Matches not updated for this long are forgotten (past <see cref="LastKept"/> of them): a late update of
    /// one is then taken as new, and its alerts' claims still keep them from going twice.</summary>
    private static readonly TimeSpan LastIdle = TimeSpan.FromHours(6);
    private const int LastKept = 4096;

    private readonly Dictionary<string, (string Epoch, long Seq, DateTimeOffset At)> _last = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _pushes = new(options.Value.MaxConcurrentPushes, options.Value.MaxConcurrentPushes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var leaseLoop = lease.RunAsync(stoppingToken);
        try
        {
            var queue = await SubscribeAsync(stoppingToken).ConfigureAwait(false);
            // One message at a time, in the order published: the per-match order starts here.
            queue.OnMessage(message => OnMessageAsync(message.Message));
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await leaseLoop.ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Task[] tails;
        lock (_tails)
        {
            tails = [.. _tails.Values];
        }
        // Alerts already claimed are sent if they can be within the shutdown timeout.
        await Task.WhenAll(tails).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (redis.IsConnected)
        {
            try
            {
                await redis.GetSubscriber().UnsubscribeAsync(keys.UpdatesChannel).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
            {
            }
        }
    }

    private async Task<ChannelMessageQueue> SubscribeAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                return await redis.GetSubscriber().SubscribeAsync(keys.UpdatesChannel).ConfigureAwait(false);
            }
            catch (RedisException e)
            {
                WebLog.AlertSubscribeFailed(logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    internal Task OnMessageAsync(RedisValue message)
    {
        if (!lease.IsHeld)
        {
            return Task.CompletedTask;
        }
        if (!UpdateEnvelope.TryParse(((ReadOnlyMemory<byte>)message).Span, out var update, out var topics, out var error))
        {
            WebLog.AlertBadEnvelope(logger, error);
            return Task.CompletedTask;
        }
        if (!Advance(update))
        {
            metrics.UpdateSkipped("older");
            return Task.CompletedTask;
        }
        foreach (var alert in AlertDecision.Decide(update, topics))
        {
            Enqueue(alert);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// True if <paramref name="update"/> is after the match's last one seen; false for an older (or the same) one. A new
    /// epoch starts over (the store re-issued the match): what it repeats is caught by the claims.
    /// </summary>
    private bool Advance(MatchUpdate update)
    {
        if (_last.TryGetValue(update.MatchId, out var last) && last.Epoch == update.Epoch && update.Seq <= last.Seq)
        {
            return false;
        }
        var now = time.GetUtcNow();
        _last[update.MatchId] = (update.Epoch, update.Seq, now);
        if (_last.Count > LastKept)
        {
            foreach (var idle in _last.Where(l => now - l.Value.At > LastIdle).Select(l => l.Key).ToArray())
            {
                _last.Remove(idle);
            }
        }
        return true;
    }

    /// <summary>Queues the alert behind its match's earlier ones.</summary>
    private void Enqueue(Alert alert)
    {
        metrics.Queued(1);
        lock (_tails)
        {
            var previous = _tails.GetValueOrDefault(alert.Payload.MatchId) ?? Task.CompletedTask;
            _tails[alert.Payload.MatchId] = RunAfterAsync(previous, alert);
            if (_tails.Count > 1024)
            {
                foreach (var done in _tails.Where(t => t.Value.IsCompleted).Select(t => t.Key).ToArray())
                {
                    _tails.Remove(done);
                }
            }
        }
    }

    private async Task RunAfterAsync(Task previous, Alert alert)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ForceYielding);
        try
        {
            await SendAsync(alert).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // One alert that cannot be sent must not stop its match's next ones.
        catch (Exception e)
#pragma warning restore CA1031
        {
            WebLog.AlertFailed(logger, e, alert.Kind, alert.Payload.MatchId);
        }
        finally
        {
            metrics.Queued(-1);
        }
    }

    private async Task SendAsync(Alert alert)
    {
        var db = redis.GetDatabase();
        var matchId = alert.Payload.MatchId;
        if (alert.Kind == AlertDecision.GoalDisallowed
            && !await db.KeyExistsAsync(keys.PushSent(matchId, AlertDecision.Goal, alert.EventId)).ConfigureAwait(false))
        {
            metrics.UpdateSkipped("not-alerted");
            return; // its goal was never alerted: nothing to take back
        }
        var claimed = await db.StringSetAsync(keys.PushSent(matchId, alert.Kind, alert.EventId), lease.Holder,
            options.Value.DedupeWindow, When.NotExists).ConfigureAwait(false);
        if (!claimed)
        {
            metrics.UpdateSkipped("duplicate");
            return;
        }
        metrics.AlertClaimed(alert.Kind);
        var followers = await store.FollowersAsync(matchId, alert.TeamIds).ConfigureAwait(false);
        await Task.WhenAll(followers.Select(f => PushAsync(f, alert))).ConfigureAwait(false);
        WebLog.AlertSent(logger, alert.Kind, matchId, alert.Payload.Epoch, alert.Payload.Seq, followers.Count);
    }

    private async Task PushAsync(StoredSubscription subscription, Alert alert)
    {
        await _pushes.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var (outcome, reason, status) = await delivery.SendAsync(subscription, alert, CancellationToken.None).ConfigureAwait(false);
            metrics.Pushed(alert.Kind, outcome.ToString().ToLowerInvariant());
            switch (outcome)
            {
                case PushOutcome.Sent:
                    metrics.Latency(time.GetUtcNow().ToUnixTimeMilliseconds() - alert.CommittedAtMs);
                    break;
                case PushOutcome.Gone:
                    await store.RemoveAsync(subscription.Id).ConfigureAwait(false);
                    metrics.SubscriptionRemoved("gone");
                    WebLog.PushSubscriptionGone(logger, subscription.Id, status);
                    break;
                default:
                    WebLog.PushFailed(logger, alert.Kind, alert.Payload.MatchId, subscription.Id, reason ?? "");
                    break;
            }
        }
        finally
        {
            _pushes.Release();
        }
    }
}
