using ScoreFeed.Testing;
using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using MessagePack;
using ScoreFeed.Contract;

namespace ScoreFeed.Bench;

/// <summary>
/// Thousands of raw <see cref="ClientWebSocket"/> connections speaking the SignalR hub protocol (JSON or
/// MessagePack) or the raw baseline's plain frames, parsing only what they must: each update's matchId,
/// epoch, seq and ts. Latency is receive time − ts (ts is stamped by the publisher right before it publishes).
/// </summary>
internal sealed class LoadGenerator(Uri target, string kind, string protocol)
{
    private readonly Uri _target = target;
    private readonly string _kind = kind;
    private static readonly byte[] RecordSeparator = [0x1e];
    private readonly List<Connection> _connections = [];
    private float[] _latencies = new float[1 << 20];
    private int _latencyCount;
    private long _deliveries;
    private volatile bool _measuring;

    public long Gaps;
    public long Duplicates;
    public long Errors;

    public int Count => _connections.Count;

    public bool Binary => protocol == "msgpack";

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

    /// <summary>Drops every connection at once (no close handshake), then reconnects them all at once, resuming with their positions.</summary>
    /// <summary>Connection attempts refused or failed and tried again (the hub's admission limits, a full backlog).</summary>
    public long ConnectRetries;

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

    private sealed class Connection(LoadGenerator owner, string[] topics)
    {
        private readonly Dictionary<string, (string Epoch, long Seq)> _positions = new(StringComparer.Ordinal);
        /// <summary>Updates received while Subscribe runs: applied after its result, as the contract's client rules say.</summary>
        private readonly List<(string MatchId, string Epoch, long Seq)> _held = [];
        private bool _subscribing;
        private readonly Lock _gate = new();
        private ClientWebSocket _socket = new();
        private readonly SemaphoreSlim _send = new(1, 1);

        public Dictionary<string, StreamPosition> Positions()
        {
            lock (_gate)
            {
                return _positions.ToDictionary(kv => kv.Key, kv => new StreamPosition { Epoch = kv.Value.Epoch, Seq = kv.Value.Seq });
            }
        }

        public void Abort() => _socket.Abort();

