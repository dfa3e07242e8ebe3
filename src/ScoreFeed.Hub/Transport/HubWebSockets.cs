using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Protection;
using ScoreFeed.Hub.Fanout;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The WebSocket transport for clients that skip negotiation (every ScoreFeed client, the widget included): the hub
/// itself is SignalR's (<see cref="HubConnectionHandler{THub}"/>: handshake, invocations, pings, filters), but the
/// connection under it is ours. SignalR's own transport puts a pipe and a send loop between the hub and the socket, one
/// thread-pool hop per message and an <c>HttpConnectionContext</c> with two pipes per connection. Here, over HTTP/1.1 on
/// Kestrel's sockets, a message is framed in place by the connection's <see cref="SocketWriter"/> and sent by a
/// per-core <see cref="SendQueue"/>; elsewhere (HTTP/2, another server) it goes from the slow-consumer guard into
/// <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/>. What the
/// client sends is copied into one small pipe. A connection whose first request is a hub handshake does not even reach
/// HTTP/1.1 (<see cref="OnConnectionAsync"/>): the hub reads the handshake and the client's frames itself.
/// Negotiated connections (a connection id in the query), server-sent events and long polling keep SignalR's transports.
/// </summary>
internal sealed class HubWebSockets : IDisposable
{
    private const int BufferTrimTicks = 30;

    /// <summary>How long the client has to answer the hub's close frame before the connection is cut.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a new connection may take to send its first request head before HTTP/1.1 waits for it instead.</summary>
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(10);

    // No keep-alive frames of its own: SignalR's pings keep the connection alive and find a dead one.
    private static readonly WebSocketCreationOptions SocketOptions = new() { IsServer = true, KeepAliveInterval = TimeSpan.Zero };

    // The user of every connection that opened without HTTP/1.1: the hub has no sign-in (partners are told by their key).
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private readonly HubConnectionHandler<ScoresHub> _hub;
    private readonly SlowConsumerGuard _guard;
    private readonly ILogger<HubWebSockets> _logger;
    private readonly ConcurrentDictionary<string, HubWebSocketConnection> _connections = new(StringComparer.Ordinal);
    private readonly Timer _heartbeat;
    private readonly SendQueue[] _sendQueues;
    private readonly FrameBufferPool _buffers;
    private readonly TransportMetrics _metrics;
    private readonly bool _direct;
    private readonly ConnectionAdmission _admission;
    private readonly ForwardedHeadersMiddleware? _forwarded;
    private int _accepted;
    private int _ticks;

