using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// Checks that a text message is UTF-8 (RFC 6455 §8.1) as its payload comes, in pieces cut anywhere (between frames,
/// inside a character): between pieces it holds only the start of an unfinished character, 3 bytes at most.
/// </summary>
internal struct Utf8Validator
{
    // The unfinished character's bytes so far, the first in the lowest byte.
    private uint _partial;
    private int _partialLength;

    /// <summary>No character is left unfinished: the message may end here.</summary>
    public readonly bool Complete => _partialLength == 0;

    /// <summary>Takes the next piece of the message; false as soon as the bytes so far cannot be UTF-8.</summary>
    public bool Append(ReadOnlySpan<byte> data)
    {
        if (_partialLength > 0)
        {
            // Finish the character the last piece started, a byte at a time.
            Span<byte> character = stackalloc byte[4];
            BitConverter.TryWriteBytes(character, _partial);
            var length = _partialLength;
            var status = OperationStatus.NeedMoreData;
            while (status == OperationStatus.NeedMoreData && !data.IsEmpty)
            {
                character[length++] = data[0];
                data = data[1..];
                status = Rune.DecodeFromUtf8(character[..length], out _, out _);
            }
            if (status == OperationStatus.InvalidData)
            {
                return false;
            }
            if (status == OperationStatus.NeedMoreData)
            {
                Keep(character[..length]);
                return true;
            }
            _partialLength = 0;
        }
        var whole = WholeCharacters(data);
        var rest = data[whole..];
        if (!Utf8.IsValid(data[..whole])
            || (!rest.IsEmpty && Rune.DecodeFromUtf8(rest, out _, out _) != OperationStatus.NeedMoreData))
        {
            return false;
        }
        Keep(rest);
        return true;
    }

    /// <summary>How many bytes of <paramref name="data"/> come before a character it ends in the middle of.</summary>
    private static int WholeCharacters(ReadOnlySpan<byte> data)
    {
        // A character is at most 4 bytes: its first byte is among the last 3 if it is unfinished.
        for (var i = data.Length - 1; i >= 0 && i >= data.Length - 3; i--)
        {
            var first = data[i];
            if ((first & 0xC0) != 0x80)
            {
                var needed = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
                return data.Length - i < needed ? i : data.Length;
            }
        }
        return data.Length;
    }

    private void Keep(ReadOnlySpan<byte> unfinished)
    {
        Span<byte> bytes = stackalloc byte[4];
        bytes.Clear();
        unfinished.CopyTo(bytes);
        (_partial, _partialLength) = (BitConverter.ToUInt32(bytes), unfinished.Length);
    }
}
