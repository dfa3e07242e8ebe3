using System.Net.Sockets;
using Microsoft.Extensions.Options;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Protection;

namespace ScoreFeed.Hub.Transport;

/// <summary>One <see cref="SendQueue"/> per core, and the <see cref="SocketWriter"/> of each connection whose socket the hub holds.</summary>
internal sealed class SendQueues : IDisposable
{
    private readonly SendQueue[] _queues;
    private readonly SlowConsumerGuard _guard;
    private readonly FrameBufferPool _buffers;
    private int _made;

    public SendQueues(IOptions<ScoresHubOptions> options, SlowConsumerGuard guard, FrameBufferPool buffers, TransportMetrics metrics, TimeProvider time)
    {
        (_guard, _buffers) = (guard, buffers);
        var o = options.Value;
        _queues = [.. Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new SendQueue(o.SendBatchWindow, o.SendBatchRound, metrics, time))];
    }

    /// <summary>The writer of a connection on <paramref name="socket"/>, on the next queue in turn.</summary>
    public SocketWriter NewWriter(Socket socket) =>
        new(_guard, socket, _queues[(int)((uint)Interlocked.Increment(ref _made) % _queues.Length)], _buffers);

    public void Dispose()
    {
        foreach (var queue in _queues)
        {
            queue.Dispose();
        }
    }
}