    public HubWebSockets(HubConnectionHandler<ScoresHub> hub, SlowConsumerGuard guard, IOptions<ScoresHubOptions> options,
        FrameBufferPool buffers, TransportMetrics metrics, ConnectionAdmission admission, IConfiguration configuration,
        IOptions<ForwardedHeadersOptions> forwarded, ILoggerFactory loggers, IHostApplicationLifetime lifetime, ILogger<HubWebSockets> logger)
    {
        (_hub, _guard, _admission, _logger) = (hub, guard, admission, logger);
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED puts the forwarded-headers middleware in front of HTTP/1.1's requests; the
        // handshakes read here get the same (the client's address behind a proxy, for the per-address limit).
        _forwarded = string.Equals(configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase)
            ? new ForwardedHeadersMiddleware(_ => Task.CompletedTask, loggers, forwarded)
            : null;
        _direct = options.Value.DirectSockets;
        (_buffers, _metrics) = (buffers, metrics);
        _sendQueues = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new SendQueue(options.Value.SendBatchWindow, options.Value.SendBatchRound, metrics))];
        // SignalR's keep-alive pings and client timeout run on this tick, as its connection manager's do.
        _heartbeat = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        // Stopping: every client gets a close frame at once and reconnects to another hub while this one drains.
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var connection in _connections.Values)
            {
                _ = connection.Client.CloseAsync(WebSocketCloseStatus.EndpointUnavailable);
            }
        });
    }

    /// <summary>
    /// True for a WebSocket request to the hub without a connection id (no negotiation); SignalR's endpoint takes
    /// the others. <see cref="HttpContext.WebSockets"/> needs the WebSockets middleware in front.
    /// </summary>
    public static bool Handles(HttpContext context) =>
        HubRoute.Classify(context.Request.Path) == HubRequest.Connect
        && context.WebSockets.IsWebSocketRequest
        && !context.Request.Query.ContainsKey("id");

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!Handles(context))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        // A hub handshake that was not a connection's first request, or that OnConnectionAsync left to HTTP/1.1.
        // Over plain HTTP/1.1 on a Kestrel socket, ScoreFeed answers the upgrade itself and keeps the socket: what the
        // connection sends is framed in place and leaves through a SocketWriter; .NET's WebSocket reads what the client
        // sends and writes only its control frames (pongs, close), through the same writer. Otherwise (TLS, another
        // server, HTTP/2, Hub:DirectSockets off) the WebSockets middleware accepts and its WebSocket sends.
        var direct = _direct
            // Over TLS the socket carries records, not frames: TLS writes, through the WebSocket's own sends.
            && !context.Request.IsHttps
            && context.Features.Get<IConnectionSocketFeature>()?.Socket is { } tcp
            && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            ? (Writer: NewWriter(tcp), Upgrade: upgrade)
            : default;
        using var socket = direct.Writer is null
            ? await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false)
            : WebSocket.CreateFromStream(
                new ControlFrameStream(await UpgradeAsync(context, direct.Upgrade).ConfigureAwait(false), direct.Writer),
                SocketOptions);
        var connection = new HubWebSocketConnection(NewConnectionId(), new ManagedClientSocket(socket, _logger), context.User,
            LocalEndPoint(context), RemoteEndPoint(context),
            context.Request.Query[ConnectionAdmission.KeyParameter].ToString(), context.Request.Headers.Origin.ToString())
        {
            HttpContext = context,
        };
        if (direct.Writer is { } writer)
        {
            Attach(connection, writer);
        }
        else
        {
            connection.Transport = new DuplexPipe(connection.Input.Reader, new WebSocketWriter(socket, connection));
            _guard.Attach(connection, connection.Transport.Output);
        }
        _metrics.Accepted(beforeHttp: false);
        await RunAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Kestrel's connection middleware, before HTTP/1.1: when a connection's first request is a hub handshake that skips
    /// negotiation (<see cref="HubUpgradeRequest"/>: every ScoreFeed client's), the hub admits it
    /// (<see cref="ConnectionAdmission"/>, as the HTTP pipeline would), answers the upgrade and serves the WebSocket on
    /// the connection's own pipes and socket, with none of HTTP/1.1's per-request state held for the connection's life
    /// (about a quarter of an idle connection's memory). Anything else — other requests, other transports, a head
    /// this parser leaves alone — goes on to HTTP/1.1 unread.
    /// </summary>
    public async Task OnConnectionAsync(ConnectionContext transport, ConnectionDelegate next)
    {
        // Before TLS, a TLS connection's bytes are a handshake this reader does not take; after it (were the middleware
        // ever put there), the socket carries TLS records the hub must not write past.
        if (!_direct || transport.Features.Get<ITlsConnectionFeature>() is not null
            || transport.Features.Get<IConnectionSocketFeature>()?.Socket is not { } tcp
            || await ReadUpgradeAsync(transport).ConfigureAwait(false) is not { } request)
        {
            await next(transport).ConfigureAwait(false);
            return;
        }
        var remote = ClientEndPoint(transport, request);
        AdmissionRefusal? refusal;
        try
        {
            refusal = await _admission.AdmitAsync(remote?.Address.ToString(), request.Key, transport.ConnectionClosed).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client left while it waited its turn.
            return;
        }
        if (refusal is not null)
        {
            await RefuseAsync(transport.Transport.Output, refusal).ConfigureAwait(false);
            return;
        }
        // The answer, then frames: all of it through the connection's writer; the client's frames are read off the pipe.
        var writer = NewWriter(tcp);
        await writer.ControlFrame(SwitchingProtocols(request.WebSocketKey), close: false).ConfigureAwait(false);
        var connection = new HubWebSocketConnection(NewConnectionId(), new FrameClientSocket(transport, writer), Anonymous,
            transport.LocalEndPoint, remote, request.Key, request.Origin);
        Attach(connection, writer);
        _metrics.Accepted(beforeHttp: true);
        await RunAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// The connection's first request head if it is a hub handshake, consumed; otherwise null with nothing consumed,
    /// for HTTP/1.1 to read (a head that came in pieces is handed over through a reader that returns it at once).
    /// </summary>
    private static async Task<HubUpgradeRequest?> ReadUpgradeAsync(ConnectionContext transport)
    {
        var input = transport.Transport.Input;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(transport.ConnectionClosed);
        timeout.CancelAfter(HeadTimeout);
        var examined = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // No whole head in time (or the connection closed): HTTP/1.1 reads what came with what comes next,
                // under its own timeouts.
                return null;
            }
            var buffer = result.Buffer;
            var parse = HubUpgradeRequest.TryParse(buffer, out var request);
            if (parse == UpgradeParse.Ours)
            {
                input.AdvanceTo(buffer.GetPosition(request!.Length));
                return request;
            }
            if (parse == UpgradeParse.NeedMore && !result.IsCompleted)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                examined = true;
                continue;
            }
            if (examined)
            {
                // Once examined, these bytes would come back only with more: HTTP/1.1's first read gets this read's result.
                transport.Transport = new DuplexPipe(new ReplayingReader(input, result), transport.Transport.Output);
            }
            else
            {
                input.AdvanceTo(buffer.Start);
            }
            return null;
        }
    }

    /// <summary>The client's address and port: the connection's peer, or behind a proxy what its forwarded headers say.</summary>
    private IPEndPoint? ClientEndPoint(ConnectionContext transport, HubUpgradeRequest request)
    {
        var peer = transport.RemoteEndPoint as IPEndPoint;
        if (_forwarded is null || request.Forwarded.Count == 0)
        {
            return peer;
        }
        var http = new DefaultHttpContext();
        (http.Connection.RemoteIpAddress, http.Connection.RemotePort) = (peer?.Address, peer?.Port ?? 0);
        foreach (var (name, value) in request.Forwarded)
        {
            http.Request.Headers.Append(name, value);
        }
        _forwarded.ApplyForwarders(http);
        return http.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, http.Connection.RemotePort) : null;
    }

    private static async Task RefuseAsync(PipeWriter output, AdmissionRefusal refusal)
    {
        var body = Encoding.UTF8.GetBytes(refusal.Detail);
        var head = $"HTTP/1.1 {refusal.Status} {ReasonPhrases.GetReasonPhrase(refusal.Status)}\r\nContent-Type: {AdmissionRefusal.ContentType}\r\n"
            + $"Content-Length: {body.Length}\r\nRetry-After: {refusal.RetryAfterSeconds}\r\nConnection: close\r\n\r\n";
        await output.WriteAsync(Encoding.ASCII.GetBytes(head)).ConfigureAwait(false);
        await output.WriteAsync(body).ConfigureAwait(false);
    }

    private static byte[] SwitchingProtocols(string webSocketKey) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {AcceptKey(webSocketKey)}\r\n\r\n");

    private SocketWriter NewWriter(Socket tcp) =>
        new(_guard, tcp, _sendQueues[(int)((uint)Interlocked.Increment(ref _accepted) % _sendQueues.Length)], _buffers);

    private static IPEndPoint? LocalEndPoint(HttpContext context) =>
        context.Connection.LocalIpAddress is { } local ? new IPEndPoint(local, context.Connection.LocalPort) : null;

    private static IPEndPoint? RemoteEndPoint(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } remote ? new IPEndPoint(remote, context.Connection.RemotePort) : null;

    /// <summary>SignalR's messages and the fan-out's updates go through <paramref name="writer"/>.</summary>
    private static void Attach(HubWebSocketConnection connection, SocketWriter writer)
    {
        writer.Bind(connection, connection);
        connection.Transport = new DuplexPipe(connection.Input.Reader, writer);
        connection.Features.Set<IFrameSink>(writer);
    }

    /// <summary>Runs SignalR's hub on <paramref name="connection"/> until it ends, then closes the connection.</summary>
    private async Task RunAsync(HubWebSocketConnection connection)
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

    /// <summary>
    /// The server's side of the WebSocket handshake (RFC 6455 §4.2.2), as the WebSockets middleware answers it; the
    /// middleware checked the request (<see cref="WebSocketManager.IsWebSocketRequest"/>: method, headers, version, key).
    /// </summary>
    private static Task<Stream> UpgradeAsync(HttpContext context, IHttpUpgradeFeature upgrade)
    {
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        return upgrade.UpgradeAsync();
    }

    /// <summary><c>Sec-WebSocket-Accept</c> for the client's <c>Sec-WebSocket-Key</c> (RFC 6455 §4.2.2).</summary>
    private static string AcceptKey(string key) =>
#pragma warning disable CA5350 // The protocol defines the accept key with SHA-1; it proves the handshake, it protects nothing.
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350

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

    /// <summary>
    /// The connection's input for HTTP/1.1 after <see cref="ReadUpgradeAsync"/> examined a head it did not take: the
    /// first read returns <paramref name="pending"/>, the read that ended the hub's look (not advanced past).
    /// </summary>
    private sealed class ReplayingReader(PipeReader inner, ReadResult pending) : PipeReader
    {
        private bool _replayed;

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            TryReplay(out var result) ? new ValueTask<ReadResult>(result) : inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result) => TryReplay(out result) || inner.TryRead(out result);

        private bool TryReplay(out ReadResult result)
        {
            (result, var replay) = (pending, !_replayed);
            _replayed = true;
            return replay;
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
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
