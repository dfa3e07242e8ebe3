using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using ScoreFeed.Contract;
using ScoreFeed.Realtime;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// Publishes a committed update to the hubs: once, on the updates channel (<see cref="UpdateEnvelope"/>), with the topics
/// it goes to (<c>match:{id}</c>, <c>competition:{id}</c> and, while the match is or just was in play, <c>live</c>).
/// Every hub fans it out to its own connections (the hub's <c>UpdateFanout</c>).
/// <para>
/// An update that cannot be published (Redis down, failing over) is kept, in order, in a bounded queue that a
/// background loop publishes with Polly retries (exponential backoff with jitter) once Redis answers again; while the
/// queue is not empty, new updates join it, so every match's updates still leave in seq order. Nothing committed is
/// lost either way: the update is in the match's Redis history, and a client that misses it recovers it at its next
/// gap. The queue makes sure connected clients also get an update that no later one follows (a final whistle).
/// </para>
/// </summary>
internal sealed class MatchPublisher : BackgroundService
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly IngestMetrics _metrics;
    private readonly PublishingOptions _options;
    private readonly ILogger<MatchPublisher> _logger;
    private readonly Queue<Pending> _pending = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Lock _gate = new();

    // A Redis blip is covered in place, without holding the match's queue for long.
    private readonly ResiliencePipeline _now = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>(),
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(50),
        })
        .Build();

    // What is pending waits for Redis as long as it takes.
    private readonly ResiliencePipeline _later;

    public MatchPublisher(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time,
        IngestMetrics metrics, IOptions<PublishingOptions> options, ILogger<MatchPublisher> logger)
    {
        (_redis, _keys, _time, _metrics, _options, _logger) = (redis, keys, time, metrics, options.Value, logger);
        _later = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutException>(),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(100),
                MaxDelay = _options.MaxRetryDelay,
            })
            .Build();
        metrics.ObservePending(() => PendingCount);
    }

    /// <summary>Updates waiting to be published.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    public async Task PublishAsync(ApplyResult result, CancellationToken cancellationToken)
    {
        var update = result.Update ?? throw new ArgumentException("Only applied changes are published.", nameof(result));
        var pending = new Pending(update, UpdateEnvelope.TopicsFor(update, result.PreviousStatus));
        lock (_gate)
        {
            if (_pending.Count > 0)
            {
                // Behind what waits already, so that the match's updates keep their order.
                Enqueue(pending);
                return;
            }
        }
        try
        {
            // Not cancelled by a stopping process: the update is committed, and no later one may come to reveal it as a
            // gap (StackExchange.Redis bounds the send with its own timeout).
            await _now.ExecuteAsync(ct => SendAsync(pending, ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _metrics.PublishFailed();
            IngestLog.PublishWaiting(_logger, e, update.MatchId, update.Seq);
            lock (_gate)
            {
                Enqueue(pending);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
                var published = 0;
                while (Peek() is { } next)
                {
                    await _later.ExecuteAsync(ct => SendAsync(next, ct), stoppingToken).ConfigureAwait(false);
                    Dequeue(next);
                    _metrics.PublishedLate();
                    published++;
                }
                if (published > 0)
                {
                    IngestLog.PublishCaughtUp(_logger, published);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (PendingCount is var left and > 0)
            {
                IngestLog.StoppedWithUnpublished(_logger, left);
            }
        }
    }

    private async ValueTask SendAsync(Pending pending, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var update = pending.Update with { Ts = _time.GetUtcNow().ToUnixTimeMilliseconds() };
        await _redis.GetSubscriber().PublishAsync(_keys.UpdatesChannel, UpdateEnvelope.Format(update, pending.Topics)).ConfigureAwait(false);
        _metrics.Published();
    }

    /// <summary>Under <see cref="_gate"/>.</summary>
    private void Enqueue(Pending pending)
    {
        if (_pending.Count >= _options.MaxPending)
        {
            var dropped = _pending.Dequeue();
            _metrics.PublishDropped();
            IngestLog.PublishDropped(_logger, dropped.Update.MatchId, dropped.Update.Seq, _options.MaxPending);
        }
        _pending.Enqueue(pending);
        if (_pending.Count == 1)
        {
            _signal.Release();
        }
    }

    private Pending? Peek()
    {
        lock (_gate)
        {
            return _pending.TryPeek(out var next) ? next : null;
        }
    }

    private void Dequeue(Pending published)
    {
        lock (_gate)
        {
            // The head may have been dropped meanwhile (queue full): remove it only if it is still the one published.
            if (_pending.TryPeek(out var head) && ReferenceEquals(head, published))
            {
                _pending.Dequeue();
            }
        }
    }

    public override void Dispose()
    {
        _signal.Dispose();
        base.Dispose();
    }

    private sealed record Pending(MatchUpdate Update, string[] Topics);
}
