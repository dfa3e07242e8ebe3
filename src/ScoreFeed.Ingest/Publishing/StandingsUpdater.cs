using Polly;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// Keeps each football or basketball competition's standings document (<see cref="StandingsDocument"/>) a function of its matches:
/// after every applied change of one of its matches, reads the document, then the matches, computes the table
/// (<see cref="Standings"/>) and applies it through the store's atomic step with the seq it read. The store gives it the
/// next seq (or answers 'unchanged' when the table did not move), and it is published like a match update.
/// <para>
/// Reading the document before the matches makes a writer whose matches are older than another's lose the
/// compare-and-set and read again, so across ingest processes the last table applied is never older than the last
/// match change that triggered one. A feed's table of the competition (<see cref="ApplyFeedTableAsync"/>) is the base the
/// matches are added to, read after them for the same reason.
/// </para>
/// </summary>
internal sealed class StandingsUpdater(MatchStore store, MatchPublisher publisher, ILogger<StandingsUpdater> logger)
{
    private readonly StripedLocks _locks = new(64);

    private readonly ResiliencePipeline<ApplyResult?> _onConflict = ApplyRetry.OnConflict();

    /// <summary>After <paramref name="applied"/> committed: moves its competition's table if it has one.</summary>
    public async Task AfterAsync(ApplyResult applied, CancellationToken cancellationToken)
    {
        if (applied.Update is not { } update || !Standings.HasTable(update.State.Sport) || StandingsDocument.IsDocument(update.MatchId))
        {
            return;
        }
        try
        {
            await RefreshAsync(update.CompetitionId, update.Source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The match change is committed; the table follows with the competition's next change.
            IngestLog.StandingsFailed(logger, e, update.CompetitionId);
        }
    }

    /// <summary>Recomputes and applies the competition's table; null when it has neither a match with a table (football, basketball) nor a feed table.</summary>
    public Task<ApplyResult?> RefreshAsync(string competitionId, string source, CancellationToken cancellationToken) =>
        LockedAsync(competitionId, () => RefreshLockedAsync(competitionId, source, cancellationToken), cancellationToken);

    /// <summary>
    /// Takes a feed's new table of the competition as the base of its live table: settles which held matches it already
    /// counts (<see cref="Standings.Counted"/>, against the table before it), keeps it, and moves the live table.
    /// </summary>
    public Task<ApplyResult?> ApplyFeedTableAsync(string competitionId, StandingsTable table, DateTimeOffset fetchedAt, CancellationToken cancellationToken) =>
        LockedAsync(competitionId, async () =>
        {
            var previous = await store.GetFeedTableAsync(competitionId).ConfigureAwait(false);
            var matches = await MatchesAsync(competitionId).ConfigureAwait(false);
            await store.SetFeedTableAsync(competitionId, new FeedTable
            {
                FetchedAt = fetchedAt.ToUnixTimeMilliseconds(),
                Rows = table.Rows,
                Counted = Standings.Counted(previous, table.Rows, matches),
            }).ConfigureAwait(false);
            return await RefreshLockedAsync(competitionId, UpdateSources.Feed, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>One competition's table is written by one task of this process at a time.</summary>
    private async Task<ApplyResult?> LockedAsync(string competitionId, Func<Task<ApplyResult?>> write, CancellationToken cancellationToken)
    {
        var gate = _locks.For(competitionId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await write().ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<IReadOnlyList<MatchState>> MatchesAsync(string competitionId) =>
        await store.GetManyAsync(await store.CompetitionMatchIdsAsync(competitionId).ConfigureAwait(false)).ConfigureAwait(false);

    private async Task<ApplyResult?> RefreshLockedAsync(string competitionId, string source, CancellationToken cancellationToken)
    {
        var result = await _onConflict.ExecuteAsync(async _ =>
        {
            var id = StandingsDocument.IdFor(competitionId);
            var current = await store.GetStoredAsync(id).ConfigureAwait(false);
            var matches = await MatchesAsync(competitionId).ConfigureAwait(false);
            var feed = await store.GetFeedTableAsync(competitionId).ConfigureAwait(false);
            if (Standings.SportOf(matches, feed) is not { } sport)
            {
                return null;
            }
            var table = Standings.Compute(matches, feed);
            return await store.ApplyAsync(new MatchChange
            {
                State = new MatchState
                {
                    MatchId = id,
                    CompetitionId = competitionId,
                    Sport = sport,
                    Status = table.Live ? MatchStatus.Live : MatchStatus.Scheduled,
                    Table = table,
                },
                Source = source,
                ExpectedSeq = current?.State.Seq ?? 0,
            }).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (result?.Outcome == ApplyOutcome.Applied)
        {
            await publisher.PublishAsync(result, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }
}
