using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;
using StackExchange.Redis;
using StreamPosition = ScoreFeed.Contract.StreamPosition;

namespace ScoreFeed.Hub.Fanout;

/// <summary>
/// Delivers updates to this hub's connections. Ingest publishes each committed update ONCE on
/// <see cref="RedisKeys.UpdatesChannel"/> (<see cref="UpdateEnvelope"/>); each hub holds one subscription to it, and for
/// each update serializes one frame per protocol and writes those same bytes to every local connection of the update's
/// topics — once per connection, even when it holds several of them — through the connection's
/// <see cref="IFrameSink"/>, which never waits for a socket.
/// <para>
/// Pub/sub delivers at most once, so the hub keeps each match's last seq: an update that skips ahead makes it read what
/// it missed from the match's history first; after its subscription comes back, and every
/// <see cref="ScoresHubOptions.ReconcileInterval"/>, it compares the matches its connections follow with Redis and sends
/// what it did not receive. Clients drop what they already hold by seq; what they missed reaches them without waiting
/// for a later update to reveal a gap (a final whistle has none).
/// </para>
/// </summary>
internal sealed class UpdateFanout : BackgroundService
{
    internal static readonly object MemberKey = new();

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly MatchStore _store;
    private readonly IHubProtocol[] _protocols;
    private readonly HubMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ScoresHubOptions _options;
    private readonly ILogger<UpdateFanout> _logger;
    private readonly LocalTopics _topics = new();
    private readonly RecentUpdates _recent;

