using System.Diagnostics.Metrics;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Transport;

/// <summary>The hub's own WebSocket transport, on the hub's meter (<see cref="HubMetrics.MeterName"/>).</summary>
internal sealed class TransportMetrics
{
    private readonly Counter<long> _sends;
    private readonly Counter<long> _heldRounds;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _closeCuts;

    public TransportMetrics(IMeterFactory meterFactory, FrameBufferPool pool)
    {
        var meter = meterFactory.Create(HubMetrics.MeterName);
        _sends = meter.CreateCounter<long>("scorefeed.hub.socket.sends",
            description: "Socket sends of the hub's own WebSocket transport (each carries one or more frames: compare with updates delivered)");
        _heldRounds = meter.CreateCounter<long>("scorefeed.hub.socket.held_rounds",
            description: "Rounds of sends held back (up to Hub:SendBatchWindow) because the round before was busy");
        _accepted = meter.CreateCounter<long>("scorefeed.hub.socket.accepted",
            description: "WebSocket connections the hub's own transport accepted, by who read the handshake: the hub before HTTP/1.1 (handshake=hub), or HTTP/1.1 (handshake=http)");
        _closeCuts = meter.CreateCounter<long>("scorefeed.hub.socket.close_cuts",
            description: "Connections cut because the client took neither the close frame nor answered it within 3 s (it stopped reading)");
        meter.CreateObservableGauge("scorefeed.hub.socket.pooled_buffer_bytes", () => pool.Held().Bytes, unit: "By",
            description: "Bytes of write buffers kept for connections' next frames");
    }

    public void Sent(int sends) => _sends.Add(sends);

    public void Held() => _heldRounds.Add(1);

    public void CloseCut() => _closeCuts.Add(1);

    /// <summary>A connection accepted; <paramref name="beforeHttp"/>: its handshake was read by the hub, not HTTP/1.1.</summary>
    public void Accepted(bool beforeHttp) => _accepted.Add(1, new KeyValuePair<string, object?>("handshake", beforeHttp ? "hub" : "http"));
}
