using StackExchange.Redis;

namespace ScoreFeed.Redis;

/// <summary>
/// A lease in Redis: at most one holder at a time, lost unless renewed within its TTL. It decides who does a job
/// (polls a feed provider); it is not what keeps the data right — the store's atomic step is, so two holders for a
/// moment (a paused process whose lease expired) cost a duplicate poll, never a duplicate or missing update.
/// </summary>
public sealed class RedisLease(IConnectionMultiplexer redis)
{
    /// <summary>Takes the lease if it is free, or extends it if <paramref name="holder"/> holds it already.</summary>
    public async Task<bool> AcquireOrRenewAsync(RedisKey key, string holder, TimeSpan ttl) =>
        (long)(await redis.GetDatabase().ScriptEvaluateAsync(StoreScripts.LeaseAcquireOrRenew, [key],
            [holder, (long)ttl.TotalMilliseconds]).ConfigureAwait(false)) == 1;

    /// <summary>Gives the lease up if <paramref name="holder"/> still holds it, so another process takes over at once.</summary>
    public async Task ReleaseAsync(RedisKey key, string holder) =>
        await redis.GetDatabase().ScriptEvaluateAsync(StoreScripts.LeaseRelease, [key], [holder]).ConfigureAwait(false);

    /// <summary>The current holder, or null when the lease is free.</summary>
    public async Task<string?> HolderAsync(RedisKey key) => await redis.GetDatabase().StringGetAsync(key).ConfigureAwait(false);
}
