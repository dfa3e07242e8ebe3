using System.Diagnostics;
using Polly;
using ScoreFeed.Contract;
using ScoreFeed.Ingest.Operators;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// The one path by which ingest changes a match: read the current state, derive the change, apply it
/// through the store's atomic step with the seq it was derived from, publish it. Changes to one match
/// are serialized inside this process so its updates leave in seq order; across processes the store's
/// compare-and-set (on the seq and the version of the operator pins) makes a writer that lost the race re-read
/// and derive again.
/// </summary>
internal sealed class MatchUpdater(MatchStore store, MatchPublisher publisher, StandingsUpdater standings, IngestMetrics metrics, TimeProvider time, ILogger<MatchUpdater> logger)
{
    private readonly StripedLocks _locks = new(1024);

    private readonly ResiliencePipeline<ApplyResult?> _onConflict = ApplyRetry.OnConflict();

    /// <summary>
    /// The feed path: derives a change from the match's current state (null if it does not exist) and applies it.
    /// <paramref name="derive"/> returns null when there is nothing to change; it may run more than once.
    /// Operator pins hold here, for every feed: <paramref name="derive"/> sees pinned fields as the feed last
    /// reported them, and the change keeps the operator's values (<see cref="Pins.ForFeed"/>).
    /// Returns null when nothing was offered to the store.
    /// </summary>
    public Task<ApplyResult?> UpdateAsync(string matchId, Func<MatchState?, MatchChange?> derive, CancellationToken cancellationToken) =>
        ChangeAsync(matchId, stored => Pins.ForFeed(stored, derive), cancellationToken);

    /// <summary>
    /// Derives a change from the match as stored (state and pins; null if it does not exist) and applies it with
    /// the seq and pins version it was derived from; operators' corrections come this way. Same contract as
    /// <see cref="UpdateAsync"/> otherwise.
    /// </summary>
    public async Task<ApplyResult?> ChangeAsync(string matchId, Func<StoredMatch?, MatchChange?> derive, CancellationToken cancellationToken)
    {
        var result = await ChangeOnceAsync(matchId, derive, cancellationToken).ConfigureAwait(false);
        if (result?.Outcome == ApplyOutcome.Applied)
        {
            // Outside the match's lock: the table reads every match of the competition.
            await standings.AfterAsync(result, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    private async Task<ApplyResult?> ChangeOnceAsync(string matchId, Func<StoredMatch?, MatchChange?> derive, CancellationToken cancellationToken)
    {
        var gate = _locks.For(matchId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        using var activity = IngestMetrics.ActivitySource.StartActivity("scorefeed.update", ActivityKind.Internal);
        activity?.SetTag("scorefeed.match_id", matchId);
        try
        {
            var result = await _onConflict.ExecuteAsync(async ct =>
            {
                var current = await store.GetStoredAsync(matchId).ConfigureAwait(false);
                var change = derive(current);
                if (change is null)
                {
                    return null;
                }
                var applied = await store.ApplyAsync(change with
                {
                    ExpectedSeq = current?.State.Seq ?? 0,
                    ExpectedPinsVersion = current?.PinsVersion ?? 0,
                }).ConfigureAwait(false);
                metrics.Change(applied.Outcome, change.Source);
                if (applied.AuditId is not null)
                {
                    Audited(matchId, applied.Seq, change.Audit!);
                }
                return applied;
            }, cancellationToken).ConfigureAwait(false);
            if (result?.Outcome == ApplyOutcome.Applied)
            {
                await publisher.PublishAsync(result, cancellationToken).ConfigureAwait(false);
            }
            activity?.SetTag("scorefeed.outcome", result?.Outcome.ToString());
            return result;
        }
        finally
        {
            metrics.ApplyDuration(time.GetElapsedTime(started));
            gate.Release();
        }
    }

    /// <summary>
    /// Applies a change as given (its own <see cref="MatchChange.ExpectedSeq"/>, no retry) and publishes it.
    /// Pins do not apply: feeds go through <see cref="UpdateAsync"/>.
    /// </summary>
    public async Task<ApplyResult> ApplyAsync(MatchChange change, CancellationToken cancellationToken)
    {
        var result = await ApplyOnceAsync(change, cancellationToken).ConfigureAwait(false);
        await standings.AfterAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<ApplyResult> ApplyOnceAsync(MatchChange change, CancellationToken cancellationToken)
    {
        var gate = _locks.For(change.State.MatchId);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await store.ApplyAsync(change).ConfigureAwait(false);
            metrics.Change(result.Outcome, change.Source);
            if (result.Outcome == ApplyOutcome.Applied)
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

    private void Audited(string matchId, long seq, AuditEntry entry)
    {
        if (entry.Action == AuditActions.PinCleared)
        {
            metrics.PinsCleared(entry.Released.Count);
        }
        else
        {
            metrics.Correction(entry.Action);
        }
        IngestLog.Audited(logger, matchId, seq, entry.Action, entry.Operator, entry.Reason,
            string.Join(' ', entry.After.Keys), string.Join(' ', entry.Pinned), string.Join(' ', entry.Released));
    }
}
