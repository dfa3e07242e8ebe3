using System.Diagnostics.Metrics;
using ScoreFeed.Realtime;

namespace ScoreFeed.Hub.Transport;

/// <summary>The hub's own WebSocket transport, on the hub's meter (<see cref="HubMetrics.MeterName"/>).</summary>
internal sealed class TransportMetrics
{
    private readonly Counter<long> _sends;
    private readonly Counter<long> _heldRounds;

    public TransportMetrics(IMeterFactory meterFactory, FrameBufferPool pool)
    {
        var meter = meterFactory.Create(HubMetrics.MeterName);
        _sends = meter.CreateCounter<long>("scorefeed.hub.socket.sends",
            description: "Socket sends of the hub's own WebSocket transport (each carries one or more frames: compare with updates delivered)");
        _heldRounds = meter.CreateCounter<long>("scorefeed.hub.socket.held_rounds",
            description: "Rounds of sends held back (up to Hub:SendBatchWindow) because the round before was busy");
        meter.CreateObservableGauge("scorefeed.hub.socket.pooled_buffer_bytes", () => pool.Held().Bytes, unit: "By",
            description: "Bytes of write buffers kept for connections' next frames");
    }

    public void Sent(int sends) => _sends.Add(sends);

    public void Held() => _heldRounds.Add(1);
}
