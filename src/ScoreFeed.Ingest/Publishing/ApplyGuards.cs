using Polly;
using Polly.Retry;
using ScoreFeed.Redis;

namespace ScoreFeed.Ingest.Publishing;

/// <summary>
/// What the writers of the store share: changes to one document (a match, a table) are serialized in this process by a
/// striped lock, and a writer that lost the store's compare-and-set to another process reads again and retries.
/// </summary>
internal sealed class StripedLocks(int stripes)
{
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, stripes).Select(_ => new SemaphoreSlim(1, 1))];

    public SemaphoreSlim For(string id) => _locks[(uint)StringComparer.Ordinal.GetHashCode(id) % _locks.Length];
}

internal static class ApplyRetry
{
    /// <summary>Retries while the store answers <see cref="ApplyOutcome.Conflict"/>: short, jittered, bounded.</summary>
    public static ResiliencePipeline<ApplyResult?> OnConflict() => new ResiliencePipelineBuilder<ApplyResult?>()
        .AddRetry(new RetryStrategyOptions<ApplyResult?>
        {
            ShouldHandle = new PredicateBuilder<ApplyResult?>().HandleResult(r => r?.Outcome == ApplyOutcome.Conflict),
            MaxRetryAttempts = 10,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(2),
            MaxDelay = TimeSpan.FromMilliseconds(200),
        })
        .Build();
}
