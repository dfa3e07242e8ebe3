using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Testing;

/// <summary>
/// Thousands of fans, each a raw <see cref="ClientWebSocket"/> speaking the SignalR JSON hub protocol the way the
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

    public FanPool(IReadOnlyList<Uri> hubs) => Hubs = [.. hubs.Select(h => new UriBuilder(h) { Scheme = h.Scheme is "https" or "wss" ? "wss" : "ws" }.Uri)];

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

/// <summary>What a fan holds for one match in one epoch: its position and every seq it applied, in order.</summary>
internal sealed class FanTrack(string epoch, long seq)
{
    public string Epoch { get; } = epoch;
    /// <summary>The position the fan first held in this epoch (a snapshot's seq, or the seq before its first update).</summary>
    public long First { get; } = seq;
    public long Seq { get; set; } = seq;
    public List<long> Applied { get; } = [];
    /// <summary>Seqs a snapshot jumped over in this epoch (a position that had left the history): not applied one by one.</summary>
    public long Skipped { get; set; }
}

internal sealed class Fan(FanPool pool, int index, string[] topics, int hub)
{
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FanTrack> _tracks = new(StringComparer.Ordinal);
    private readonly List<FanTrack> _earlierEpochs = [];
    private readonly List<(string MatchId, string Epoch, long Seq)> _held = [];
    private readonly SemaphoreSlim _send = new(1, 1);
    private volatile ClientWebSocket? _socket;
    private TaskCompletionSource? _resume;
    private int _hub = hub;
    private int _invocation;
    private string? _subscribeId;
    private bool _again;
    private bool _subscribed;

    public int Index { get; } = index;
    public string[] Topics { get; } = topics;

    /// <summary>The hub of the current connection (an index into <see cref="FanPool.Hubs"/>).</summary>
    public int Hub => Volatile.Read(ref _hub);

    /// <summary>Connected and holding a Subscribe result on this connection.</summary>
    public bool Subscribed
    {
        get
        {
            lock (_gate)
            {
                return _subscribed;
            }
        }
    }

    public long Connects;
    public long Disconnects;
    public long Gaps;
    public long Duplicates;
    public long Recovered;
    /// <summary>Updates applied as the hub pushed them (not recovered by Subscribe).</summary>
    public long Pushed;
    public long Resnapshots;
    public long SubscribeErrors;
    /// <summary>When the last Subscribe after a (re)connect completed.</summary>
    public long SubscribedAtTicks;