    // Everything below belongs to the loop: one update, reconcile or catch-up at a time (_turn).
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Dictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);
    private long _stamp;
    private volatile bool _subscriptionLost;

    public UpdateFanout(IConnectionMultiplexer redis, RedisKeys keys, MatchStore store, IEnumerable<IHubProtocol> protocols,
        HubMetrics metrics, TimeProvider time, IOptions<ScoresHubOptions> options, ILogger<UpdateFanout> logger)
    {
        (_redis, _keys, _store, _metrics, _time, _options, _logger) = (redis, keys, store, metrics, time, options.Value, logger);
        _protocols = [.. protocols];
        _recent = new RecentUpdates(_options.RecentUpdatesPerMatch, _time);
    }

    /// <summary>
    /// For a client resuming a match at <paramref name="position"/>, after it joined the match's topics: the updates it
    /// missed, if this hub still holds them all in memory (<see cref="RecentUpdates"/>).
    /// </summary>
    public bool TryRecover(string matchId, StreamPosition position, out IReadOnlyList<MatchUpdate> missed) =>
        _recent.TryGetAfter(matchId, position, out missed);

    /// <summary>Makes the connection known to the fan-out (after the handshake: its protocol is settled).</summary>
    public FanoutMember Register(HubCallerContext context)
    {
        var sink = context.Features.Get<IFrameSink>()
            ?? throw new InvalidOperationException($"Connection {context.ConnectionId} has no {nameof(IFrameSink)}: map the hub with MapScoresHub.");
        var format = context.Features.Get<ITransferFormatFeature>()?.ActiveFormat ?? TransferFormat.Text;
        var protocol = Array.FindIndex(_protocols, p => p.TransferFormat == format);
        var member = new FanoutMember(context.ConnectionId, sink, protocol < 0 ? 0 : protocol);
        context.Items[MemberKey] = member;
        return member;
    }

    public static FanoutMember MemberOf(HubCallerContext context) =>
        context.Items.TryGetValue(MemberKey, out var value) && value is FanoutMember member
            ? member
            : throw new InvalidOperationException($"Connection {context.ConnectionId} is not registered with the fan-out.");

    /// <summary>True if the connection joined <paramref name="topic"/> now (false: it held it already, or it is gone).</summary>
    public bool Join(FanoutMember member, string topic) => _topics.Join(member, topic);

    /// <summary>True if the connection held <paramref name="topic"/>.</summary>
    public bool Leave(FanoutMember member, string topic) => _topics.Leave(member, topic);

    /// <summary>After a disconnect: the connection leaves every topic and joins none after; returns what it held.</summary>
    public string[] Remove(FanoutMember member) => _topics.Remove(member);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            var queue = await SubscribeAsync(stoppingToken).ConfigureAwait(false);
            queue.OnMessage(async message =>
            {
                try
                {
                    await OnMessageAsync(message.Message).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // One update that cannot be delivered must not stop the ones after it.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    HubLog.DeliveryFailed(_logger, e);
                }
            });
            using var timer = new PeriodicTimer(_options.ReconcileInterval, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await ReconcileAsync("interval", stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _redis.ConnectionFailed -= OnConnectionFailed;
            _redis.ConnectionRestored -= OnConnectionRestored;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_redis.IsConnected)
        {
            return;
        }
        try
        {
            await _redis.GetSubscriber().UnsubscribeAsync(_keys.UpdatesChannel).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            // Redis is going away as the hub stops: the subscription ends with the connection anyway.
            HubLog.UnsubscribeFailed(_logger, e.Message);
        }
    }

    /// <summary>Subscribes in the background so that a hub starts (and reports not ready) while Redis is down.</summary>
    private async Task<ChannelMessageQueue> SubscribeAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                // Once made, StackExchange.Redis restores the subscription after every reconnect by itself.
                return await _redis.GetSubscriber().SubscribeAsync(_keys.UpdatesChannel).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _subscriptionLost = true;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription && _subscriptionLost)
        {
            _subscriptionLost = false;
            HubLog.SubscriptionBack(_logger);
            // Once now, and once more when the re-subscription has surely been sent: what was published before it took
            // effect is in Redis either way.
            _ = Task.Run(async () =>
            {
                await ReconcileAsync("reconnect", CancellationToken.None).ConfigureAwait(false);
                await Task.Delay(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
                await ReconcileAsync("reconnect", CancellationToken.None).ConfigureAwait(false);
            });
        }
    }

    /// <summary>One message of the updates channel: delivered, after what pub/sub skipped of its match (read from history).</summary>
    internal async Task OnMessageAsync(RedisValue message)
    {
        if (!UpdateEnvelope.TryParse(((ReadOnlyMemory<byte>)message).Span, out var update, out var topics, out var error))
        {
            _metrics.FanoutRejected();
            HubLog.BadEnvelope(_logger, error);
            return;
        }
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_tracked.TryGetValue(update.MatchId, out var last) && last.Epoch == update.Epoch)
            {
                if (update.Seq <= last.Seq)
                {
                    return; // published twice (a publish retried after a timeout): connections have it
                }
                if (update.Seq > last.Seq + 1 && _topics.AnyHeld(topics))
                {
                    await FillAsync(update.MatchId, last, update.Seq - 1).ConfigureAwait(false);
                }
            }
            Deliver(update, topics);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The gap could not be read: deliver anyway; clients see the gap and recover it themselves.
            HubLog.GapFillFailed(_logger, e, update.MatchId);
            Deliver(update, topics);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Sends the updates after <paramref name="from"/> up to <paramref name="upTo"/> from the match's history.</summary>
    private async Task FillAsync(string matchId, Tracked from, long upTo)
    {
        var read = await _store.ReadAsync(matchId, new StreamPosition { Epoch = from.Epoch, Seq = from.Seq }).ConfigureAwait(false);
        if (read is not { Mode: ReadMode.Recover })
        {
            return;
        }
        var filled = DeliverMissed(read.Missed.Where(u => u.Seq <= upTo));
        if (filled > 0)
        {
            _metrics.FanoutFilled(filled);
            HubLog.GapFilled(_logger, filled, matchId);
        }
    }

    /// <summary>
    /// Compares every followed match with Redis and sends what pub/sub did not bring: the missed updates of the same
    /// epoch, or the newest update of a new epoch (clients re-snapshot on it). Redis is read without holding up the
    /// delivery of new updates: positions first (one pipelined HMGET each), then the history of the matches behind;
    /// what arrived meanwhile is not sent twice.
    /// </summary>
    private async Task ReconcileAsync(string why, CancellationToken cancellationToken)
    {
        try
        {
            Dictionary<string, Tracked> followed;
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var idleSince = _time.GetUtcNow() - TimeSpan.FromHours(1);
                foreach (var stale in _tracked.Where(t => t.Value.SeenAt < idleSince).Select(t => t.Key).ToList())
                {
                    _tracked.Remove(stale);
                }
                followed = _tracked.Where(t => _topics.AnyHeld(t.Value.Topics)).ToDictionary(StringComparer.Ordinal);
            }
            finally
            {
                _turn.Release();
            }
            if (followed.Count == 0)
            {
                return;
            }
            var heads = await _store.PositionsAsync(followed.Keys).ConfigureAwait(false);
            var behind = heads.Where(h => h.Value.Epoch != followed[h.Key].Epoch || h.Value.Seq > followed[h.Key].Seq)
                .Select(h => (h.Key, (StreamPosition?)new StreamPosition
                {
                    // Same epoch: what follows the hub's last. New epoch: its newest update only.
                    Epoch = h.Value.Epoch,
                    Seq = h.Value.Epoch == followed[h.Key].Epoch ? followed[h.Key].Seq : Math.Max(0, h.Value.Seq - 1),
                }))
                .ToList();
            if (behind.Count == 0)
            {
                return;
            }
            var reads = await _store.ReadManyAsync(behind).ConfigureAwait(false);
            int sent;
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                sent = DeliverMissed(reads.Where(r => r.Mode == ReadMode.Recover).SelectMany(r => r.Missed));
            }
            finally
            {
                _turn.Release();
            }
            if (sent > 0)
            {
                _metrics.FanoutFilled(sent);
                HubLog.Reconciled(_logger, why, sent);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            HubLog.ReconcileFailed(_logger, e, why);
        }
    }

    /// <summary>
    /// Positions a Subscribe read from Redis, for the matches the hub has had no update of since it started (or for an
    /// hour): from now on its checks against Redis cover them too. Without this, an update of such a match that pub/sub
    /// lost reached its subscribers only with the match's next update, and a last one (a final whistle) never.
    /// </summary>
    public async Task KnowAsync(IEnumerable<MatchState> states)
    {
        await _turn.WaitAsync().ConfigureAwait(false);
        try
        {
            foreach (var state in states)
            {
                _tracked.TryAdd(state.MatchId, new Tracked(state.Epoch, state.Seq, state.Status, UpdateEnvelope.TopicsOf(state, ""), _time.GetUtcNow()));
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// Under <see cref="_turn"/>: updates read from history, in seq order per match; those the hub sent already (pub/sub
    /// may have brought them since they were read) are skipped. Returns how many were sent.
    /// </summary>
    private int DeliverMissed(IEnumerable<MatchUpdate> updates)
    {
        var sent = 0;
        foreach (var update in updates)
        {
            var last = _tracked.GetValueOrDefault(update.MatchId);
            if (last is not null && last.Epoch == update.Epoch && update.Seq <= last.Seq)
            {
                continue;
            }
            Deliver(update, UpdateEnvelope.TopicsFor(update, last?.Status ?? ""));
            sent++;
        }
        return sent;
    }

    /// <summary>Under <see cref="_turn"/>.</summary>
    private void Deliver(MatchUpdate update, string[] topics)
    {
        var stamp = ++_stamp;
        // Kept before the members are taken: a connection joining now either is among them or finds it kept.
        _recent.Add(update);
        var frames = new ReadOnlyMemory<byte>[_protocols.Length];
        long delivered = 0;
        foreach (var topic in topics)
        {
            foreach (var member in _topics.MembersOf(topic))
            {
                if (member.Stamp == stamp)
                {
                    continue;
                }
                member.Stamp = stamp;
                var frame = frames[member.Protocol];
                if (frame.IsEmpty)
                {
                    frame = frames[member.Protocol] = _protocols[member.Protocol].GetMessageBytes(new InvocationMessage(ClientMethods.Update, [update]));
                }
                try
                {
                    member.Sink.Write(frame);
                    member.Usage?.Delivered(frame.Length);
                    delivered++;
                }
                catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
                {
                    // That connection is closing; the others go on.
                    HubLog.SinkWriteFailed(_logger, e, member.ConnectionId);
                }
            }
        }
        _tracked[update.MatchId] = new Tracked(update.Epoch, update.Seq, update.State.Status, topics, _time.GetUtcNow());
        if (delivered > 0)
        {
            _metrics.Delivered(delivered);
        }
    }

    public override void Dispose()
    {
        _turn.Dispose();
        base.Dispose();
    }

    private sealed record Tracked(string Epoch, long Seq, string Status, string[] Topics, DateTimeOffset SeenAt);
}
