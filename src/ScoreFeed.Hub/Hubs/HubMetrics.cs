using System.Diagnostics.Metrics;
using ScoreFeed.Contract;

namespace ScoreFeed.Hub.Hubs;

/// <summary>The hub's meter (<c>ScoreFeed.Hub</c>), exported on /metrics.</summary>
internal sealed class HubMetrics
{
    public const string MeterName = "ScoreFeed.Hub";

    private readonly UpDownCounter<long> _connections;
    private readonly UpDownCounter<long> _subscriptions;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _snapshots;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _recoveredUpdates;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _fanoutFilled;
    private readonly Counter<long> _fanoutRejected;

    public HubMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("scorefeed.hub.connections", description: "Open hub connections");
        _subscriptions = meter.CreateUpDownCounter<long>("scorefeed.hub.subscriptions", description: "Topics held by connections, by topic kind");
        _rejected = meter.CreateCounter<long>("scorefeed.hub.subscribe.rejected", description: "Topics rejected by Subscribe");
        _snapshots = meter.CreateCounter<long>("scorefeed.hub.snapshots", description: "Matches sent as full state by Subscribe");
        _recoveries = meter.CreateCounter<long>("scorefeed.hub.recoveries", description: "Matches a client resumed from history");
        _recoveredUpdates = meter.CreateCounter<long>("scorefeed.hub.recovered_updates", description: "Updates replayed from history");
        _fallbacks = meter.CreateCounter<long>("scorefeed.hub.snapshot_fallbacks", description: "Positions that could not be recovered (epoch changed or left history): full state sent");
        _delivered = meter.CreateCounter<long>("scorefeed.hub.updates.delivered", description: "Updates written to this hub's connections");
        _fanoutFilled = meter.CreateCounter<long>("scorefeed.hub.fanout.filled", description: "Updates pub/sub did not bring to this hub, read from history and sent");
        _fanoutRejected = meter.CreateCounter<long>("scorefeed.hub.fanout.rejected", description: "Messages on the updates channel that were not a valid update");
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void Subscribed(TopicKind kind, int delta) => _subscriptions.Add(delta, new KeyValuePair<string, object?>("kind", kind.ToString().ToLowerInvariant()));

    public void Rejected(int count) => _rejected.Add(count);

    public void Snapshot(bool fallback)
    {
        _snapshots.Add(1);
        if (fallback)
        {
            _fallbacks.Add(1);
        }
    }

    public void Recovered(int updates)
    {
        _recoveries.Add(1);
        _recoveredUpdates.Add(updates);
    }

    public void Delivered(long count) => _delivered.Add(count);

    public void FanoutFilled(int count) => _fanoutFilled.Add(count);

    public void FanoutRejected() => _fanoutRejected.Add(1);
}
