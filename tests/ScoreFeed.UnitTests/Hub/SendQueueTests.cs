using Microsoft.Extensions.Time.Testing;
using ScoreFeed.Testing;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

/// <summary>
/// A send queue sends each queued connection once per round, and holds its next round when the one before was busy
/// (connections sent to within twice the window), so that what they are given meanwhile leaves in one send each.
/// </summary>
public sealed class SendQueueTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly SendQueue _queue;

    public SendQueueTests()
    {
        var buffers = new FrameBufferPool();
        // One connection sent to recently makes a round busy.
        _queue = new SendQueue(Window, busyRound: 1, new TransportMetrics(HubParts.Meters, buffers), _time);
    }

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task Every_queued_connection_is_sent_once()
    {
        var sources = Enumerable.Range(0, 5).Select(_ => new Source()).ToList();

        sources.ForEach(_queue.Schedule);

        await Wait.UntilAsync(() => sources.All(s => s.Sends == 1), Timeout, "every source to be sent");
        await Task.Delay(50);
        Assert.All(sources, s => Assert.Equal(1, s.Sends));
    }

    [Fact]
    public async Task After_a_busy_round_the_next_one_waits_a_quarter_of_the_window()
    {
        var fan = new Source();
        _queue.Schedule(fan);
        await Wait.UntilAsync(() => fan.Sends == 1, Timeout, "the first send");

        // Sent again at once: recent, so this round is busy and the next one is held.
        _queue.Schedule(fan);
        await Wait.UntilAsync(() => fan.Sends == 2, Timeout, "the second send");
        _queue.Schedule(fan);
        await Task.Delay(200);
        Assert.Equal(2, fan.Sends);

        _time.Advance(Window / 4);
        await Wait.UntilAsync(() => fan.Sends == 3, Timeout, "the held round");
    }

    [Fact]
    public async Task A_connection_sent_to_seldom_is_never_held()
    {
        var fan = new Source();
        _queue.Schedule(fan);
        await Wait.UntilAsync(() => fan.Sends == 1, Timeout, "the first send");

        // Its last send is older than twice the window: not recent, so the round is not busy.
        _time.Advance(2 * Window);
        _queue.Schedule(fan);
        await Wait.UntilAsync(() => fan.Sends == 2, Timeout, "the second send");
        _queue.Schedule(fan);

        await Wait.UntilAsync(() => fan.Sends == 3, Timeout, "the third send, not held");
    }

    /// <summary>A connection with something to send each time it is queued.</summary>
    private sealed class Source : ISendSource
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        public long LastSent { get; private set; }

        public bool Send(long now)
        {
            LastSent = now;
            Interlocked.Increment(ref _sends);
            return true;
        }
    }
}
