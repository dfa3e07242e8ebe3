using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace ScoreFeed.Redis;

/// <summary>
/// Every Redis key and channel name ScoreFeed uses, built in one place. One match is a hash (state, seq, epoch,
/// provider versions, operator pins) plus a stream (its bounded history) and, once an operator touched it, an
/// audit stream; indexes list live matches, all matches and each competition's matches by start time.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    private readonly string _p = prefix;

    public RedisKeys(IOptions<StoreOptions> options)
        : this(options.Value.KeyPrefix)
    {
    }

    public RedisKey Match(string matchId) => $"{_p}:m:{matchId}";

    public RedisKey History(string matchId) => $"{_p}:m:{matchId}:h";

    /// <summary>The match's append-only audit of operator corrections and pin changes (a stream, never trimmed).</summary>
    public RedisKey Audit(string matchId) => $"{_p}:m:{matchId}:audit";

    public RedisKey LiveIndex => $"{_p}:idx:live";

    public RedisKey AllIndex => $"{_p}:idx:all";

    public string CompetitionIndexPrefix => $"{_p}:idx:comp:";

    public RedisKey CompetitionIndex(string competitionId) => CompetitionIndexPrefix + competitionId;

    /// <summary>Prefix of the SignalR Redis backplane's channels (publisher and hubs must agree).</summary>
    public string BackplaneChannelPrefix => $"{_p}:signalr:";

    /// <summary>
    /// Channel on which ingest publishes every committed update once (<c>Realtime.UpdateEnvelope</c>: its topics, then
    /// its JSON); each hub subscribes once and fans it out to its own connections.
    /// </summary>
    public RedisChannel UpdatesChannel => RedisChannel.Literal($"{_p}:updates");

    /// <summary>
    /// Hash of hub presence: one field per hub (its id) holding that hub's partner connection and audience counts,
    /// rewritten by each hub every presence interval; the hash expires when no hub writes any more.
    /// </summary>
    public RedisKey Presence => $"{_p}:presence";

    /// <summary>A partner's usage on a UTC day: a hash of <c>{HHmm}:{what}</c> counters (the hubs' PartnerUsage).</summary>
    public RedisKey Usage(string partnerKey, DateOnly day) => $"{_p}:usage:{partnerKey}:{day:yyyyMMdd}";

    /// <summary>
    /// The run id of the Redis process on which every match was last checked against the rewind rule (string); a
    /// writer that finds another process running moves the matches written on an earlier one to new epochs.
    /// </summary>
    public RedisKey Incarnation => $"{_p}:store:rid";

    /// <summary>Which match each simulator slot is playing, so a restarted simulator carries on.</summary>
    public RedisKey SimulatorSlots => $"{_p}:sim:slots";

    /// <summary>Lease of a feed provider (string: the holding ingest process's id, with a TTL): only its holder polls the provider.</summary>
    public RedisKey ProviderLease(string provider) => $"{_p}:feed:lease:{provider}";

    /// <summary>A feed provider's health as its poller last saw it (hash, with a TTL), read by every ingest process to pick the provider that wins a match.</summary>
    public RedisKey ProviderHealth(string provider) => $"{_p}:feed:health:{provider}";

    /// <summary>A competition's table as a feed last gave it, with the matches it counts (string: JSON <c>FeedTable</c>, with a TTL).</summary>
    public RedisKey FeedTable(string competitionId) => $"{_p}:feed:table:{competitionId}";

    /// <summary>Vendor matches joined to ScoreFeed matches (hash: field <c>{provider}:{vendorId}</c>, value the ScoreFeed match id).</summary>
    public RedisKey FeedMappings => $"{_p}:feed:map";

    /// <summary>One Web Push subscription (hash: endpoint, keys, follow list, times; with a TTL), by <c>PushSubscriptionId</c>.</summary>
    public RedisKey PushSubscription(string subscriptionId) => $"{_p}:push:sub:{subscriptionId}";

    /// <summary>Ids of the push subscriptions that follow a team (set; members whose hash is gone are removed lazily).</summary>
    public RedisKey PushTeam(string teamId) => $"{_p}:push:team:{teamId}";

    /// <summary>Ids of the push subscriptions that follow a match (set; members whose hash is gone are removed lazily).</summary>
    public RedisKey PushMatch(string matchId) => $"{_p}:push:match:{matchId}";

    /// <summary>Lease of the goal-alert sender (string: the holding web process's id, with a TTL): only its holder sends.</summary>
    public RedisKey PushSenderLease => $"{_p}:push:lease";

    /// <summary>
    /// Marks an alert as claimed for sending (string, SET NX with a TTL): one alert per (match, incident, kind),
    /// whichever sender, restart or re-issued state sees the event again.
    /// </summary>
    public RedisKey PushSent(string matchId, string kind, string eventId) => $"{_p}:push:sent:{matchId}:{kind}:{eventId}";
}
