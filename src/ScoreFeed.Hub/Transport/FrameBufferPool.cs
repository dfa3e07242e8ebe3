using System.Buffers;
using System.Numerics;

namespace ScoreFeed.Hub.Transport;

/// <summary>
/// The buffers that connections' frames wait in for the socket (<see cref="SocketWriter"/>): rented when a connection
/// has something to send, back when the socket took it, so that an idle connection holds none.
/// <para>
/// Why not <see cref="ArrayPool{T}.Shared"/>: one update to a big match rents a buffer for each of thousands of
/// connections at once, and a busy hub keeps them for tens of milliseconds; the shared pool keeps a few dozen per size,
/// so the rest were new arrays that outlived two collections and died old, and a busy hub spent itself in full
/// collections (docs/benchmarks.md, "Measured for design choices"). Here every size class keeps as many as were ever out at once, and
/// <see cref="Trim"/> lets go of those no one needed since the trim before, so memory comes back after a storm.
/// Buffers past <see cref="MaxPooled"/> (a Subscribe result with what a client missed, a large backlog) are rare and
/// come from the shared pool.
/// </para>
/// </summary>
internal sealed class FrameBufferPool
{
    /// <summary>The smallest buffer: a few updates (one is about 500 bytes).</summary>
    public const int MinSize = 1024;

    /// <summary>The largest buffer kept here.</summary>
    public const int MaxPooled = 16 * 1024;

    private readonly SizeClass[] _classes =
        [.. Enumerable.Range(0, BitOperations.Log2(MaxPooled / MinSize) + 1).Select(i => new SizeClass(MinSize << i))];

    /// <summary>A buffer of at least <paramref name="size"/> bytes (its contents are whatever the last user left).</summary>
    public byte[] Rent(int size) => size <= MaxPooled ? _classes[ClassOf(size)].Rent() : ArrayPool<byte>.Shared.Rent(size);

    public void Return(byte[] buffer)
    {
        if (buffer.Length > MaxPooled)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else if (BitOperations.IsPow2(buffer.Length) && buffer.Length >= MinSize)
        {
            _classes[ClassOf(buffer.Length)].Return(buffer);
        }
    }

    /// <summary>Lets go of the buffers that stayed in the pool since the last trim (the collector takes them).</summary>
    public void Trim()
    {
        foreach (var sizeClass in _classes)
        {
            sizeClass.Trim();
        }
    }

    /// <summary>Buffers in the pool now, and their bytes (for tests and diagnostics).</summary>
    public (int Buffers, long Bytes) Held()
    {
        var (buffers, bytes) = (0, 0L);
        foreach (var sizeClass in _classes)
        {
            var count = sizeClass.Count;
            buffers += count;
            bytes += (long)count * sizeClass.Size;
        }
        return (buffers, bytes);
    }

    private static int ClassOf(int size) => BitOperations.Log2(BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, MinSize))) - BitOperations.Log2(MinSize);

    private sealed class SizeClass(int size)
    {
        private readonly Lock _gate = new();
        private byte[]?[] _free = new byte[]?[64];
        private int _count;
        // The fewest buffers in the pool since the last trim: that many were not needed.
        private int _lowWater;

        public int Size => size;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public byte[] Rent()
        {
            lock (_gate)
            {
                if (_count > 0)
                {
                    var buffer = _free[--_count]!;
                    _free[_count] = null;
                    _lowWater = Math.Min(_lowWater, _count);
                    return buffer;
                }
            }
            return GC.AllocateUninitializedArray<byte>(size);
        }

        public void Return(byte[] buffer)
        {
            lock (_gate)
            {
                if (_count == _free.Length)
                {
                    Array.Resize(ref _free, _free.Length * 2);
                }
                _free[_count++] = buffer;
            }
        }

        public void Trim()
        {
            lock (_gate)
            {
                // The ones on top were returned last; any _lowWater of them can go.
                Array.Clear(_free, _count - _lowWater, _lowWater);
                _count -= _lowWater;
                if (_free.Length > 64 && _count < _free.Length / 4)
                {
                    Array.Resize(ref _free, Math.Max(64, _free.Length / 2));
                }
                _lowWater = _count;
            }
        }
    }
}
