using System.Diagnostics.Metrics;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Protection;

/// <summary>Admission and slow-consumer counts, on the hub's meter (<see cref="HubMetrics.MeterName"/>).</summary>
internal sealed class ProtectionMetrics
{
    private readonly Counter<long> _limited;
    private readonly Counter<long> _queued;
    private readonly Counter<long> _slow;

    public ProtectionMetrics(IMeterFactory meterFactory)
    {
        // The factory hands out the same Meter for the same name: these series sit beside HubMetrics' own.
        var meter = meterFactory.Create(HubMetrics.MeterName);
        _limited = meter.CreateCounter<long>("scorefeed.hub.connections.limited", description: "New connections turned away by a connection limit, by reason (address, key, busy)");
        _queued = meter.CreateCounter<long>("scorefeed.hub.connections.queued", description: "New connections that waited for the hub's admission rate");
        _slow = meter.CreateCounter<long>("scorefeed.hub.slow_consumers.disconnected", description: "Connections disconnected because they did not read their updates, by reason (bytes, stall)");
    }

    public void Limited(string reason) => _limited.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Queued() => _queued.Add(1);

    public void SlowConsumer(string reason) => _slow.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
