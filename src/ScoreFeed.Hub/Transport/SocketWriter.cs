using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Everything a connection sends, when ScoreFeed holds its socket: SignalR's messages (as the connection's
/// <see cref="PipeWriter"/>), the fan-out's updates (<see cref="IFrameSink"/>) and the WebSocket's control frames
/// (<see cref="ControlFrameStream"/>), framed in place in the connection's pending buffer: messages that wait for the
/// same send join one WebSocket message, control frames stay whole frames between them. Nothing that writes here waits
/// for the socket.
/// <para>
/// The socket send runs on the thread pool, from the connection's <see cref="SendQueue"/>: the fan-out, writing one
/// update to thousands of connections, only copies it and queues the connection. One send at a time takes everything
/// pending, so a connection whose sends fall behind (a busy hub, a slow client) catches up with fewer, larger sends.
/// </para>
/// <para>
/// The slow-consumer rule (<see cref="SlowConsumerOptions"/>) is the guard's, as on SignalR's transports: while the
/// socket takes nothing, what waits for it is bounded in bytes and time; past either, the connection's updates are
/// dropped (they are in Redis history), SignalR's close message with the reason is queued and the connection is cut
/// after <see cref="SlowConsumerOptions.CloseGrace"/>.
/// </para>
/// </summary>
internal sealed class SocketWriter(SlowConsumerGuard guard, Socket socket, ISendQueue queue, FrameBufferPool buffers) : PipeWriter, IFrameSink, ISendSource
{
    /// <summary>The most payload messages are joined into (a 4-byte header); a longer message is a frame of its own.</summary>
    private const int MaxJoined = 16 * 1024;

    private readonly Lock _gate = new();
    // SignalR's message being written (under SignalR's write lock).
    private byte[]? _staging;
    private int _stagingLength;
    // Under _gate: the frames waiting for the socket, and the send under way (buffers from the pool: none while idle).
    private byte[]? _pending;
    private int _pendingLength;
    private byte[]? _sending;
    private int _sendingLength;
    // Under _gate: where the last data frame in _pending starts (-1: none, or a control frame came after it), its type and
    // header length; the next message of that type joins it.
    private int _open = -1;
    private WebSocketMessageType _openType;
    private int _openHeader;
    // Under _gate: where the pong waiting in _pending starts (-1: none). A newer pong replaces it, as RFC 6455 §5.5.3
    // allows, so a client that pings a connection that sends nothing (refused, stalled) holds one pong, not one per ping.
    private int _pong = -1;
    private bool _scheduled;
    private long _stalledSince;
    // No more messages (SignalR completed its output, or the connection was disconnected); control frames still go.
    private bool _refusing;
    // The close frame is queued: nothing at all after it.
    private bool _closing;
    private TaskCompletionSource? _drained;
    private ConnectionContext? _connection;
    private ITransferFormatFeature? _format;

    /// <summary>
    /// The connection this writer sends for, once it exists (its WebSocket, built on this writer, comes first), and the
    /// feature that says whether its messages are text or binary (settled by SignalR's handshake).
    /// </summary>
    public void Bind(ConnectionContext connection, ITransferFormatFeature format) => (_connection, _format) = (connection, format);

    private ConnectionContext Connection => _connection ?? throw new InvalidOperationException("The writer is not bound to its connection.");

    // Read for every message: the feature itself, not a lookup in the connection's feature collection.
    private WebSocketMessageType MessageType => _format?.ActiveFormat == TransferFormat.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

    // SignalR's side.

    public override Memory<byte> GetMemory(int sizeHint = 0) => Grow(ref _staging, _stagingLength, Math.Max(sizeHint, 1)).AsMemory(_stagingLength);

    public override Span<byte> GetSpan(int sizeHint = 0) => Grow(ref _staging, _stagingLength, Math.Max(sizeHint, 1)).AsSpan(_stagingLength);

