using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text.Unicode;
using Microsoft.AspNetCore.Connections;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// A <see cref="ClientSocket"/> that reads the client's frames (RFC 6455 §5) straight off the connection's input pipe,
/// for connections whose handshake the hub read before HTTP/1.1: nothing is buffered per connection while the client is
/// quiet, and control frames are answered through the connection's <see cref="SocketWriter"/>, in order with what the hub
/// sends. Protocol errors (an unmasked frame, reserved bits, an unknown opcode, a long or fragmented control frame, a
/// continuation out of place, a 64-bit length with its top bit set, a malformed close frame) close the connection with
/// 1002, and a text message that is not UTF-8 with 1007, as .NET's WebSocket does.
/// </summary>
internal sealed class FrameClientSocket(ConnectionContext transport, SocketWriter writer) : ClientSocket
{
    private const int MaxControlPayload = 125;

    /// <summary>Payload copied into the hub's pipe before it is flushed (and the hub parses, and may refuse, it).</summary>
    private const int FlushEvery = 4096;

    private const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, PongOpcode = 0xA;

    private int _closeSent;
    private volatile bool _aborted;
    // The receive loop's: payload bytes left in the data frame being read, where in the mask its next byte is, the mask;
    // whether a fragmented message is open, whether the frame being read ends it, whether it is text and how far its
    // UTF-8 is checked; whether the hub takes no more, and what was wrong with a frame.
    private long _remaining;
    private int _maskAt;
    private uint _mask;
    private bool _inMessage;
    private bool _final;
    private bool _text;
    private Utf8Validator _utf8;
    private bool _hubDone;
    private Refusal _refusal;

    private enum Step
    {
        NeedMore,
        Flush,
        Closed,
        Violation,
    }

