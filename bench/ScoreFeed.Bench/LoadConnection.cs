using System.Net.WebSockets;
using System.Text.Json;
using MessagePack;
using ScoreFeed.Contract;

namespace ScoreFeed.Bench;

internal sealed partial class LoadGenerator
{
    /// <summary>
    /// One connection of the load generator: a <see cref="RawHubClient"/> that subscribes, reads every message and
    /// applies each update as the contract's client rules say (held while Subscribe runs, then in seq order), counting
    /// gaps and duplicates, and recording each update's latency.
    /// </summary>
    private sealed class Connection(LoadGenerator owner, string[] topics, int index)
    {
        private readonly Dictionary<string, (string Epoch, long Seq)> _positions = new(StringComparer.Ordinal);
        /// <summary>Updates received while Subscribe runs: applied after its result, as the contract's client rules say.</summary>
        private readonly List<(string MatchId, string Epoch, long Seq)> _held = [];
        private bool _subscribing;
        private readonly Lock _gate = new();
        private RawHubClient _client = null!;

        /// <summary>A client whose receive buffer starts small (it grows for a bigger message): 100,000 of them must fit.</summary>
        private RawHubClient NewClient() => new(8 * 1024) { DropFailedSends = true, Invoker = owner.InvokerFor(index) };

        public Dictionary<string, StreamPosition> Positions()
        {
            lock (_gate)
            {
                return _positions.ToDictionary(kv => kv.Key, kv => new StreamPosition { Epoch = kv.Value.Epoch, Seq = kv.Value.Seq });
            }
        }

        public void Abort() => _client.Abort();

        public async Task OpenAsync(Dictionary<string, StreamPosition>? positions, CancellationToken cancellationToken)
        {
            _client = NewClient();
            var uri = owner._kind == "raw"
                ? new Uri(owner._target, "/ws?topics=" + string.Join(',', topics))
                : new Uri(owner._target, "/hubs/scores");
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await _client.ConnectAsync(uri, cancellationToken);
                    break;
                }
                catch (WebSocketException) when (attempt < 20)
                {
                    Interlocked.Increment(ref owner.ConnectRetries);
                    _client.Dispose();
                    _client = NewClient();
                    await Task.Delay(Random.Shared.Next(50, 250) * attempt, cancellationToken);
                }
            }
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _ = ReceiveLoopAsync(_client, subscribed);
            if (owner._kind == "raw")
            {
                return;
            }
            lock (_gate)
            {
                _subscribing = true;
                _held.Clear();
            }
            await _client.HandshakeAsync(owner.Protocol);
            await _client.SubscribeAsync(new SubscribeRequest { Topics = topics, Positions = positions });
            await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        }

        public Task PingAsync() => _client.PingAsync();

        private async Task ReceiveLoopAsync(RawHubClient client, TaskCompletionSource subscribed)
        {
            var handshakeDone = false;
            try
            {
                while (client.State == WebSocketState.Open)
                {
                    var message = await client.ReceiveAsync();
                    if (message.IsClose)
                    {
                        break;
                    }
                    var now = NowMs();
                    var data = message.Data;
                    if (owner._kind == "raw")
                    {
                        OnUpdateJson(data.Span, now);
                    }
                    else if (!handshakeDone)
                    {
                        // The handshake answer "{}\x1e" is always text; with JSON more records may follow in the same frame.
                        var end = data.Span.IndexOf(HubMessages.RecordSeparator);
                        handshakeDone = true;
                        if (owner.Protocol == HubProtocol.Json)
                        {
                            OnJsonRecords(data[(end + 1)..], now, subscribed);
                        }
                        else if (end + 1 < data.Length)
                        {
                            OnMessagePack(data[(end + 1)..], now, subscribed);
                        }
                    }
                    else if (owner.Protocol == HubProtocol.MessagePack)
                    {
                        OnMessagePack(data, now, subscribed);
                    }
                    else
                    {
                        OnJsonRecords(data, now, subscribed);
                    }
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

        private void OnJsonRecords(ReadOnlyMemory<byte> data, double now, TaskCompletionSource subscribed)
        {
            while (HubMessages.NextJsonRecord(ref data, out var next))
            {
                var record = next.Span;
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
            while (HubMessages.NextMessagePackMessage(ref data, out var body))
            {
                var message = new MessagePackReader(body);
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
    }
}