        public async Task OpenAsync(Dictionary<string, StreamPosition>? positions, CancellationToken cancellationToken)
        {
            _socket = new ClientWebSocket();
            var uri = owner._kind == "raw"
                ? new Uri(owner._target, "/ws?topics=" + string.Join(',', topics))
                : new Uri(owner._target, "/hubs/scores");
            uri = new UriBuilder(uri) { Scheme = "ws" }.Uri;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _socket.ConnectAsync(uri, cancellationToken);
                    break;
                }
                catch (WebSocketException) when (attempt < 20)
                {
                    Interlocked.Increment(ref owner.ConnectRetries);
                    _socket.Dispose();
                    _socket = new ClientWebSocket();
                    await Task.Delay(Random.Shared.Next(50, 250) * attempt, cancellationToken);
                }
            }
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = ReceiveLoopAsync(subscribed);
            if (owner._kind == "raw")
            {
                return;
            }
            lock (_gate)
            {
                _subscribing = true;
                _held.Clear();
            }
            var request = new SubscribeRequest { Topics = topics, Positions = positions };
            if (owner.Binary)
            {
                await SendAsync("{\"protocol\":\"messagepack\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text);
                await SendAsync(MessagePackInvocation(request), WebSocketMessageType.Binary);
            }
            else
            {
                await SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text);
                var json = "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Subscribe\",\"arguments\":[" + JsonSerializer.Serialize(request, ScoreFeedJsonContext.Default.SubscribeRequest) + "]}\u001e";
                await SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);
            }
            await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        public Task PingAsync() => _socket.State != WebSocketState.Open
            ? Task.CompletedTask
            : owner.Binary ? SendAsync([0x02, 0x91, 0x06], WebSocketMessageType.Binary) : SendAsync("{\"type\":6}\u001e"u8.ToArray(), WebSocketMessageType.Text);

        private async Task SendAsync(byte[] bytes, WebSocketMessageType type)
        {
            await _send.WaitAsync();
            try
            {
                await _socket.SendAsync(bytes, type, true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
            }
            finally
            {
                _send.Release();
            }
        }

        private async Task ReceiveLoopAsync(TaskCompletionSource subscribed)
        {
            var socket = _socket;
            var buffer = new byte[64 * 1024];
            var filled = 0;
            var handshakeDone = false;
            try
            {
                while (socket.State == WebSocketState.Open)
                {
                    if (filled == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    var result = await socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        break;
                    }
                    filled += result.Count;
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }
                    var now = NowMs();
                    var data = buffer.AsSpan(0, filled);
                    if (owner._kind == "raw")
                    {
                        OnUpdateJson(data, now);
                    }
                    else if (!handshakeDone)
                    {
                        // The handshake answer "{}\x1e" is always text; with JSON more records may follow in the same frame.
                        var end = data.IndexOf((byte)0x1e);
                        handshakeDone = true;
                        if (!owner.Binary)
                        {
                            OnJsonRecords(data[(end + 1)..], now, subscribed);
                        }
                        else if (end + 1 < filled)
                        {
                            OnMessagePack(buffer.AsMemory(end + 1, filled - end - 1), now, subscribed);
                        }
                    }
                    else if (owner.Binary)
                    {
                        OnMessagePack(buffer.AsMemory(0, filled), now, subscribed);
                    }
                    else
                    {
                        OnJsonRecords(data, now, subscribed);
                    }
                    filled = 0;
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            catch (Exception e)
            {
                // A parsing bug must not pass for silence: count it and say it once.
                if (Interlocked.Increment(ref owner.Errors) == 1)
                {
                    Console.Error.WriteLine($"receive loop failed: {e}");
                }
            }
            subscribed.TrySetException(new InvalidOperationException("closed before subscribed"));
        }

        private void OnJsonRecords(ReadOnlySpan<byte> data, double now, TaskCompletionSource subscribed)
        {
            while (data.Length > 0)
            {
                var end = data.IndexOf((byte)0x1e);
                var record = end < 0 ? data : data[..end];
                data = end < 0 ? default : data[(end + 1)..];
                if (record.StartsWith("{\"type\":1,"u8))
                {
                    OnUpdateJson(record, now);
                }
                else if (record.StartsWith("{\"type\":3,"u8))
                {
                    OnSubscribeResult(JsonCompletion(record));
                    subscribed.TrySetResult();
                }
                else if (record.StartsWith("{\"type\":7"u8))
                {
                    Interlocked.Increment(ref owner.Errors);
                }
            }
        }

        private static SubscribeResult? JsonCompletion(ReadOnlySpan<byte> record)
        {
            var reader = new Utf8JsonReader(record);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("result"u8))
                {
                    reader.Read();
                    return JsonSerializer.Deserialize(ref reader, ScoreFeedJsonContext.Default.SubscribeResult);
                }
            }
            return null;
        }

        private void OnSubscribeResult(SubscribeResult? result)
        {
            lock (_gate)
            {
                foreach (var m in result?.Matches ?? [])
                {
                    if (!_positions.TryGetValue(m.MatchId, out var held) || held.Epoch != m.Epoch || held.Seq < m.Seq)
                    {
                        _positions[m.MatchId] = (m.Epoch, m.Seq);
                    }
                }
                foreach (var u in result?.Recovered ?? [])
                {
                    Apply(u.MatchId, u.Epoch, u.Seq);
                }
                _subscribing = false;
                foreach (var (matchId, epoch, seq) in _held)
                {
                    Apply(matchId, epoch, seq);
                }
                _held.Clear();
            }
        }

        private void OnUpdate(string matchId, string epoch, long seq)
        {
            lock (_gate)
            {
                if (_subscribing)
                {
                    _held.Add((matchId, epoch, seq));
                }
                else
                {
                    Apply(matchId, epoch, seq);
                }
            }
        }

        private void OnUpdateJson(ReadOnlySpan<byte> record, double now)
        {
            if (!UpdateHead.TryRead(record, out var head) || head.Ts <= 0)
            {
                return;
            }
            owner.Record(now - head.Ts);
            OnUpdate(head.MatchId, head.Epoch, head.Seq);
        }

        private void OnMessagePack(ReadOnlyMemory<byte> data, double now, TaskCompletionSource subscribed)
        {
            while (data.Length > 0)
            {
                // Each message: a VarInt length, then the MessagePack array.
                long length = 0;
                int shift = 0, used = 0;
                byte b;
                do
                {
                    b = data.Span[used++];
                    length |= (long)(b & 0x7f) << shift;
                    shift += 7;
                }
                while ((b & 0x80) != 0);
                var message = new MessagePackReader(data.Slice(used, (int)length));
                data = data[(used + (int)length)..];
                message.ReadArrayHeader();
                var type = message.ReadInt32();
                if (type == 1)
                {
                    message.Skip(); // headers
                    message.Skip(); // invocation id
                    if (message.ReadString() != ClientMethods.Update)
                    {
                        continue;
                    }
                    message.ReadArrayHeader();
                    string? matchId = null, epoch = null;
                    long seq = 0, ts = 0;
                    var count = message.ReadMapHeader();
                    for (var i = 0; i < count; i++)
                    {
                        switch (message.ReadString())
                        {
                            case "matchId": matchId = message.ReadString(); break;
                            case "epoch": epoch = message.ReadString(); break;
                            case "seq": seq = message.ReadInt64(); break;
                            case "ts": ts = message.ReadInt64(); break;
                            default: message.Skip(); break;
                        }
                    }
                    if (matchId is not null)
                    {
                        owner.Record(now - ts);
                        OnUpdate(matchId, epoch ?? "", seq);
                    }
                }
                else if (type == 3)
                {
                    message.Skip(); // headers
                    message.Skip(); // invocation id
                    if (message.ReadInt32() == 3)
                    {
                        OnSubscribeResult(MessagePackSerializer.Deserialize<SubscribeResult>(ref message, MessagePackSerializerOptions.Standard));
                    }
                    subscribed.TrySetResult();
                }
                else if (type == 7)
                {
                    Interlocked.Increment(ref owner.Errors);
                }
            }
        }

        private void Apply(string matchId, string epoch, long seq)
        {
            if (_positions.TryGetValue(matchId, out var last) && last.Epoch == epoch)
            {
                if (seq <= last.Seq)
                {
                    Interlocked.Increment(ref owner.Duplicates);
                    return;
                }
                if (seq != last.Seq + 1)
                {
                    Interlocked.Increment(ref owner.Gaps);
                }
            }
            _positions[matchId] = (epoch, seq);
        }

        private static byte[] MessagePackInvocation(SubscribeRequest request)
        {
            var body = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(body);
            writer.WriteArrayHeader(6);
            writer.Write(1);
            writer.WriteMapHeader(0);
            writer.Write("1");
            writer.Write("Subscribe");
            writer.WriteArrayHeader(1);
            MessagePackSerializer.Serialize(ref writer, request, MessagePackSerializerOptions.Standard);
            writer.WriteArrayHeader(0);
            writer.Flush();
            var framed = new List<byte>();
            var length = body.WrittenCount;
            do
            {
                var b = (byte)(length & 0x7f);
                length >>= 7;
                framed.Add(length > 0 ? (byte)(b | 0x80) : b);
            }
            while (length > 0);
            framed.AddRange(body.WrittenSpan.ToArray());
            return [.. framed];
        }
    }
}
