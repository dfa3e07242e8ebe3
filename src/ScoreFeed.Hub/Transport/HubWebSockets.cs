using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Realtime;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The WebSocket transport for clients that skip negotiation (every ScoreFeed client, the widget included): the hub
/// itself is SignalR's (<see cref="HubConnectionHandler{THub}"/>: handshake, invocations, pings, filters), but the
/// connection under it is ours. SignalR's own transport puts a pipe and a send loop between the hub and the socket, one
/// thread-pool hop per message and an <c>HttpConnectionContext</c> with two pipes per connection. Here, over HTTP/1.1 on
/// Kestrel's sockets, a message is framed in place by the connection's <see cref="SocketWriter"/> and sent by a
/// per-core <see cref="SendQueue"/>; elsewhere (HTTP/2, another server) it goes from the slow-consumer guard into
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>. What the
/// client sends is copied into one small pipe.
/// Negotiated connections (a connection id in the query), server-sent events and long polling keep SignalR's transports.
/// </summary>
internal sealed partial class HubWebSockets : IDisposable
{
    private const int ReceiveBufferSize = 512;
    private const int BufferTrimTicks = 30;

    private readonly HubConnectionHandler<ScoresHub> _hub;
    private readonly SlowConsumerGuard _guard;
    private readonly ILogger<HubWebSockets> _logger;
    private readonly ConcurrentDictionary<string, HubWebSocketConnection> _connections = new(StringComparer.Ordinal);
    private readonly Timer _heartbeat;
    private readonly SendQueue[] _sendQueues;
    private readonly FrameBufferPool _buffers;
    private readonly bool _direct;
    private int _accepted;
    private int _ticks;