    /// <summary>Stops reading (the socket stays open and pings go on) until <see cref="ResumeReading"/>.</summary>
    public void PauseReading()
    {
        lock (_gate)
        {
            _resume ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void ResumeReading()
    {
        TaskCompletionSource? resume;
        lock (_gate)
        {
            resume = _resume;
            _resume = null;
        }
        resume?.TrySetResult();
    }

    public Dictionary<string, FanTrack> Tracks()
    {
        lock (_gate)
        {
            return new Dictionary<string, FanTrack>(_tracks, StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<FanTrack> EarlierEpochs()
    {
        lock (_gate)
        {
            return [.. _earlierEpochs];
        }
    }

    public void Abort() => _socket?.Abort();

    public async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
                if (pool.SmallReceiveBuffers)
                {
                    using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = SmallBufferConnectAsync });
                    await socket.ConnectAsync(pool.Hubs[Hub], invoker, connectTimeout.Token);
                }
                else if (pool.Invoker is not null)
                {
                    await socket.ConnectAsync(pool.Hubs[Hub], pool.Invoker, connectTimeout.Token);
                }
                else
                {
                    await socket.ConnectAsync(pool.Hubs[Hub], connectTimeout.Token);
                }
                _socket = socket;
                Interlocked.Increment(ref Connects);
                await SendAsync(socket, Handshake);
                await ReceiveLoopAsync(socket, () => attempt = 0, stop);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or SocketException or HttpRequestException)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }
                pool.ConnectFailures.AddOrUpdate((int)socket.HttpStatusCode, 1, (_, n) => n + 1);
            }
            finally
            {
                lock (_gate)
                {
                    _subscribed = false;
                    _subscribeId = null;
                    _again = false;
                    _held.Clear();
                }
                _socket = null;
                socket.Dispose();
            }
            if (stop.IsCancellationRequested)
            {
                break;
            }
            Interlocked.Increment(ref Disconnects);
            // Another hub next time, at random (behind a balancer, the balancer picks one), after a jittered exponential backoff.
            if (pool.Hubs.Length > 1)
            {
                Volatile.Write(ref _hub, (Hub + 1 + Random.Shared.Next(pool.Hubs.Length - 1)) % pool.Hubs.Length);
            }
            var cap = Math.Min(pool.MaxBackoff.TotalMilliseconds, pool.BaseBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10)));
            attempt++;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static async ValueTask<Stream> SmallBufferConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task PingAsync() => _socket is { State: WebSocketState.Open } socket ? SendAsync(socket, Ping) : Task.CompletedTask;

    private async Task SendAsync(ClientWebSocket socket, byte[] bytes)
    {
        await _send.WaitAsync();
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            // The receive loop sees the connection end.
        }
        finally
        {
            _send.Release();
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, Action onSubscribed, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        var handshakeDone = false;
        while (socket.State == WebSocketState.Open)
        {
            Task? paused;
            lock (_gate)
            {
                paused = _resume?.Task;
            }
            if (paused is not null)
            {
                await paused.WaitAsync(stop);
            }
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(filled), stop);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
            filled += result.Count;
            if (!result.EndOfMessage)
            {
                continue;
            }
            var data = buffer.AsMemory(0, filled);
            filled = 0;
            while (data.Length > 0)
            {
                var end = data.Span.IndexOf((byte)0x1e);
                var record = end < 0 ? data : data[..end];
                data = end < 0 ? default : data[(end + 1)..];
                if (!handshakeDone)
                {
                    handshakeDone = true;
                    if (record.Span.IndexOf("\"error\""u8) >= 0)
                    {
                        pool.CloseReasons.AddOrUpdate("handshake: " + Encoding.UTF8.GetString(record.Span), 1, (_, n) => n + 1);
                        return;
                    }
                    await SubscribeAsync(socket);
                    continue;
                }
                await OnRecordAsync(socket, record, onSubscribed);
            }
        }
    }

    private async Task OnRecordAsync(ClientWebSocket socket, ReadOnlyMemory<byte> record, Action onSubscribed)
    {
        if (record.Span.StartsWith("{\"type\":1,"u8) && record.Span.IndexOf("\"target\":\"update\""u8) >= 0)
        {
            if (UpdateHead.TryRead(record.Span, out var head))
            {
                var (matchId, epoch, seq) = (head.MatchId, head.Epoch, head.Seq);
                bool resubscribe;
                lock (_gate)
                {
                    if (_subscribeId is not null)
                    {
                        _held.Add((matchId, epoch, seq));
                        return;
                    }
                    resubscribe = Apply(matchId, epoch, seq, pushed: true);
                }
                if (resubscribe)
                {
                    await SubscribeAsync(socket);
                }
            }
        }
        else if (record.Span.StartsWith("{\"type\":3,"u8))
        {
            await OnCompletionAsync(socket, record, onSubscribed);
        }
        else if (record.Span.StartsWith("{\"type\":7"u8))
        {
            using var doc = JsonDocument.Parse(record);
            var error = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "(no error)";
            pool.CloseReasons.AddOrUpdate(error, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Sends Subscribe with the positions held now; if one is running, sends another once it completes.</summary>
    private async Task SubscribeAsync(ClientWebSocket socket)
    {
        string json;
        lock (_gate)
        {
            if (_subscribeId is not null)
            {
                _again = true;
                return;
            }
            _subscribeId = (++_invocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var request = new SubscribeRequest
            {
                Topics = Topics,
                Positions = _tracks.ToDictionary(kv => kv.Key, kv => new StreamPosition { Epoch = kv.Value.Epoch, Seq = kv.Value.Seq }, StringComparer.Ordinal),
            };
            json = "{\"type\":1,\"invocationId\":\"" + _subscribeId + "\",\"target\":\"Subscribe\",\"arguments\":["
                + JsonSerializer.Serialize(request, ScoreFeedJsonContext.Default.SubscribeRequest) + "]}\u001e";
        }
        await SendAsync(socket, Encoding.UTF8.GetBytes(json));
    }

    private async Task OnCompletionAsync(ClientWebSocket socket, ReadOnlyMemory<byte> record, Action onSubscribed)
    {
        var (id, result, error) = ParseCompletion(record.Span);
        bool again;
        lock (_gate)
        {
            if (id != _subscribeId)
            {
                return;
            }
            _subscribeId = null;
            if (error is not null || result is null)
            {
                SubscribeErrors++;
                again = true;
            }
            else
            {
                again = Complete(result) | _again;
                if (!_subscribed)
                {
                    _subscribed = true;
                    SubscribedAtTicks = Stopwatch.GetTimestamp();
                    onSubscribed();
                }
            }
            _again = false;
        }
        if (again)
        {
            if (error is not null)
            {
                await Task.Delay(Random.Shared.Next(100, 500));
            }
            await SubscribeAsync(socket);
        }
    }

    /// <summary>Under <see cref="_gate"/>: the result, then what was held meanwhile. True when another Subscribe is needed.</summary>
    private bool Complete(SubscribeResult result)
    {
        var again = false;
        foreach (var state in result.Matches)
        {
            if (!_tracks.TryGetValue(state.MatchId, out var track))
            {
                _tracks[state.MatchId] = new FanTrack(state.Epoch, state.Seq);
            }
            else if (track.Epoch != state.Epoch)
            {
                _earlierEpochs.Add(track);
                _tracks[state.MatchId] = new FanTrack(state.Epoch, state.Seq);
                Resnapshots++;
            }
            else if (track.Seq < state.Seq)
            {
                track.Skipped += state.Seq - track.Seq;
                track.Seq = state.Seq;
            }
        }
        foreach (var update in result.Recovered)
        {
            Recovered++;
            again |= Apply(update.MatchId, update.Epoch, update.Seq, pushed: false);
        }
        foreach (var (matchId, epoch, seq) in _held)
        {
            again |= Apply(matchId, epoch, seq, pushed: true);
        }
        _held.Clear();
        return again;
    }

    /// <summary>Under <see cref="_gate"/>. True when the fan must subscribe again (a gap, or a new epoch).</summary>
    private bool Apply(string matchId, string epoch, long seq, bool pushed)
    {
        if (!_tracks.TryGetValue(matchId, out var track))
        {
            // A match the fan has not seen (it just went live): it starts here.
            track = _tracks[matchId] = new FanTrack(epoch, seq - 1);
        }
        if (track.Epoch != epoch)
        {
            // The match's history was lost: forget it and take its full state.
            _earlierEpochs.Add(track);
            _tracks.Remove(matchId);
            Resnapshots++;
            return true;
        }
        if (seq <= track.Seq)
        {
            Duplicates++;
            return false;
        }
        if (seq != track.Seq + 1)
        {
            Gaps++;
            return true;
        }
        track.Seq = seq;
        track.Applied.Add(seq);
        if (pushed)
        {
            Pushed++;
        }
        return false;
    }

    private static (string? Id, SubscribeResult? Result, string? Error) ParseCompletion(ReadOnlySpan<byte> record)
    {
        string? id = null, error = null;
        SubscribeResult? result = null;
        var reader = new Utf8JsonReader(record);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals("invocationId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                result = JsonSerializer.Deserialize(ref reader, ScoreFeedJsonContext.Default.SubscribeResult);
            }
        }
        return (id, result, error);
    }
}
