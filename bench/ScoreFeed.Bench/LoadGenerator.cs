using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ScoreFeed.Bench;

/// <summary>
/// Thousands of <see cref="RawHubClient"/> connections speaking the SignalR hub protocol (JSON or
/// MessagePack) or the raw baseline's plain frames, parsing only what they must: each update's matchId,
/// epoch, seq and ts. Latency is receive time − ts (ts is stamped by the publisher right before it publishes).
/// Each connection (LoadConnection.cs) follows the contract's client rules and counts gaps and duplicates.
/// </summary>
internal sealed partial class LoadGenerator(Uri target, string kind, string protocol, int sourceAddresses = 1,
    X509Certificate2? trustedCertificate = null)
{
    private Uri _target = target;
    private readonly string _kind = kind;
    private readonly List<Connection> _connections = [];
    /// <summary>
    /// One invoker per source address 127.0.0.{1..n}, each binding its sockets there: every address has its own
    /// ephemeral ports to the one server port, so that more connections than one address has ports can be opened.
    /// </summary>
    private readonly HttpMessageInvoker[] _invokers =
        [.. Enumerable.Range(1, Math.Max(1, sourceAddresses)).Select(i => BoundInvoker(new IPAddress([127, 0, 0, (byte)i]), trustedCertificate))];
    private float[] _latencies = new float[1 << 20];
    private int _latencyCount;
    private long _deliveries;
    private volatile bool _measuring;

    public long Gaps;
    public long Duplicates;
    public long Errors;

    public int Count => _connections.Count;

    public HubProtocol Protocol { get; } = protocol == "msgpack" ? HubProtocol.MessagePack : HubProtocol.Json;

    /// <summary>
    /// Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time and at most
    /// <paramref name="perSecond"/> a second (0: as fast as they are answered), each subscribed to its topics. Returns
    /// each one's time from opening to its Subscribe result, in ms, ascending.
    /// </summary>
    public async Task<double[]> ConnectAsync(int count, Func<int, string[]> topicsFor, int parallel = 100, double perSecond = 0)
    {
        var next = _connections.Count;
        var created = new Connection[count];
        var opened = new double[count];
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (i, ct) =>
        {
            if (perSecond > 0 && TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start) is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, ct);
            }
            var connection = new Connection(this, topicsFor(next + i), next + i);
            var began = Stopwatch.GetTimestamp();
            await connection.OpenAsync(null, ct);
            opened[i] = Stopwatch.GetElapsedTime(began).TotalMilliseconds;
            created[i] = connection;
        });
        _connections.AddRange(created);
        Array.Sort(opened);
        return opened;
    }

    /// <summary>
    /// An invoker whose connections leave from <paramref name="local"/> (any free port). For <c>wss://</c> it trusts
    /// <paramref name="trusted"/> as a root: the bench's own self-signed certificate for 127.0.0.1.
    /// </summary>
    private static HttpMessageInvoker BoundInvoker(IPAddress local, X509Certificate2? trusted) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            CertificateChainPolicy = trusted is null ? null : new()
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { trusted },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    /// <summary>Connection attempts refused or failed and tried again (the hub's admission limits, a full backlog).</summary>
    public long ConnectRetries;

    /// <summary>
    /// Drops every connection at once (no close handshake), then reconnects them all at once, resuming with their
    /// positions: to the same server, or to <paramref name="to"/> (another hub, when theirs was killed).
    /// </summary>
    public async Task<TimeSpan> StormAsync(Uri? to = null)
    {
        _target = to ?? _target;
        Interlocked.Exchange(ref ConnectRetries, 0);
        foreach (var c in _connections)
        {
            c.Abort();
        }
        var watch = Stopwatch.StartNew();
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

    /// <summary>The invoker of connection <paramref name="index"/>'s source address.</summary>
    private HttpMessageInvoker InvokerFor(int index) => _invokers[index % _invokers.Length];

    private static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