    public HubWebSockets(HubConnectionHandler<ScoresHub> hub, SlowConsumerGuard guard, IOptions<ScoresHubOptions> options,
        FrameBufferPool buffers, TransportMetrics metrics, IHostApplicationLifetime lifetime, ILogger<HubWebSockets> logger)
    {
        (_hub, _guard, _logger) = (hub, guard, logger);
        _direct = options.Value.DirectSockets;
        _buffers = buffers;
        _sendQueues = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new SendQueue(options.Value.SendBatchWindow, options.Value.SendBatchRound, metrics))];
        // SignalR's keep-alive pings and client timeout run on this tick, as its connection manager's do.
        _heartbeat = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        // Stopping: every client gets a close frame at once and reconnects to another hub while this one drains.
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in _connections.Values)
            {
                _ = CloseAsync(connection.Socket, WebSocketCloseStatus.EndpointUnavailable);
            }
        });
    }

    /// <summary>
    /// True for a WebSocket request to the hub without a connection id (no negotiation); SignalR's endpoint takes
    /// the others. <see cref="HttpContext.WebSockets"/> needs the WebSockets middleware in front.
    /// </summary>
    public static bool Handles(HttpContext context) =>
        context.Request.Path.StartsWithSegments(ScoresHub.Path, StringComparison.Ordinal, out var rest)
        && rest.Value is null or "" or "/"
        && context.WebSockets.IsWebSocketRequest
        && !context.Request.Query.ContainsKey("id");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Handles(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        // Over HTTP/1.1 on a Kestrel socket (every browser and client on ws://), ScoreFeed answers the upgrade itself
        // and keeps the socket: what the connection sends is framed in place and leaves through a SocketWriter; the
        // WebSocket reads what the client sends and writes only its control frames (pongs, close), through the same
        // writer. Otherwise (another server, HTTP/2, Hub:DirectSockets off) the WebSockets middleware accepts and its
        // WebSocket sends.
        var direct = _direct
            && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } tcp
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            ? (Writer: new SocketWriter(_guard, tcp, _sendQueues[(int)((uint)Interlocked.Increment(ref _accepted) % _sendQueues.Length)], _buffers), Upgrade: upgrade)
            : default;
        using var socket = direct.Writer is null
            ? await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false)
            : WebSocket.CreateFromStream(
                new ControlFrameStream(await UpgradeAsync(context, direct.Upgrade).ConfigureAwait(false), direct.Writer),
                // No keep-alive frames of its own: SignalR's pings keep the connection alive and find a dead one.
                new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        // Not disposed: SignalR, the guard and the fan-out may still call Abort (which cancels ConnectionClosed on the
        // thread pool) after the connection ended; its token sources hold no timer, so the collector takes them.
        var connection = new HubWebSocketConnection(NewConnectionId(), context, socket);
        if (direct.Writer is { } writer)
        {
            writer.Bind(connection, connection);
            connection.Transport = new DuplexPipe(connection.Input.Reader, writer);
            connection.Features.Set<IFrameSink>(writer);
        }
        else
        {
            connection.Transport = new DuplexPipe(connection.Input.Reader, new WebSocketWriter(socket, connection));
            _guard.Attach(connection, connection.Transport.Output);
        }
        _connections[connection.ConnectionId] = connection;
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, context.RequestAborted);
        var receiving = ReceiveAsync(socket, connection.Input.Writer, closed.Token);
        try
        {
            await _hub.OnConnectedAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
            connection.Transport.Output.Complete();
            // A close frame, then the client's answer (or 3 s) ends the receive loop.
            await CloseAsync(socket, WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
            closed.CancelAfter(TimeSpan.FromSeconds(3));
            await receiving.ConfigureAwait(false);
            socket.Abort();
        }
    }

    /// <summary>
    /// The server's side of the WebSocket handshake (RFC 6455 §4.2.2), as the WebSockets middleware answers it; the
    /// middleware checked the request (<see cref="WebSocketManager.IsWebSocketRequest"/>: method, headers, version, key).
    /// </summary>
    private static Task<Stream> UpgradeAsync(HttpContext context, IHttpUpgradeFeature upgrade)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // The protocol defines the accept key with SHA-1; it proves the handshake, it protects nothing.
        context.Response.Headers.SecWebSocketAccept = Convert.ToBase64String(
            SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        return upgrade.UpgradeAsync();
    }

    /// <summary>What the client sends, into the pipe the hub reads; its end (close, drop, abort) completes the pipe.</summary>
    private async Task ReceiveAsync(WebSocket socket, PipeWriter input, CancellationToken closed)
    {
        var buffer = new byte[ReceiveBufferSize];
        Exception? error = null;
        try
        {
            var hubDone = false;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), closed).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (hubDone)
                {
                    // As SignalR's transport does: once the hub has closed the connection, what the client still sends
                    // before it answers the close frame is read and dropped, not answered with a reset.
                    continue;
                }
                // The hub parses messages out of the pipe and enforces Hub:MaxMessageSize there.
                var flush = await input.WriteAsync(buffer.AsMemory(0, result.Count), closed).ConfigureAwait(false);
                hubDone = flush.IsCompleted;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException e)
        {
            // The client went away without a close frame.
            error = e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely ? null : e;
        }
        catch (IOException e)
        {
            error = e;
        }
        await input.CompleteAsync(error).ConfigureAwait(false);
    }

    private async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                LogCloseFailed(_logger, e);
            }
        }
    }

    private void Tick()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Tick();
        }
        // Write buffers no connection needed in the last half minute go back to the collector.
        if (Interlocked.Increment(ref _ticks) % BufferTrimTicks == 0)
        {
            _buffers.Trim();
        }
    }

    private static string NewConnectionId() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(16));

    public void Dispose()
    {
        _heartbeat.Dispose();
        foreach (var queue in _sendQueues)
        {
            queue.Dispose();
        }
    }

    [LoggerMessage(EventId = 630, Level = LogLevel.Debug, Message = "WebSocket close did not complete")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);

    /// <summary>The connection SignalR's hub runs on: the features it asks for, and a pipe for what the client sends.</summary>
    private sealed class HubWebSocketConnection : DefaultConnectionContext, IHttpContextFeature, ITransferFormatFeature, IConnectionHeartbeatFeature
    {
        // Small segments: a pipe keeps its last segment while the connection lives, and clients send little (Subscribe,
        // pings); the default (4 KiB from the shared pool) would be most of an idle connection's cost.
        private readonly Pipe _input = new(new PipeOptions(minimumSegmentSize: ReceiveBufferSize, useSynchronizationContext: false));
        private readonly List<(Action<object> Action, object State)> _heartbeats = [];

        public HubWebSocketConnection(string id, HttpContext context, WebSocket socket)
            : base(id)
        {
            HttpContext = context;
            Socket = socket;
            User = context.User;
            LocalEndPoint = context.Connection.LocalIpAddress is { } local ? new System.Net.IPEndPoint(local, context.Connection.LocalPort) : null;
            RemoteEndPoint = context.Connection.RemoteIpAddress is { } remote ? new System.Net.IPEndPoint(remote, context.Connection.RemotePort) : null;
            Features.Set<IHttpContextFeature>(this);
            Features.Set<ITransferFormatFeature>(this);
            Features.Set<IConnectionHeartbeatFeature>(this);
        }

        public HttpContext? HttpContext { get; set; }

        public WebSocket Socket { get; }

        /// <summary>What the client sends: the receive loop writes it, the hub reads it (<see cref="ConnectionContext.Transport"/>).</summary>
        public Pipe Input => _input;

        public TransferFormat SupportedFormats => TransferFormat.Text | TransferFormat.Binary;

        public TransferFormat ActiveFormat { get; set; } = TransferFormat.Text;

        public void OnHeartbeat(Action<object> action, object state)
        {
            lock (_heartbeats)
            {
                _heartbeats.Add((action, state));
            }
        }

        public void Tick()
        {
            lock (_heartbeats)
            {
                foreach (var (action, state) in _heartbeats)
                {
                    action(state);
                }
            }
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    /// <summary>
    /// Under the slow-consumer guard (one flush at a time): what was written since the last flush leaves as one
    /// WebSocket message, text or binary after the connection's protocol. A flush that the socket cannot take at once
    /// completes when it has.
    /// </summary>
    private sealed class WebSocketWriter(WebSocket socket, ITransferFormatFeature format) : PipeWriter
    {
        private ArrayBufferWriter<byte> _buffer = new(256);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _buffer.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _buffer.GetSpan(sizeHint);

        public override void Advance(int bytes) => _buffer.Advance(bytes);

        /// <summary>
        /// A send the socket does not take (a client that stopped reading) is given up by aborting the socket; the
        /// connection then ends. (Sends take no cancellation token: with one, every send takes the WebSocket's slower path.)
        /// </summary>
        public override void CancelPendingFlush() => socket.Abort();

        // The socket is closed by the transport, after the hub is done with it.
        public override void Complete(Exception? exception = null)
        {
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            if (_buffer.WrittenCount == 0)
            {
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: socket.State != WebSocketState.Open));
            }
            ValueTask send;
            try
            {
                var type = format.ActiveFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
                send = socket.SendAsync(_buffer.WrittenMemory, type, endOfMessage: true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                Reset();
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: true));
            }
            if (send.IsCompletedSuccessfully)
            {
                Reset();
                return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
            }
            return AwaitSendAsync(send);
        }

        private async ValueTask<FlushResult> AwaitSendAsync(ValueTask send)
        {
            try
            {
                await send.ConfigureAwait(false);
                return new FlushResult(isCanceled: false, isCompleted: false);
            }
            catch (OperationCanceledException)
            {
                return new FlushResult(isCanceled: true, isCompleted: false);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
            {
                return new FlushResult(isCanceled: false, isCompleted: true);
            }
            finally
            {
                Reset();
            }
        }

        /// <summary>A buffer that grew for a large message (a Subscribe result) is not kept for the connection's life.</summary>
        private void Reset()
        {
            if (_buffer.Capacity > 4096)
            {
                _buffer = new ArrayBufferWriter<byte>(256);
            }
            else
            {
                _buffer.ResetWrittenCount();
            }
        }
    }
}
