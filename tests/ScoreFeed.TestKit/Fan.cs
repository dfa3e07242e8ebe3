using System.Diagnostics;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using ScoreFeed.Contract;

namespace ScoreFeed.Testing;

/// <summary>
/// One fan of a <see cref="FanPool"/>: its connection here (connect, handshake, read, Subscribe, reconnect with
/// backoff to another hub); what it does with what it reads, the contract's client rules, in Fan.Rules.cs.
/// </summary>
internal sealed partial class Fan(FanPool pool, int index, string[] topics, int hub)
{
    private readonly Lock _gate = new();
    private volatile RawHubClient? _client;
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

    public void Abort() => _client?.Abort();

    public async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            var client = new RawHubClient
            {
                SocketReceiveBufferSize = pool.SmallReceiveBuffers ? 4096 : null,
                Invoker = pool.Invoker,
                DropFailedSends = true,
                Options = { KeepAliveInterval = TimeSpan.Zero },
            };
            try
            {
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(30));
                await client.ConnectAsync(pool.Hubs[Hub], connectTimeout.Token);
                _client = client;
                Interlocked.Increment(ref Connects);
                await client.HandshakeAsync();
                await ReceiveLoopAsync(client, () => attempt = 0, stop);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or SocketException or HttpRequestException)
            {
                if (stop.IsCancellationRequested)
                {
                    break;
                }
                pool.ConnectFailures.AddOrUpdate((int)client.HttpStatusCode, 1, (_, n) => n + 1);
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
                _client = null;
                client.Dispose();
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

    public Task PingAsync() => _client?.PingAsync() ?? Task.CompletedTask;

    private async Task ReceiveLoopAsync(RawHubClient client, Action onSubscribed, CancellationToken stop)
    {
        var handshakeDone = false;
        while (client.State == WebSocketState.Open)
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
            var message = await client.ReceiveAsync(stop);
            if (message.IsClose)
            {
                return;
            }
            var data = message.Data;
            while (HubMessages.NextJsonRecord(ref data, out var record))
            {
                if (!handshakeDone)
                {
                    handshakeDone = true;
                    if (record.Span.IndexOf("\"error\""u8) >= 0)
                    {
                        pool.CloseReasons.AddOrUpdate("handshake: " + Encoding.UTF8.GetString(record.Span), 1, (_, n) => n + 1);
                        return;
                    }
                    await SubscribeAsync(client);
                    continue;
                }
                await OnRecordAsync(client, record, onSubscribed);
            }
        }
    }

    private async Task OnRecordAsync(RawHubClient client, ReadOnlyMemory<byte> record, Action onSubscribed)
    {
        if (record.Span.StartsWith("{\"type\":1,"u8) && record.Span.IndexOf("\"target\":\"update\""u8) >= 0)
        {
            if (UpdateHead.TryRead(record.Span, out var head) && OnUpdate(head.MatchId, head.Epoch, head.Seq))
            {
                await SubscribeAsync(client);
            }
        }
        else if (record.Span.StartsWith("{\"type\":3,"u8))
        {
            await OnCompletionAsync(client, record, onSubscribed);
        }
        else if (record.Span.StartsWith("{\"type\":7"u8))
        {
            using var doc = JsonDocument.Parse(record);
            var error = doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? "" : "(no error)";
            pool.CloseReasons.AddOrUpdate(error, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Sends Subscribe with the positions held now; if one is running, sends another once it completes.</summary>
    private async Task SubscribeAsync(RawHubClient client)
    {
        SubscribeRequest request;
        string id;
        lock (_gate)
        {
            if (_subscribeId is not null)
            {
                _again = true;
                return;
            }
            id = _subscribeId = (++_invocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
            request = new SubscribeRequest { Topics = Topics, Positions = Positions() };
        }
        await client.SubscribeAsync(request, id);
    }

    private async Task OnCompletionAsync(RawHubClient client, ReadOnlyMemory<byte> record, Action onSubscribed)
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
            await SubscribeAsync(client);
        }
    }
}