    public override async Task ReceiveAsync(PipeWriter input)
    {
        var reader = transport.Transport.Input;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                if (result.IsCanceled || _aborted)
                {
                    reader.AdvanceTo(buffer.Start);
                    break;
                }
                var written = 0;
                var step = Read(ref buffer, input, ref written);
                reader.AdvanceTo(buffer.Start, step == Step.NeedMore ? buffer.End : buffer.Start);
                if (written > 0)
                {
                    // The hub parses messages out of the pipe and enforces Hub:MaxMessageSize there. Once it is done (it
                    // closed the connection), what the client still sends before its close frame is read and dropped.
                    _hubDone |= (await input.FlushAsync().ConfigureAwait(false)).IsCompleted;
                }
                if (step == Step.Violation)
                {
                    error = new WebSocketException(WebSocketError.Faulted, _refusal.Reason);
                    await CloseAsync(_refusal.Status).ConfigureAwait(false);
                    break;
                }
                if (step == Step.Closed || (step == Step.NeedMore && result.IsCompleted))
                {
                    // The client's close frame, or the client went away without one.
                    break;
                }
            }
        }
        catch (Exception e) when (e is ConnectionAbortedException or ConnectionResetException)
        {
            // Aborted by the server, or the client's connection was reset: no close frame either way.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            error = e;
        }
        await input.CompleteAsync(error).ConfigureAwait(false);
    }

    /// <summary>Reads frames off the start of <paramref name="buffer"/>, data frames' payload into <paramref name="input"/>; says why it stopped.</summary>
    private Step Read(ref ReadOnlySequence<byte> buffer, PipeWriter input, ref int written)
    {
        Span<byte> control = stackalloc byte[MaxControlPayload];
        while (true)
        {
            if (_remaining > 0)
            {
                if (buffer.IsEmpty)
                {
                    return Step.NeedMore;
                }
                if (_hubDone)
                {
                    var skip = Math.Min(_remaining, buffer.Length);
                    (buffer, _remaining) = (buffer.Slice(skip), _remaining - skip);
                    continue;
                }
                if (written >= FlushEvery)
                {
                    return Step.Flush;
                }
                var target = input.GetSpan();
                var take = (int)Math.Min(Math.Min(_remaining, buffer.Length), target.Length);
                buffer.Slice(0, take).CopyTo(target);
                _maskAt = Unmask(target[..take], _mask, _maskAt);
                (buffer, _remaining) = (buffer.Slice(take), _remaining - take);
                // Checked before the hub's pipe takes it: the hub never parses a text message that is not UTF-8.
                if (_text && !(_utf8.Append(target[..take]) && (_remaining > 0 || !_final || _utf8.Complete)))
                {
                    return Refuse(InvalidText);
                }
                input.Advance(take);
                written += take;
                continue;
            }
            if (!TryReadHeader(buffer, out var header))
            {
                return Step.NeedMore;
            }
            if (Violation(header, _inMessage) is { } violation)
            {
                return Refuse(new(WebSocketCloseStatus.ProtocolError, violation));
            }
            if (header.Opcode >= Close)
            {
                if (buffer.Length < header.Size + header.Length)
                {
                    return Step.NeedMore;
                }
                var payload = control[..(int)header.Length];
                buffer.Slice(header.Size, header.Length).CopyTo(payload);
                Unmask(payload, header.Mask, 0);
                buffer = buffer.Slice(header.Size + header.Length);
                if (header.Opcode == Close)
                {
                    return CloseViolation(payload) is { } malformed ? Refuse(new(WebSocketCloseStatus.ProtocolError, malformed)) : Step.Closed;
                }
                if (header.Opcode == Ping)
                {
                    Pong(payload);
                }
                continue;
            }
            if (header.Opcode != Continuation)
            {
                (_text, _utf8) = (header.Opcode == Text, default);
            }
            (_inMessage, _final) = (!header.Final, header.Final);
            (_remaining, _maskAt, _mask) = (header.Length, 0, header.Mask);
            buffer = buffer.Slice(header.Size);
            if (_remaining == 0 && _final && _text && !_utf8.Complete)
            {
                return Refuse(InvalidText);
            }
        }
    }

    private static readonly Refusal InvalidText = new(WebSocketCloseStatus.InvalidPayloadData, "A text message that is not UTF-8.");

    private Step Refuse(Refusal refusal)
    {
        _refusal = refusal;
        return Step.Violation;
    }

    public override Task CloseAsync(WebSocketCloseStatus status)
    {
        if (_aborted || Interlocked.Exchange(ref _closeSent, 1) == 1)
        {
            return Task.CompletedTask;
        }
        Span<byte> frame = [0x80 | Close, 2, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(frame[2..], (ushort)status);
        try
        {
            return writer.ControlFrame(frame, close: true);
        }
        catch (IOException)
        {
            return Task.CompletedTask;
        }
    }

    public override void Abort()
    {
        _aborted = true;
        transport.Transport.Input.CancelPendingRead();
    }

    public override void Cut()
    {
        Abort();
        transport.Abort(new ConnectionAbortedException("The client took nothing, not even the close frame."));
    }

    /// <summary>A pong with the ping's payload, unless the close frame is sent (nothing follows it).</summary>
    private void Pong(ReadOnlySpan<byte> payload)
    {
        if (Volatile.Read(ref _closeSent) == 1)
        {
            return;
        }
        Span<byte> frame = stackalloc byte[2 + payload.Length];
        (frame[0], frame[1]) = (0x80 | PongOpcode, (byte)payload.Length);
        payload.CopyTo(frame[2..]);
        try
        {
            writer.ControlFrame(frame, close: false);
        }
        catch (IOException)
        {
            // The close frame went meanwhile.
        }
    }

    /// <summary>The close frame a refused connection gets, and why, for the hub's pipe.</summary>
    private readonly record struct Refusal(WebSocketCloseStatus Status, string Reason);

    private readonly record struct Header(bool Final, byte Opcode, int Size, long Length, uint Mask, bool Masked, bool Reserved);

    /// <summary>The frame header at the start of <paramref name="buffer"/>, if all of it is there.</summary>
    private static bool TryReadHeader(ReadOnlySequence<byte> buffer, out Header header)
    {
        header = default;
        Span<byte> head = stackalloc byte[14];
        var available = (int)Math.Min(buffer.Length, head.Length);
        if (available < 2)
        {
            return false;
        }
        buffer.Slice(0, available).CopyTo(head);
        var length7 = head[1] & 0x7F;
        var extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        var masked = (head[1] & 0x80) != 0;
        var size = 2 + extended + (masked ? 4 : 0);
        if (available < size)
        {
            return false;
        }
        long length = extended switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(head[2..]),
            // Negative when the most significant bit is set, which RFC 6455 §5.2 forbids (refused below).
            8 => BinaryPrimitives.ReadInt64BigEndian(head[2..]),
            _ => length7,
        };
        var mask = masked ? BinaryPrimitives.ReadUInt32LittleEndian(head[(2 + extended)..]) : 0;
        header = new Header((head[0] & 0x80) != 0, (byte)(head[0] & 0x0F), size, length, mask, masked, (head[0] & 0x70) != 0);
        return true;
    }

    /// <summary>What is wrong with a client's frame that .NET's WebSocket would refuse too; null if nothing.</summary>
    private static string? Violation(Header header, bool inMessage) => header switch
    {
        { Masked: false } => "The client's frame was not masked.",
        { Length: < 0 } => "A 64-bit payload length with its most significant bit set.",
        { Reserved: true } => "The client's frame set reserved bits (no extension was agreed).",
        { Opcode: > Binary and < Close } or { Opcode: > PongOpcode } => $"Unknown opcode {header.Opcode}.",
        { Opcode: >= Close, Final: false } => "A fragmented control frame.",
        { Opcode: >= Close, Length: > MaxControlPayload } => "A control frame longer than 125 bytes.",
        { Opcode: Continuation } when !inMessage => "A continuation frame without a message to continue.",
        { Opcode: Text or Binary } when inMessage => "A new message before the last one was finished.",
        _ => null,
    };

    /// <summary>
    /// What is wrong with a close frame's payload (RFC 6455 §5.5.1, §7.4): nothing, or a status code a client may send,
    /// then a UTF-8 reason; null if nothing.
    /// </summary>
    private static string? CloseViolation(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return null;
        }
        if (payload.Length == 1)
        {
            return "A close frame with a 1-byte payload.";
        }
        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!IsValidCloseCode(code))
        {
            return $"Close code {code} is not one an endpoint may send.";
        }
        return Utf8.IsValid(payload[2..]) ? null : "A close reason that is not UTF-8.";
    }

    /// <summary>
    /// The codes an endpoint may send in a close frame: the protocol's defined ones (1004-1006 and 1015 are never sent,
    /// 1016-2999 are unassigned), then 3000-4999 for libraries and applications; as .NET's WebSocket takes them.
    /// </summary>
    private static bool IsValidCloseCode(int code) => code switch
    {
        >= 1000 and <= 1003 or >= 1007 and <= 1014 => true,
        >= 3000 and <= 4999 => true,
        _ => false,
    };

    /// <summary>XORs <paramref name="data"/> with the mask from byte <paramref name="at"/> of it on; returns where the next byte's is.</summary>
    private static int Unmask(Span<byte> data, uint mask, int at)
    {
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, mask);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] ^= key[(at + i) & 3];
        }
        return (at + data.Length) & 3;
    }
}
