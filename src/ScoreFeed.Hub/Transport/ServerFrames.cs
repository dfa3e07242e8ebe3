using System.Buffers.Binary;
using System.Net.WebSockets;

namespace ScoreFeed.Hub.Transport;

/// <summary>The headers of the frames a server sends (RFC 6455 §5.2: final, unmasked), as <see cref="SocketWriter"/> writes them.</summary>
internal static class ServerFrames
{
    /// <summary>The longest header of a server's frame (unmasked, 64-bit length).</summary>
    public const int MaxHeader = 10;

    /// <summary>
    /// Writes the header of one final, unmasked frame (a server's, RFC 6455 §5.2) of <paramref name="length"/> bytes at
    /// the start of <paramref name="destination"/>; returns how many bytes it took (2, 4 or 10).
    /// </summary>
    public static int WriteHeader(Span<byte> destination, int length, WebSocketMessageType type)
    {
        destination[0] = (byte)(0x80 | (type == WebSocketMessageType.Binary ? 0x2 : 0x1));
        if (length < 126)
        {
            destination[1] = (byte)length;
            return 2;
        }
        if (length <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
            return 4;
        }
        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)length);
        return 10;
    }

    /// <summary>How long the header of a frame of <paramref name="length"/> bytes is (the shortest encoding, as RFC 6455 requires).</summary>
    public static int HeaderLength(int length) => length < 126 ? 2 : length <= ushort.MaxValue ? 4 : 10;
}
