using ScoreFeed.Ingest.Publishing;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// Fetches the tables of a provider's <c>Standings</c> competitions, each once per <c>StandingsInterval</c>, inside its
/// poll (the same lease, HTTP pipeline and <c>Retry-After</c>), and hands each to <see cref="StandingsUpdater"/> as the
/// base of the competition's live table. A table that fails or cannot be read is logged and counted, and changes
/// nothing: the last good one stays the base. Tables do not count for the provider's health, so a plan without the
/// standings endpoint never makes a vendor's matches lose to another's.
/// </summary>
internal sealed class FeedTables(IFeedFormat format, ProviderOptions options, FeedFetcher fetcher, StandingsUpdater standings,
    IngestMetrics metrics, ILogger logger)
{
    private readonly IReadOnlyList<(FeedRequest Request, string CompetitionId)> _tables = [.. options.Standings.Distinct(StringComparer.Ordinal).Select(format.StandingsRequest)];
    private readonly Dictionary<string, DateTimeOffset> _fetched = new(StringComparer.Ordinal);

    /// <summary>Fetches the tables that are due; returns the vendor's <c>Retry-After</c>, if it asked for one.</summary>
    public async Task<TimeSpan?> PollAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (request, competitionId) in _tables)
        {
            if (_fetched.TryGetValue(competitionId, out var last) && now - last < options.StandingsInterval)
            {
                continue;
            }
            _fetched[competitionId] = now;
            var result = await fetcher.GetAsync(request, cancellationToken).ConfigureAwait(false);
            var failure = result.Failure;
            if (result is { Succeeded: true, NotModified: false, Response: { } response })
            {
                var (table, error) = format.ParseStandings(response.Body);
                if (table is null)
                {
                    failure = RejectReasons.WrongShape;
                    IngestLog.FeedTableRejected(logger, format.Name, competitionId, error!);
                }
                else
                {
                    try
                    {
                        await standings.ApplyFeedTableAsync(competitionId, table, response.ReceivedAt, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is RedisException or TimeoutException)
                    {
                        // Fetched again next poll rather than after a whole interval.
                        _fetched.Remove(competitionId);
                        throw;
                    }
                }
            }
            else if (failure is not null)
            {
                IngestLog.FeedTableFailed(logger, format.Name, competitionId, failure);
            }
            metrics.FeedPolled(format.Name, result.NotModified ? "table-not-modified" : failure is null ? "table-ok" : "table-failed");
            if (result.RetryAfter is { } retryAfter)
            {
                return retryAfter;
            }
        }
        return null;
    }
}