    public override void Advance(int bytes) => _stagingLength += bytes;

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        bool refused;
        if (_stagingLength > 0)
        {
            refused = !Message(_staging.AsSpan(0, _stagingLength));
            buffers.Return(_staging!);
            (_staging, _stagingLength) = (null, 0);
        }
        else
        {
            lock (_gate)
            {
                refused = _refusing;
            }
        }
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: refused));
    }

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
        new(new FlushResult(isCanceled: false, isCompleted: !Message(source.Span)));

    // Nothing ever waits for the socket here, so there is no flush to cancel.
    public override void CancelPendingFlush()
    {
    }

    /// <summary>SignalR is done with the connection: what is pending still goes, then the transport's close frame.</summary>
    public override void Complete(Exception? exception = null)
    {
        lock (_gate)
        {
            _refusing = true;
        }
    }

    // The fan-out's side.

    public void Write(ReadOnlyMemory<byte> frame) => Message(frame.Span);

    // The WebSocket's side.

    /// <summary>
    /// Bytes that go as they are, after everything queued before them and never joined to a message: a control frame
    /// (a pong, the close frame) or, before any frame, the handshake's <c>101</c> answer when the hub read the handshake
    /// itself. A pong replaces the one still waiting, if any. The close frame is the last: the returned task completes
    /// when the socket has taken it (or is gone).
    /// </summary>
    public Task ControlFrame(ReadOnlySpan<byte> frame, bool close)
    {
        lock (_gate)
        {
            if (_closing)
            {
                throw new IOException("The WebSocket's close frame was sent already.");
            }
            if (frame is [PongHead, ..])
            {
                DropPendingPong();
                _pong = _pendingLength;
            }
            Append(frame);
            if (!close)
            {
                return Task.CompletedTask;
            }
            _refusing = _closing = true;
            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    /// <summary>The first byte of a server's pong frame: final, opcode 0xA.</summary>
    private const byte PongHead = 0x8A;

    /// <summary>Under <see cref="_gate"/>: the pong still waiting in the pending buffer, if any, is taken out of it.</summary>
    private void DropPendingPong()
    {
        if (_pong < 0)
        {
            return;
        }
        var length = 2 + (_pending![_pong + 1] & 0x7F);
        _pending.AsSpan((_pong + length).._pendingLength).CopyTo(_pending.AsSpan(_pong));
        _pendingLength -= length;
        if (_open > _pong)
        {
            _open -= length;
        }
        _pong = -1;
    }

    /// <summary>One WebSocket message of <paramref name="payload"/>; false when the connection takes no more.</summary>
    private bool Message(ReadOnlySpan<byte> payload)
    {
        lock (_gate)
        {
            if (_refusing)
            {
                return false;
            }
            AppendMessage(payload);
            Queued();
            return !_refusing;
        }
    }

    /// <summary>
    /// Under <see cref="_gate"/>: <paramref name="payload"/> in the pending buffer, joined to the data frame before it if
    /// that one is still pending, of the same type and short enough (SignalR's framing lets one WebSocket message carry
    /// several hub messages: records end with 0x1E, MessagePack's are length-prefixed); otherwise as a frame of its own.
    /// A client then reads the updates that waited together as one message.
    /// </summary>
    private void AppendMessage(ReadOnlySpan<byte> payload)
    {
        var type = MessageType;
        if (_open >= 0 && type == _openType)
        {
            var joined = _pendingLength - _open - _openHeader + payload.Length;
            if (joined <= MaxJoined)
            {
                // The header may grow (2 bytes below 126, 4 up to 65,535: RFC 6455 wants the shortest); the payload
                // so far moves up to make room.
                var header = ServerFrames.HeaderLength(joined);
                var grown = header - _openHeader;
                Room(grown + payload.Length);
                var frame = _pending!.AsSpan(_open, _pendingLength - _open + grown + payload.Length);
                if (grown > 0)
                {
                    frame[_openHeader..(_pendingLength - _open)].CopyTo(frame[header..]);
                }
                payload.CopyTo(frame[^payload.Length..]);
                ServerFrames.WriteHeader(frame, joined, type);
                _openHeader = header;
                _pendingLength += grown + payload.Length;
                return;
            }
        }
        var room = Room(ServerFrames.MaxHeader + payload.Length);
        (_open, _openType, _openHeader) = (_pendingLength, type, ServerFrames.WriteHeader(room, payload.Length, type));
        payload.CopyTo(room[_openHeader..]);
        _pendingLength += _openHeader + payload.Length;
    }

    /// <summary>Under <see cref="_gate"/>: a whole frame (a control frame), after which no message joins the one before.</summary>
    private void Append(ReadOnlySpan<byte> frame)
    {
        frame.CopyTo(Room(frame.Length));
        _pendingLength += frame.Length;
        _open = -1;
        Queued();
    }

    /// <summary>Under <see cref="_gate"/>: at least <paramref name="bytes"/> free at the end of the pending buffer.</summary>
    private Span<byte> Room(int bytes) => Grow(ref _pending, _pendingLength, bytes).AsSpan(_pendingLength);

    /// <summary><paramref name="buffer"/> with at least <paramref name="bytes"/> free after its first <paramref name="length"/>.</summary>
    private byte[] Grow(ref byte[]? buffer, int length, int bytes)
    {
        if (buffer is null)
        {
            buffer = buffers.Rent(bytes);
        }
        else if (buffer.Length - length < bytes)
        {
            var larger = buffers.Rent(Math.Max(buffer.Length * 2, length + bytes));
            buffer.AsSpan(0, length).CopyTo(larger);
            buffers.Return(buffer);
            buffer = larger;
        }
        return buffer;
    }

    /// <summary>Under <see cref="_gate"/>, after bytes were added: a send is queued, or the one under way is checked.</summary>
    private void Queued()
    {
        if (!_scheduled)
        {
            _scheduled = true;
            queue.Schedule(this);
            return;
        }
        if (_stalledSince != 0 && !_refusing && guard.Disconnects(Connection, _pendingLength, _stalledSince, out var close))
        {
            Disconnect(close);
        }
    }

    /// <summary>Under <see cref="_gate"/>, with a send waiting for the socket: the guard's rule says the connection goes.</summary>
    private void Disconnect(byte[]? close)
    {
        _refusing = true;
        (_pendingLength, _open, _pong) = (0, -1, -1);
        if (close is not null)
        {
            // Read by a client that starts reading again before the grace ends.
            AppendMessage(close);
        }
        _ = guard.AbortAfterGraceAsync(Connection);
    }

    /// <summary>Nothing waits for the socket and no send is under way.</summary>
    public bool Drained
    {
        get
        {
            lock (_gate)
            {
                return _sending is null && _pendingLength == 0;
            }
        }
    }

    /// <summary>
    /// Before the connection is cut: its socket will reset on close (linger 0), so that what the kernel still holds for
    /// a client that reads nothing is dropped at once rather than retried for minutes.
    /// </summary>
    public void Reset()
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed already.
        }
    }

    /// <summary>When the last socket send started (a timestamp of the send queue's clock; 0: never).</summary>
    public long LastSent { get; private set; }

    /// <summary>
    /// On the send queue's thread, at <paramref name="now"/>: everything pending, in one socket send; false if there was
    /// nothing to send.
    /// </summary>
    public bool Send(long now)
    {
        lock (_gate)
        {
            (_sending, _sendingLength, _pending, _pendingLength, _open, _pong) = (_pending, _pendingLength, null, 0, -1, -1);
        }
        if (_sendingLength == 0)
        {
            Sent(done: true);
            return false;
        }
        LastSent = now;
        ValueTask<int> sent;
        try
        {
            // On a stream socket this completes once every byte is sent; it tries at once, on this thread.
            sent = socket.SendAsync(_sending.AsMemory(0, _sendingLength), SocketFlags.None);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Sent(done: false);
            return true;
        }
        if (sent.IsCompletedSuccessfully)
        {
            Sent(done: true);
            return true;
        }
        lock (_gate)
        {
            _stalledSince = guard.Time.GetTimestamp();
        }
        _ = AwaitSentAsync(sent);
        return true;
    }

    private async Task AwaitSentAsync(ValueTask<int> sent)
    {
        bool done;
        try
        {
            await sent.ConfigureAwait(false);
            done = true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            done = false;
        }
        Sent(done);
    }

    /// <summary>After a send: the next one is queued if more is pending; a socket that failed takes nothing more.</summary>
    private void Sent(bool done)
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (_sending is not null)
            {
                buffers.Return(_sending);
            }
            (_sending, _sendingLength) = (null, 0);
            _stalledSince = 0;
            if (!done)
            {
                _refusing = _closing = true;
                if (_pending is not null)
                {
                    buffers.Return(_pending);
                }
                (_pending, _pendingLength, _open, _pong) = (null, 0, -1, -1);
            }
            if (_pendingLength > 0)
            {
                queue.Schedule(this);
            }
            else
            {
                _scheduled = false;
                (drained, _drained) = (_drained, null);
            }
        }
        drained?.TrySetResult();
    }
}
