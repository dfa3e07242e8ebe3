using System.Buffers;

namespace ScoreFeed.UnitTests.Transport;

/// <summary>Bytes as a pipe may hand them over: a <see cref="ReadOnlySequence{T}"/> of several segments.</summary>
internal static class Sequences
{
    /// <summary><paramref name="bytes"/> in segments of the sizes <paramref name="pieces"/> lists (cycled; empty: one segment).</summary>
    public static ReadOnlySequence<byte> Of(byte[] bytes, IReadOnlyList<int> pieces)
    {
        if (pieces.Count == 0 || bytes.Length == 0)
        {
            return new ReadOnlySequence<byte>(bytes);
        }
        Segment? first = null, last = null;
        for (int at = 0, piece = 0; at < bytes.Length; piece++)
        {
            var size = Math.Min(Math.Max(1, pieces[piece % pieces.Count]), bytes.Length - at);
            last = last is null ? first = new Segment(bytes.AsMemory(at, size)) : last.Append(bytes.AsMemory(at, size));
            at += size;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
