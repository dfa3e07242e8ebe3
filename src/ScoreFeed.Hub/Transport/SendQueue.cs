using System.Collections.Concurrent;
using ScoreFeed.Hub.Hubs;

namespace ScoreFeed.Hub.Transport;

/// <summary>A connection's output as its <see cref="SendQueue"/> sees it: a <see cref="SocketWriter"/>.</summary>
internal interface ISendSource
{
    /// <summary>When its last socket send started (a timestamp of the queue's <see cref="TimeProvider"/>; 0: never).</summary>
    long LastSent { get; }

    /// <summary>At <paramref name="now"/>: everything pending, in one socket send; false if there was nothing to send.</summary>
    bool Send(long now);
}

/// <summary>Where a <see cref="SocketWriter"/> with something to send queues itself; its <see cref="ISendSource.Send"/> is called from there.</summary>
internal interface ISendQueue
{
    void Schedule(ISendSource source);
}

/// <summary>
/// Connections with something to send, sent one after another by one thread-pool work item while any are queued (as
/// Kestrel's own I/O queues do): one queue per core, rather than a thread-pool item per send. A round sends the
/// connections queued when it began, once each; what they are given meanwhile goes in the next round.
/// <para>
/// When the hub is busy — a round of sends reached <see cref="ScoresHubOptions.SendBatchRound"/> connections that had
/// been sent to within twice the window, as each update to a big match does — the next round is held: it starts ten
/// times as long after this one began as this one took, at least a quarter and at most all of
/// <see cref="ScoresHubOptions.SendBatchWindow"/>, and never sooner than a quarter of the window after this one ended
/// (a round longer than the window means the machine is short of CPU: resting lets the rest of it run, and the next
/// round carries more). What connections are sent meanwhile (the next updates) waits in their buffers and leaves with
/// one send each, instead of one system call per connection and update on both ends of the socket; the busier the hub,
/// the more each send carries. Connections whose updates come seldom (many small matches) never make a round busy, so
/// they are not held for nothing.
/// </para>
/// </summary>
internal sealed class SendQueue : ISendQueue, IThreadPoolWorkItem, IDisposable
{
    private const int HoldFactor = 10;

    private readonly ConcurrentQueue<ISendSource> _sources = new();
    private readonly TimeSpan _window;
    private readonly long _recentTicks;
    private readonly int _busyRound;
    private readonly TransportMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private int _running;

    public SendQueue(TimeSpan window, int busyRound, TransportMetrics metrics, TimeProvider time)
    {
        (_window, _busyRound, _metrics, _time) = (window, busyRound, metrics, time);
        // Twice the window: a connection sent to once per held round stays recent.
        _recentTicks = (long)(2 * window.TotalSeconds * time.TimestampFrequency);
        if (window > TimeSpan.Zero)
        {
            _timer = time.CreateTimer(static queue => ((IThreadPoolWorkItem)queue!).Execute(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose() => _timer?.Dispose();

    public void Schedule(ISendSource source)
    {
        _sources.Enqueue(source);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            var start = _time.GetTimestamp();
            var (sent, repeats) = (0, 0);
            // One round: the connections queued when it began, one send each; those queued during it go in the next.
            for (var round = _sources.Count; round > 0 && _sources.TryDequeue(out var source); round--)
            {
                var before = source.LastSent;
                if (source.Send(start))
                {
                    sent++;
                    // Sent to recently: a connection whose updates come often (a big match's fans), whose next send
                    // would carry more if it waited. Many small matches' connections are not.
                    repeats += before != 0 && start - before < _recentTicks ? 1 : 0;
                }
            }
            _metrics.Sent(sent);
            if (_timer is not null && repeats >= _busyRound)
            {
                // Sending takes about a tenth of the queue's time while it is busy: the longer a round took (more
                // connections, a machine short of CPU), the more each connection's next send carries. A round that
                // took longer than the window still rests a quarter of it, for the rest of the machine.
                var took = _time.GetElapsedTime(start);
                var due = Math.Max(Math.Clamp(took.Ticks * HoldFactor, _window.Ticks / 4, _window.Ticks) - took.Ticks, _window.Ticks / 4);
                // Still running: writers queued meanwhile wait for the timer, which starts the next round.
                _metrics.Held();
                _timer.Change(TimeSpan.FromTicks(due), Timeout.InfiniteTimeSpan);
                return;
            }
            Volatile.Write(ref _running, 0);
            // A writer queued after the queue looked empty and before it stopped runs now, or its Schedule started one.
            if (_sources.IsEmpty || Interlocked.Exchange(ref _running, 1) == 1)
            {
                return;
            }
        }
    }
}
