using System.Buffers;
using System.Text;
using System.Text.Json;
using MessagePack;
using ScoreFeed.Contract;

namespace ScoreFeed.Testing;

/// <summary>The two encodings of SignalR's hub protocol a raw client speaks.</summary>
internal enum HubProtocol
{
    /// <summary>Text messages, each record ended by 0x1E.</summary>
    Json,
    /// <summary>Binary messages, each prefixed by its length as a VarInt.</summary>
    MessagePack,
}

/// <summary>
/// SignalR's hub protocol as a raw client writes and splits it, written once for every test and the benchmark: the
/// handshake, invocations, pings, and the records or messages a WebSocket message carries.
/// </summary>
internal static class HubMessages
{
    public const byte RecordSeparator = 0x1e;

    /// <summary>What the hub answers a handshake it accepts.</summary>
    public const string HandshakeAccepted = "{}\u001e";

    public static byte[] JsonHandshake => "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();

    public static byte[] MessagePackHandshake => "{\"protocol\":\"messagepack\",\"version\":1}\u001e"u8.ToArray();

    /// <summary>The handshake request: always a text message, whatever the protocol.</summary>
    public static byte[] Handshake(HubProtocol protocol) => protocol == HubProtocol.MessagePack ? MessagePackHandshake : JsonHandshake;

    /// <summary>A ping (type 6): SignalR closes a client that sends nothing for 30 s.</summary>
    public static byte[] Ping(HubProtocol protocol) => protocol == HubProtocol.MessagePack ? [0x02, 0x91, 0x06] : "{\"type\":6}\u001e"u8.ToArray();

    /// <summary>A JSON invocation (type 1) record; <paramref name="arguments"/> is the JSON array, written as it is.</summary>
    public static string JsonInvocation(string invocationId, string target, string arguments) =>
        "{\"type\":1,\"invocationId\":\"" + invocationId + "\",\"target\":\"" + target + "\",\"arguments\":" + arguments + "}\u001e";

    /// <summary>The invocation of <c>Subscribe</c> with <paramref name="request"/>, in <paramref name="protocol"/>.</summary>
    public static byte[] Subscribe(HubProtocol protocol, string invocationId, SubscribeRequest request) => protocol == HubProtocol.MessagePack
        ? MessagePackInvocation(invocationId, "Subscribe", request)
        : Encoding.UTF8.GetBytes(JsonInvocation(invocationId, "Subscribe", "[" + JsonSerializer.Serialize(request, ScoreFeedJsonContext.Default.SubscribeRequest) + "]"));

    /// <summary>
    /// Splits the next record (without its separator) off <paramref name="data"/>: what follows the last separator
    /// counts as a record too. False once nothing is left.
    /// </summary>
    public static bool NextJsonRecord(ref ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> record)
    {
        if (data.IsEmpty)
        {
            record = default;
            return false;
        }
        var end = data.Span.IndexOf(RecordSeparator);
        record = end < 0 ? data : data[..end];
        data = end < 0 ? default : data[(end + 1)..];
        return true;
    }

    /// <summary>Splits the next MessagePack message (its VarInt length prefix read and dropped) off <paramref name="data"/>.</summary>
    public static bool NextMessagePackMessage(ref ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> message)
    {
        if (data.IsEmpty)
        {
            message = default;
            return false;
        }
        long length = 0;
        int shift = 0, used = 0;
        byte b;
        do
        {
            b = data.Span[used++];
            length |= (long)(b & 0x7f) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        message = data.Slice(used, (int)length);
        data = data[(used + (int)length)..];
        return true;
    }

    /// <summary>A MessagePack invocation: [1, headers, invocationId, target, [argument], streamIds], length-prefixed.</summary>
    private static byte[] MessagePackInvocation<T>(string invocationId, string target, T argument)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(body);
        writer.WriteArrayHeader(6);
        writer.Write(1);
        writer.WriteMapHeader(0);
        writer.Write(invocationId);
        writer.Write(target);
        writer.WriteArrayHeader(1);
        MessagePackSerializer.Serialize(ref writer, argument, MessagePackSerializerOptions.Standard);
        writer.WriteArrayHeader(0);
        writer.Flush();
        var framed = new List<byte>();
        var length = body.WrittenCount;
        do
        {
            var b = (byte)(length & 0x7f);
            length >>= 7;
            framed.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);
        framed.AddRange(body.WrittenSpan.ToArray());
        return [.. framed];
    }
}
