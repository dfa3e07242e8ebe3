using System.Collections.Concurrent;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>What applying one payload did.</summary>
/// <param name="InPlay">Vendor ids of the payload's matches in play.</param>
/// <param name="Deferred">Matches held back because a provider ranked before this one is healthy.</param>
internal sealed record FeedApplied(int Matches, int Deferred, IReadOnlySet<string> InPlay, FeedReject? Broken);

/// <summary>
/// Applies a vendor payload: parses it with the provider's format, counts and logs what it rejects, and hands every
/// sound match, if its provider wins it, to <see cref="MatchUpdater"/> — the one write path — as the changes
/// <see cref="FeedMerger"/> derives from the match's current state.
/// </summary>
internal sealed class FeedIngestor(MatchUpdater updater, FeedArbiter arbiter, IngestMetrics metrics, TimeProvider time, ILogger<FeedIngestor> logger)
{
    /// <summary>A bad item the vendor keeps sending is logged again only after this long (it is counted every time).</summary>
    private static readonly TimeSpan RelogAfter = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, long> _logged = new(StringComparer.Ordinal);

    public async Task<FeedApplied> ApplyAsync(string provider, IFeedFormat format, FeedResponse response, CancellationToken cancellationToken)
    {
        var batch = format.Parse(response);
        foreach (var reject in batch.Broken is { } broken ? [.. batch.Rejects, broken] : batch.Rejects)
        {
            metrics.FeedRejected(provider, reject.Reason);
            if (ShouldLog($"{provider}|{reject.VendorId}|{reject.Reason}|{reject.Detail}"))
            {
                IngestLog.FeedRejected(logger, provider, response.PathAndQuery, reject.VendorId ?? "(payload)", reject.Reason, reject.Detail);
            }
        }
        await arbiter.RefreshAsync().ConfigureAwait(false);
        var inPlay = new HashSet<string>(StringComparer.Ordinal);
        var deferred = 0;
        foreach (var match in batch.Matches)
        {
            var matchId = arbiter.MatchIdFor(provider, match);
            var feed = match with { MatchId = matchId, Joined = matchId != match.MatchId };
            if (MatchStatus.IsInPlay(feed.Status))
            {
                inPlay.Add(feed.VendorId);
            }
            if (arbiter.ShouldApply(provider, feed.MatchId))
            {
                await ApplyMatchAsync(format.Key, feed, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                deferred++;
            }
        }
        return new FeedApplied(batch.Matches.Count, deferred, inPlay, batch.Broken);
    }

    /// <summary>Offers the match's changes until the store has taken them all (one per new incident), or refuses one as stale or unchanged.</summary>
    private async Task ApplyMatchAsync(string providerKey, FeedMatch feed, CancellationToken cancellationToken)
    {
        for (var step = 0; step < FeedMerger.VersionSteps; step++)
        {
            var more = false;
            var result = await updater.UpdateAsync(feed.MatchId, current =>
            {
                var next = FeedMerger.Next(current, feed, providerKey, time.GetUtcNow().ToUnixTimeMilliseconds());
                more = next.More;
                return next.Change;
            }, cancellationToken).ConfigureAwait(false);
            if (result?.Outcome != ApplyOutcome.Applied || !more)
            {
                return;
            }
        }
    }

    private bool ShouldLog(string key)
    {
        var now = time.GetTimestamp();
        if (_logged.TryGetValue(key, out var last) && time.GetElapsedTime(last, now) < RelogAfter)
        {
            return false;
        }
        if (_logged.Count > 10_000)
        {
            _logged.Clear();
        }
        _logged[key] = now;
        return true;
    }
}
