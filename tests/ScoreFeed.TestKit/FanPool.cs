using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScoreFeed.Testing;

/// <summary>
/// Thousands of fans, each a <see cref="RawHubClient"/> speaking the SignalR JSON hub protocol the way the
/// contract's client rules say (the benchmark's load generator, plus what a real client does after a failure):
/// hold updates while Subscribe runs; apply a match's update only if its seq is the next; drop duplicates; on a gap
/// subscribe again with positions; on a new epoch re-snapshot; when the connection drops, reconnect to the next hub
/// with jittered exponential backoff and subscribe with positions. Every applied seq is kept, per match and epoch,
/// so a test can check that each fan applied every seq exactly once, in order.
/// </summary>
internal sealed class FanPool : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Fan> _fans = [];
    private readonly List<Task> _runs = [];
    private Task? _pings;

    public FanPool(IReadOnlyList<Uri> hubs) => Hubs = [.. hubs.Select(h => RawHubClient.Url(h))];

    /// <summary>Hub endpoints (<c>ws://…/hubs/scores</c>, or <c>wss://</c> for https); a fan that loses its hub tries the next one.</summary>
    public Uri[] Hubs { get; }

    /// <summary>Connects every fan through this invoker when set (e.g. TLS to a balancer with a test certificate).</summary>
    public HttpMessageInvoker? Invoker { get; init; }

    public IReadOnlyList<Fan> Fans => _fans;

    /// <summary>First reconnect waits up to this (full jitter), doubling per failed attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Small socket receive buffers (4 KiB): a paused fan then stalls the server's socket quickly.</summary>
    public bool SmallReceiveBuffers { get; init; }

    /// <summary>Close messages the hubs sent, by error text.</summary>
    public ConcurrentDictionary<string, int> CloseReasons { get; } = new(StringComparer.Ordinal);

    /// <summary>Failed connection attempts, by HTTP status (0: refused, reset or timed out).</summary>
    public ConcurrentDictionary<int, int> ConnectFailures { get; } = new();

    /// <summary>Starts <paramref name="count"/> fans (fan i on hub i mod hubs) and waits until every one has its Subscribe result.</summary>
    public async Task StartAsync(int count, Func<int, string[]> topics, TimeSpan timeout)
    {
        var first = _fans.Count;
        for (var i = first; i < first + count; i++)
        {
            var fan = new Fan(this, i, topics(i), i % Hubs.Length);
            _fans.Add(fan);
            _runs.Add(Task.Run(() => fan.RunAsync(_stop.Token)));
        }
        _pings ??= PingAsync(_stop.Token);
        await WaitAsync(() => _fans.Skip(first).All(f => f.Subscribed), timeout, $"{count} fans to subscribe");
    }

    public static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        if (!await TryWaitAsync(condition, timeout))
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}.");
        }
    }

    /// <summary>True once <paramref name="condition"/> holds; false if it does not within <paramref name="timeout"/>.</summary>
    public static async Task<bool> TryWaitAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                return false;
            }
            await Task.Delay(50);
        }
        return true;
    }

    /// <summary>SignalR closes a client that sends nothing for 30 s: every open fan pings every 10 s (a paused one too).</summary>
    private async Task PingAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var fan in _fans.ToArray())
                {
                    await fan.PingAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var fan in _fans)
        {
            fan.Abort();
        }
        await Task.WhenAll(_runs).WaitAsync(TimeSpan.FromSeconds(20));
        if (_pings is not null)
        {
            await _pings.WaitAsync(TimeSpan.FromSeconds(5));
        }
        _stop.Dispose();
    }
}
