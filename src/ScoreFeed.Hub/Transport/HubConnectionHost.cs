using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.WebUtilities;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Runs SignalR's hub (<see cref="HubConnectionHandler{THub}"/>: handshake, invocations, pings, filters) on the
/// connections the transport accepted, and keeps them: the registry, SignalR's heartbeat (keep-alive pings and the client
/// timeout, as its connection manager runs them), a close frame to every client when the hub stops, and the close of
/// each connection when the hub is done with it.
/// </summary>
internal sealed class HubConnectionHost : IDisposable
{
    private const int BufferTrimTicks = 30;

    /// <summary>How long the client has to answer the hub's close frame before the connection is cut.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    private readonly HubConnectionHandler<ScoresHub> _hub;
    private readonly FrameBufferPool _buffers;
    private readonly TransportMetrics _metrics;
    private readonly ConcurrentDictionary<string, HubWebSocketConnection> _connections = new(StringComparer.Ordinal);
    private readonly ITimer _heartbeat;
    private int _ticks;

    public HubConnectionHost(HubConnectionHandler<ScoresHub> hub, FrameBufferPool buffers, TransportMetrics metrics, TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        (_hub, _buffers, _metrics) = (hub, buffers, metrics);
        // SignalR's keep-alive pings and client timeout run on this tick, as its connection manager's do.
        _heartbeat = time.CreateTimer(static host => ((HubConnectionHost)host!).Tick(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        // Stopping: every client gets a close frame at once and reconnects to another hub while this one drains.
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in _connections.Values)
            {
                _ = connection.Client.CloseAsync(WebSocketCloseStatus.EndpointUnavailable);
            }
        });
    }

    public static string NewConnectionId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    /// <summary>SignalR's messages and the fan-out's updates go through <paramref name="writer"/>.</summary>
    public static void Attach(HubWebSocketConnection connection, SocketWriter writer)
    {
        writer.Bind(connection, connection);
        connection.Transport = new DuplexPipe(connection.Input.Reader, writer);
        connection.Features.Set<IFrameSink>(writer);
    }

    /// <summary>Runs SignalR's hub on <paramref name="connection"/> until it ends, then closes the connection.</summary>
    public async Task RunAsync(HubWebSocketConnection connection)
    {
        _connections[connection.ConnectionId] = connection;
        var receiving = connection.Client.ReceiveAsync(connection.Input.Writer);
        try
        {
            await _hub.OnConnectedAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport.Output.Complete();
            // A close frame, then the client's answer ends the receive loop. Each waits CloseTimeout at most: a client
            // that stopped reading (its close frame sent, or its FIN) would otherwise hold the socket and everything
            // pending for it as long as it likes, no longer counted anywhere (issue 15). Past it, the socket is cut.
            var closing = connection.Client.CloseAsync(WebSocketCloseStatus.NormalClosure);
            var closed = true;
            try
            {
                await closing.WaitAsync(CloseTimeout).ConfigureAwait(false);
                await receiving.WaitAsync(CloseTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                closed = false;
            }
            // Still unsent (the managed socket gives up on its close by itself, with the data still queued): cut too.
            var writer = connection.Features.Get<IFrameSink>() as SocketWriter;
            if (!closed || writer is { Drained: false })
            {
                _metrics.CloseCut();
                writer?.Reset();
                connection.Client.Cut();
                await receiving.WaitAsync(CloseTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await closing.WaitAsync(CloseTimeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            connection.Client.Abort();
        }
    }

    /// <summary>Once a second: every connection's heartbeat; every half minute, write buffers nobody needed go back to the collector.</summary>
    internal void Tick()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Tick();
        }
        if (Interlocked.Increment(ref _ticks) % BufferTrimTicks == 0)
        {
            _buffers.Trim();
        }
    }

    public void Dispose() => _heartbeat.Dispose();
}
