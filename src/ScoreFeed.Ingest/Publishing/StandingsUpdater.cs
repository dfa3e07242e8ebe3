using Polly;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// Keeps each football competition's standings document (<see cref="StandingsDocument"/>) a function of its matches:
/// after every applied change of one of its matches, reads the document, then the matches, computes the table
/// (<see cref="Standings"/>) and applies it through the store's atomic step with the seq it read. The store gives it the
/// next seq (or answers 'unchanged' when the table did not move), and it is published like a match update.
/// <para>
/// Reading the document before the matches makes a writer whose matches are older than another's lose the
/// compare-and-set and read again, so across ingest processes the last table applied is never older than the last
/// match change that triggered one.
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

    /// <summary>Recomputes and applies the competition's table; null when it has no football match.</summary>
    public async Task<ApplyResult?> RefreshAsync(string competitionId, string source, CancellationToken cancellationToken)
    {
        var gate = _locks.For(competitionId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await _onConflict.ExecuteAsync(async _ =>
            {
                var id = StandingsDocument.IdFor(competitionId);
                var current = await store.GetStoredAsync(id).ConfigureAwait(false);
                var matches = await store.GetManyAsync(await store.CompetitionMatchIdsAsync(competitionId).ConfigureAwait(false)).ConfigureAwait(false);
                if (!matches.Any(m => Standings.HasTable(m.Sport)))
                {
                    return null;
                }
                var table = Standings.Compute(matches);
                return await store.ApplyAsync(new MatchChange
                {
                    State = new MatchState
                    {
                        MatchId = id,
                        CompetitionId = competitionId,
                        Sport = Sports.Football,
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
        finally
        {
            gate.Release();
        }
    }
}
