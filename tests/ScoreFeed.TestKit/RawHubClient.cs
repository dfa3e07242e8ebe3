using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using ScoreFeed.Contract;

namespace ScoreFeed.Testing;

/// <summary>One whole WebSocket message: its type and bytes (valid until the client's next receive).</summary>
internal readonly record struct RawMessage(WebSocketMessageType Type, ReadOnlyMemory<byte> Data)
{
    public bool IsClose => Type == WebSocketMessageType.Close;

    public string Text => Encoding.UTF8.GetString(Data.Span);
}

/// <summary>
/// A raw hub client: one <see cref="ClientWebSocket"/> straight to a hub's <c>/hubs/scores</c> (no negotiation),
/// speaking SignalR's hub protocol by hand, as the chaos fans, the benchmark's load generator and the tests of bad
/// input do. It connects (with an Origin, a partner key, headers, a TLS invoker or a small socket receive buffer),
/// sends the handshake (JSON or MessagePack), Subscribe, pings, and any bytes at all (malformed frames included),
/// reads whole messages into one growing buffer, and closes. Sends are serialized: a ping loop may send while the
/// reader subscribes.
/// </summary>
internal sealed class RawHubClient(int messageBuffer = 16 * 1024) : IDisposable
{
    private readonly ClientWebSocket _socket = new() { Options = { CollectHttpResponseDetails = true } };
    private readonly SemaphoreSlim _send = new(1, 1);
    private byte[] _buffer = new byte[messageBuffer];

    /// <summary>For what else the handshake needs before <see cref="ConnectAsync"/>: headers, keep-alive, certificate checks.</summary>
    public ClientWebSocketOptions Options => _socket.Options;

    /// <summary>Sent as the request's Origin, as a browser does.</summary>
    public string? Origin
    {
        get;
        init
        {
            field = value;
            if (value is not null)
            {
                _socket.Options.SetRequestHeader("Origin", value);
            }
        }
    }

    /// <summary>A partner key, sent as <c>?key=</c> (in place of the URL's query).</summary>
    public string? Key { get; init; }

