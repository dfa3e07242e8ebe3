namespace ScoreFeed.Bench;

/// <summary>
/// Thousands of <see cref="RawHubClient"/> connections speaking the SignalR hub protocol (JSON or
/// MessagePack) or the raw baseline's plain frames, parsing only what they must: each update's matchId,
/// epoch, seq and ts. Latency is receive time − ts (ts is stamped by the publisher right before it publishes).
/// Each connection (LoadConnection.cs) follows the contract's client rules and counts gaps and duplicates.
/// </summary>
internal sealed partial class LoadGenerator(Uri target, string kind, string protocol)
{
    private readonly Uri _target = target;
    private readonly string _kind = kind;
    private readonly List<Connection> _connections = [];
    private float[] _latencies = new float[1 << 20];
    private int _latencyCount;
    private long _deliveries;
    private volatile bool _measuring;

    public long Gaps;
    public long Duplicates;
    public long Errors;

    public int Count => _connections.Count;

    public HubProtocol Protocol { get; } = protocol == "msgpack" ? HubProtocol.MessagePack : HubProtocol.Json;

    /// <summary>Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time, each subscribed to its topics.</summary>
    public async Task ConnectAsync(int count, Func<int, string[]> topicsFor, int parallel = 100)
    {
        var next = _connections.Count;
        var end = next + count;
        var created = new Connection[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            var connection = new Connection(this, topicsFor(next + i));
            await connection.OpenAsync(null, ct);
            created[i] = connection;
        });
        _connections.AddRange(created);
    }

    /// <summary>Connection attempts refused or failed and tried again (the hub's admission limits, a full backlog).</summary>
    public long ConnectRetries;

    /// <summary>Drops every connection at once (no close handshake), then reconnects them all at once, resuming with their positions.</summary>
    public async Task<TimeSpan> StormAsync()
    {
        Interlocked.Exchange(ref ConnectRetries, 0);
        foreach (var c in _connections)
        {
            c.Abort();
        }
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(_connections.Select(c => c.OpenAsync(c.Positions(), CancellationToken.None)));
        return watch.Elapsed;
    }

    public void StartMeasuring()
    {
        Interlocked.Exchange(ref _deliveries, 0);
        Interlocked.Exchange(ref _latencyCount, 0);
        Interlocked.Exchange(ref Gaps, 0);
        Interlocked.Exchange(ref Duplicates, 0);
        _measuring = true;
    }

    public (long Deliveries, float[] Latencies) StopMeasuring()
    {
        _measuring = false;
        var n = Math.Min(_latencyCount, _latencies.Length);
        var copy = _latencies[..n];
        Array.Sort(copy);
        return (Interlocked.Read(ref _deliveries), copy);
    }

    /// <summary>Keeps the connections alive: SignalR closes a client that sends nothing for 30 s.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        if (_kind != "signalr")
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            foreach (var c in _connections.ToArray())
            {
                await c.PingAsync();
            }
        }
    }

    public async Task CloseAllAsync()
    {
        foreach (var c in _connections)
        {
            c.Abort();
        }
        _connections.Clear();
        await Task.CompletedTask;
    }

    private void Record(double latencyMs)
    {
        if (!_measuring)
        {
            return;
        }
        Interlocked.Increment(ref _deliveries);
        var i = Interlocked.Increment(ref _latencyCount) - 1;
        var buffer = _latencies;
        if (i < buffer.Length)
        {
            buffer[i] = (float)latencyMs;
        }
        else if (i == buffer.Length)
        {
            // Grow once we run out; samples arriving meanwhile are counted, not kept.
            var bigger = new float[buffer.Length * 4];
            buffer.CopyTo(bigger, 0);
            _latencies = bigger;
        }
    }

    private static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
