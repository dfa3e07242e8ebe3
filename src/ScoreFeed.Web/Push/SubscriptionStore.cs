using Microsoft.Extensions.Options;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Web.Push;

/// <summary>A stored subscription, as the sender reads it; <see cref="Lang"/> is the language its alerts are written in.</summary>
internal sealed record StoredSubscription(string Id, string Endpoint, string P256dh, string Auth, string Lang);

/// <summary>
/// Push subscriptions in Redis: one hash per subscription (<see cref="RedisKeys.PushSubscription"/>, expiring
/// <see cref="PushOptions.SubscriptionLifetime"/> after its last PUT) and index sets per team and per match that
/// name the subscriptions following them. An index member whose hash is gone (expired, removed) is dropped when read.
/// </summary>
internal sealed class SubscriptionStore(IConnectionMultiplexer redis, RedisKeys keys, IOptions<PushOptions> options, TimeProvider time)
{
    private const string Endpoint = "endpoint", P256dh = "p256dh", Auth = "auth", Follow = "follow", Updated = "updated", Lang = "lang";

    /// <summary>Stores or refreshes a subscription: its keys and follow list replace the old ones, its expiry starts again.</summary>
    public async Task PutAsync(ValidSubscription subscription)
    {
        var db = redis.GetDatabase();
        var key = keys.PushSubscription(subscription.Id);
        var lifetime = options.Value.SubscriptionLifetime;
        var old = (string?)await db.HashGetAsync(key, Follow).ConfigureAwait(false);
        var follow = string.Join(',', subscription.Teams.Select(t => "t:" + t).Concat(subscription.Matches.Select(m => "m:" + m)));
        var batch = db.CreateTransaction();
        foreach (var index in IndexKeys(old).Except(IndexKeys(follow)))
        {
            _ = batch.SetRemoveAsync(index, subscription.Id);
        }
        _ = batch.HashSetAsync(key,
        [
            new(Endpoint, subscription.Endpoint), new(P256dh, subscription.P256dh), new(Auth, subscription.Auth),
            new(Follow, follow), new(Updated, time.GetUtcNow().ToUnixTimeMilliseconds()), new(Lang, subscription.Lang),
        ]);
        _ = batch.KeyExpireAsync(key, lifetime);
        foreach (var index in IndexKeys(follow))
        {
            _ = batch.SetAddAsync(index, subscription.Id);
            // An index lives as long as its newest member (this one) can; stale members go when read.
            _ = batch.KeyExpireAsync(index, lifetime);
        }
        await batch.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>Removes the subscription with this endpoint; false if there was none.</summary>
    public Task<bool> DeleteAsync(string endpoint) => RemoveAsync(PushSubscriptionId.Of(endpoint));

    /// <summary>Removes a subscription and its index entries (after DELETE, or a 404/410 from its push service).</summary>
    public async Task<bool> RemoveAsync(string id)
    {
        var db = redis.GetDatabase();
        var key = keys.PushSubscription(id);
        var follow = (string?)await db.HashGetAsync(key, Follow).ConfigureAwait(false);
        var batch = db.CreateTransaction();
        var deleted = batch.KeyDeleteAsync(key);
        foreach (var index in IndexKeys(follow))
        {
            _ = batch.SetRemoveAsync(index, id);
        }
        await batch.ExecuteAsync().ConfigureAwait(false);
        return await deleted.ConfigureAwait(false);
    }

    public async Task<bool> ExistsAsync(string endpoint) =>
        await redis.GetDatabase().KeyExistsAsync(keys.PushSubscription(PushSubscriptionId.Of(endpoint))).ConfigureAwait(false);

    /// <summary>Every live subscription following the match or one of its teams, once each.</summary>
    public async Task<IReadOnlyList<StoredSubscription>> FollowersAsync(string matchId, IEnumerable<string> teamIds)
    {
        var db = redis.GetDatabase();
        var indexes = teamIds.Where(t => t.Length > 0).Distinct().Select(keys.PushTeam).Prepend(keys.PushMatch(matchId)).ToArray();
        var ids = await db.SetCombineAsync(SetOperation.Union, indexes).ConfigureAwait(false);
        if (ids.Length == 0)
        {
            return [];
        }
        var batch = db.CreateBatch();
        var reads = ids.Select(id => (Id: (string)id!, Read: batch.HashGetAsync(keys.PushSubscription(id!), [Endpoint, P256dh, Auth, Lang]))).ToArray();
        batch.Execute();
        var found = new List<StoredSubscription>(reads.Length);
        var stale = new List<string>();
        foreach (var (id, read) in reads)
        {
            var values = await read.ConfigureAwait(false);
            if (values[0].IsNull || values[1].IsNull || values[2].IsNull)
            {
                stale.Add(id);
                continue;
            }
            found.Add(new StoredSubscription(id, values[0]!, values[1]!, values[2]!, PushValidation.Language(values[3])));
        }
        if (stale.Count > 0)
        {
            var members = stale.Select(s => (RedisValue)s).ToArray();
            await Task.WhenAll(indexes.Select(i => db.SetRemoveAsync(i, members))).ConfigureAwait(false);
        }
        return found;
    }

    private IEnumerable<RedisKey> IndexKeys(string? follow) =>
        (follow ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.StartsWith("t:", StringComparison.Ordinal) ? keys.PushTeam(entry[2..]) : keys.PushMatch(entry[2..]));
}
