using System.Buffers.Binary;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>Frames as a client sends them (RFC 6455 §5.2): masked with a key from <see cref="Random"/> (§5.3).</summary>
internal static class ClientFrames
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    /// <summary>One frame; its length in the shortest form (7, 16 or 64 bits).</summary>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool final, Random random)
    {
        var header = new List<byte> { (byte)((final ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([0xFE, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.Add(0xFF);
            header.AddRange(length);
        }
        var key = new byte[4];
        random.NextBytes(key);
        header.AddRange(key);
        var frame = new byte[header.Count + payload.Length];
        header.CopyTo(frame);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header.Count + i] = (byte)(payload[i] ^ key[i % 4]);
        }
        return frame;
    }

    /// <summary>A close frame's payload: the code, then the reason's bytes.</summary>
    public static byte[] ClosePayload(int code, ReadOnlySpan<byte> reason) => [(byte)(code >> 8), (byte)code, .. reason];
}
