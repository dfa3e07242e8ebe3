using System.Diagnostics;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// Keeps the rewind rule for matches nobody writes: when Redis is another process than the one every match was last
/// checked on (it restarted, from whatever snapshot or append-only file, or a replica was promoted), each match still
/// written on an earlier process is re-issued as the first update of a new epoch, so that no fan keeps a state that
/// Redis may no longer hold. The store's atomic step does the same for every match it writes
/// (<see cref="StoreScripts.Apply"/>); this covers the finished, scheduled and quiet ones.
/// <para>
/// Every ingest process checks (one Lua call per <see cref="PublishingOptions.ContinuityCheckInterval"/>); the
/// re-issue is the ordinary write path, so two processes sweeping at once re-issue each match once.
/// </para>
/// </summary>
internal sealed class StoreContinuity(MatchStore store, MatchUpdater updater, IngestMetrics metrics,
    IOptions<PublishingOptions> options, TimeProvider time, ILogger<StoreContinuity> logger) : BackgroundService
{
    private const int InFlight = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ContinuityCheckInterval, time);
        do
        {
            try
            {
                await CheckAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                IngestLog.RedisRunUnknown(logger, e.Message); // Redis is away: the next tick tries again
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Sweeps every match if Redis is a process the matches were not all checked on. Returns the matches re-issued.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var (runId, checkedOn) = await store.IncarnationAsync().ConfigureAwait(false);
        if (runId == checkedOn)
        {
            return 0;
        }
        var started = time.GetTimestamp();
        if (checkedOn.Length == 0)
        {
            IngestLog.RewindRuleFirstCheck(logger, runId); // a new Redis, or one that lost everything: any match in it predates the check
        }
        else
        {
            IngestLog.RedisReplaced(logger, checkedOn, runId);
        }
        var ids = (await store.MatchIdsAsync().ConfigureAwait(false))
            .Concat(await store.LiveMatchIdsAsync().ConfigureAwait(false))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var reissued = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                // The same state, offered again: the atomic step re-issues it in a new epoch only if the match was last
                // written on another Redis process, else it is 'unchanged' and nothing is published.
                var result = await updater.ChangeAsync(id, stored => stored is null ? null : new MatchChange
                {
                    State = stored.State,
                    Source = UpdateSources.Store,
                }, ct).ConfigureAwait(false);
                if (result?.Outcome == ApplyOutcome.Applied)
                {
                    Interlocked.Increment(ref reissued);
                }
            }).ConfigureAwait(false);
        var marked = await store.MarkIncarnationAsync(runId).ConfigureAwait(false);
        metrics.Reissued(reissued);
        IngestLog.RewindRuleChecked(logger, runId, ids.Count, reissued, time.GetElapsedTime(started).TotalMilliseconds, marked);
        return reissued;
    }
}
