using ScoreFeed.Ingest.Feeds.Replay;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// Polls one HTTP provider while this process holds its lease: every <c>LivePollInterval</c> while any of its
/// matches is in play, else every <c>PollInterval</c>, later if the vendor asked for it with <c>Retry-After</c>.
/// Each response is parsed and applied through <see cref="FeedIngestor"/>; the poll's outcome feeds the provider's
/// health. A match that leaves a live list is never deleted: the day's list is fetched at once for its final state.
/// The competitions' tables (<see cref="FeedTables"/>) are fetched in the same poll, each once per <c>StandingsInterval</c>.
/// </summary>
internal sealed class ProviderPoller(
    IFeedFormat format,
    ProviderOptions options,
    FeedFetcher fetcher,
    ProviderLease lease,
    FeedIngestor ingestor,
    FeedTables tables,
    ProviderHealth health,
    FeedRecorder? recorder,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger<ProviderPoller> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _fetched = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlySet<string>> _inPlay = new(StringComparer.Ordinal);
    // The last payload of each request. A 304 re-offers it when some of its matches were held back for a better
    // provider, so they apply once that one fails, though this vendor has nothing new to say.
    private readonly Dictionary<string, FeedResponse> _last = new(StringComparer.Ordinal);
    private readonly HashSet<string> _deferred = new(StringComparer.Ordinal);
    private bool _fetchAll;
    private DateTimeOffset _notBefore;

    private string Name => format.Name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IngestLog.ProviderEnabled(logger, Name, options.BaseUrl!, options.PollInterval, options.LivePollInterval, string.IsNullOrEmpty(options.ApiKey) ? "no" : "an");
        var leaseLoop = lease.RunAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await lease.WaitUntilHeldAsync(stoppingToken).ConfigureAwait(false);
                var started = time.GetUtcNow();
                try
                {
                    await PollAsync(stoppingToken).ConfigureAwait(false);
                    await health.PublishAsync(redis, keys).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    IngestLog.PollRedisFailed(logger, e, Name);
                }
                var interval = _inPlay.Values.Any(s => s.Count > 0) ? options.LivePollInterval : options.PollInterval;
                var next = started + interval > _notBefore ? started + interval : _notBefore;
                var wait = next - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await leaseLoop.ConfigureAwait(false);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var request in format.Requests(now, _inPlay.Values.Any(s => s.Count > 0)))
        {
            if (!request.EveryPoll && !_fetchAll && _fetched.TryGetValue(request.PathAndQuery, out var last) && now - last < options.PollInterval)
            {
                continue;
            }
            _fetched[request.PathAndQuery] = now;
            _fetchAll &= request.EveryPoll;
            var result = await fetcher.GetAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Response is { } response && recorder is not null)
            {
                await recorder.WriteAsync(Name, response).ConfigureAwait(false);
            }
            var failure = result.Failure;
            if (failure == RejectReasons.TooLarge)
            {
                metrics.FeedRejected(Name, failure);
            }
            var payload = !result.Succeeded ? null
                : !result.NotModified ? result.Response
                : _deferred.Contains(request.PathAndQuery) ? _last.GetValueOrDefault(request.PathAndQuery) : null;
            if (payload is not null)
            {
                _last[request.PathAndQuery] = payload;
                FeedApplied applied;
                try
                {
                    applied = await ingestor.ApplyAsync(Name, format, payload, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // Redis failed part-way: the next poll's 304 must offer this payload again, or its changes would
                    // wait for the vendor's next change. What was applied already comes back as unchanged or stale.
                    _deferred.Add(request.PathAndQuery);
                    throw;
                }
                failure = applied.Broken?.Reason;
                if (applied.Deferred > 0)
                {
                    _deferred.Add(request.PathAndQuery);
                }
                else
                {
                    _deferred.Remove(request.PathAndQuery);
                }
                if (applied.Matches > 0 || applied.Broken is null)
                {
                    if (request.EveryPoll && _inPlay.TryGetValue(request.PathAndQuery, out var before) && before.Except(applied.InPlay).Any())
                    {
                        _fetchAll = true; // a match left the live list: fetch the day's list now for its final state
                    }
                    _inPlay[request.PathAndQuery] = applied.InPlay;
                }
            }
            metrics.FeedPolled(Name, result.NotModified ? "not-modified" : failure is null ? "ok" : "failed");
            Record(failure, result.RetryAfter, now);
        }
        if (await tables.PollAsync(now, cancellationToken).ConfigureAwait(false) is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            _notBefore = now + retryAfter;
        }
    }

    private void Record(string? failure, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (retryAfter is { } delay && delay > TimeSpan.Zero)
        {
            _notBefore = now + delay;
        }
        if (failure is null)
        {
            if (health.ConsecutiveFailures > 0)
            {
                IngestLog.ProviderRecovered(logger, Name, health.ConsecutiveFailures);
            }
            health.Succeeded(now.ToUnixTimeMilliseconds());
            return;
        }
        var repeated = health.LastError == failure;
        health.Failed(failure);
        // A new kind of failure, and every 20th in a row: an outage must not flood the log.
        if (!repeated || health.ConsecutiveFailures % 20 == 1)
        {
            IngestLog.PollFailed(logger, Name, failure, health.ConsecutiveFailures, health.Circuit.ToString());
        }
    }
}
