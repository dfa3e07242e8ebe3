using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace ScoreFeed.Testing;

/// <summary>A WebSocket client on a plain TCP stream, frame by frame, for tests that check (or break) every byte.</summary>
internal static class RawWebSocket
{
    public const byte Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    public static async Task UpgradeAsync(NetworkStream stream, Uri hub)
    {
        var request = $"GET {hub.PathAndQuery} HTTP/1.1\r\nHost: {hub.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Convert.ToBase64String(Guid.NewGuid().ToByteArray())}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().Within();
        // The response head, byte by byte, so that nothing of the first frame is read with it.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await stream.ReadAsync(one).AsTask().Within());
            head.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A client's frame: final unless said otherwise, masked (with a zero key, which leaves the payload as it is).</summary>
    public static Task SendFrameAsync(NetworkStream stream, byte opcode, byte[] payload, bool final = true)
    {
        Assert.True(payload.Length < 126);
        byte[] frame = [(byte)((final ? 0x80 : 0) | opcode), (byte)(0x80 | payload.Length), 0, 0, 0, 0, .. payload];
        return stream.WriteAsync(frame).AsTask().Within();
    }

    /// <summary>A server's frame: final, unmasked, its length in the fewest bytes, as RFC 6455 requires.</summary>
    public static async Task<(byte Opcode, byte[] Payload)> ReceiveFrameAsync(NetworkStream stream)
    {
        var head = await ReadExactlyAsync(stream, 2);
        Assert.True((head[0] & 0x80) != 0, "a final frame");
        Assert.True((head[1] & 0x80) == 0, "an unmasked frame");
        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(stream, 2));
            Assert.True(length >= 126, $"a {length}-byte frame with a 16-bit length");
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(stream, 8));
            Assert.True(length > ushort.MaxValue, $"a {length}-byte frame with a 64-bit length");
        }
        return ((byte)(head[0] & 0x0F), await ReadExactlyAsync(stream, checked((int)length)));
    }

    public static async Task<byte[]> ReadExactlyAsync(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().Within();
        return buffer;
    }
}