    /// <summary>Request headers (e.g. X-Forwarded-For).</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get;
        init
        {
            field = value;
            foreach (var (name, header) in value)
            {
                _socket.Options.SetRequestHeader(name, header);
            }
        }
    } = new Dictionary<string, string>();

    /// <summary>Connects through this (e.g. TLS to a balancer with a test certificate).</summary>
    public HttpMessageInvoker? Invoker { get; init; }

    /// <summary>The TCP socket's receive buffer (e.g. 4096: a client that stops reading stalls the hub's sends quickly); takes precedence over <see cref="Invoker"/>.</summary>
    public int? SocketReceiveBufferSize { get; init; }

    /// <summary>Sends to a connection that is gone are dropped (the reader sees it end), for clients that carry on whatever happens.</summary>
    public bool DropFailedSends { get; init; }

    /// <summary>What the handshake said; <see cref="SubscribeAsync"/> and <see cref="PingAsync"/> speak it.</summary>
    public HubProtocol Protocol { get; private set; }

    public WebSocketState State => _socket.State;

    /// <summary>The status of the upgrade's answer (101, or e.g. 429 when the connection failed).</summary>
    public HttpStatusCode HttpStatusCode => _socket.HttpStatusCode;

    /// <summary>The local end of the TCP connection, when <see cref="SocketReceiveBufferSize"/> made it.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    /// <summary>A header of the upgrade's answer, also when it refused the connection.</summary>
    public string? ResponseHeader(string name) =>
        _socket.HttpResponseHeaders?.TryGetValue(name, out var values) == true ? values.FirstOrDefault() : null;

    /// <summary>The WebSocket URL of a hub endpoint: <c>ws://</c>, or <c>wss://</c> for https; with <paramref name="key"/> as <c>?key=</c>.</summary>
    public static Uri Url(Uri hub, string? key = null)
    {
        var url = new UriBuilder(hub) { Scheme = hub.Scheme is "https" or "wss" ? "wss" : "ws" };
        if (key is not null)
        {
            url.Query = "key=" + Uri.EscapeDataString(key);
        }
        return url.Uri;
    }

    public async Task ConnectAsync(Uri hub, CancellationToken cancellationToken = default)
    {
        var url = Url(hub, Key);
        if (SocketReceiveBufferSize is { } size)
        {
            using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = (context, token) => ConnectTcpAsync(context, size, token) });
            await _socket.ConnectAsync(url, invoker, cancellationToken);
        }
        else if (Invoker is not null)
        {
            await _socket.ConnectAsync(url, Invoker, cancellationToken);
        }
        else
        {
            await _socket.ConnectAsync(url, cancellationToken);
        }
    }

    private async ValueTask<Stream> ConnectTcpAsync(SocketsHttpConnectionContext context, int receiveBufferSize, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = receiveBufferSize };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            LocalEndPoint = (IPEndPoint?)socket.LocalEndPoint;
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends the handshake request (a text message) and speaks <paramref name="protocol"/> from now on.</summary>
    public Task HandshakeAsync(HubProtocol protocol = HubProtocol.Json, CancellationToken cancellationToken = default)
    {
        Protocol = protocol;
        return SendAsync(HubMessages.Handshake(protocol), WebSocketMessageType.Text, cancellationToken);
    }

    public Task SubscribeAsync(SubscribeRequest request, string invocationId = "1", CancellationToken cancellationToken = default) =>
        SendMessageAsync(HubMessages.Subscribe(Protocol, invocationId, request), cancellationToken);

    /// <summary>A JSON invocation of <paramref name="target"/> with <paramref name="arguments"/> (a JSON array, sent as it is).</summary>
    public Task InvokeAsync(string invocationId, string target, string arguments, CancellationToken cancellationToken = default) =>
        SendAsync(HubMessages.JsonInvocation(invocationId, target, arguments), cancellationToken);

    /// <summary>A ping, when the socket is open (nothing otherwise).</summary>
    public Task PingAsync() => _socket.State == WebSocketState.Open ? SendMessageAsync(HubMessages.Ping(Protocol), CancellationToken.None) : Task.CompletedTask;

    /// <summary>Text as one UTF-8 text message, as it is: whole records, pieces of one, garbage.</summary>
    public Task SendAsync(string text, CancellationToken cancellationToken = default) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Bytes as one message of <paramref name="type"/>, as they are.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> bytes, WebSocketMessageType type = WebSocketMessageType.Text, CancellationToken cancellationToken = default)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(bytes, type, true, cancellationToken);
        }
        catch (Exception e) when (DropFailedSends && e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The reader sees the connection end.
        }
        finally
        {
            _send.Release();
        }
    }

    private Task SendMessageAsync(byte[] bytes, CancellationToken cancellationToken) =>
        SendAsync(bytes, Protocol == HubProtocol.MessagePack ? WebSocketMessageType.Binary : WebSocketMessageType.Text, cancellationToken);

    /// <summary>The next whole message, its fragments joined; <see cref="RawMessage.IsClose"/> once the hub closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<RawMessage> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        var filled = 0;
        while (true)
        {
            if (filled == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(filled), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new RawMessage(WebSocketMessageType.Close, default);
            }
            filled += result.Count;
            if (result.EndOfMessage)
            {
                return new RawMessage(result.MessageType, _buffer.AsMemory(0, filled));
            }
        }
    }

    /// <summary>Sends the close frame (and reads nothing more).</summary>
    public Task CloseOutputAsync(string? description = null, CancellationToken cancellationToken = default) =>
        _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, description, cancellationToken);

    /// <summary>Drops the connection at once, no close handshake.</summary>
    public void Abort() => _socket.Abort();

    public void Dispose() => _socket.Dispose();
}
