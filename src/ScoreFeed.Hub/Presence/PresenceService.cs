using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Access;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Partners;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Hub.Presence;

/// <summary>
/// Counts shared across hubs without a Redis round trip per connection or per update: every
/// <see cref="HubAccessOptions.PresenceInterval"/> each hub writes its own counts (partner connections, watchers per
/// match) into one field of the <see cref="RedisKeys.Presence"/> hash and reads the whole hash back, in one pipelined
/// round trip. Totals are therefore approximate: the other hubs' counts are up to one interval old, and a hub that
/// died without saying goodbye is counted until its field is three intervals old.
/// <list type="bullet">
/// <item>Partner limits: a hub admits a partner connection while its own count plus the others' last known counts
/// stays under <see cref="Partner.MaxConnections"/>. Within one interval, several hubs admitting at once can overshoot
/// the limit by what they admit in that interval.</item>
/// <item>Audience: a match's "watching" is this hub's watchers plus the others'; when it changes, this hub sends
/// <c>audience</c> to its own watchers of that match, connection by connection (local writes, no backplane).</item>
/// </list>
/// </summary>
internal sealed class PresenceService(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<HubAccessOptions> options,
    AudienceTracker audience,
    IHubContext<ScoresHub> hub,
    AccessMetrics metrics,
    TimeProvider time,
    ILogger<PresenceService> logger) : BackgroundService
{
    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();

    private readonly TimeSpan _interval = options.Value.PresenceInterval;
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _localPartners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _sent = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, int> _otherPartners = None;
    private IReadOnlyDictionary<string, int> _otherAudience = None;

    /// <summary>This hub's field in the presence hash: unique per process.</summary>
    public string HubId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Counts one more connection of <paramref name="partner"/> unless that would exceed its limit.</summary>
    public bool TryAdmit(Partner partner)
    {
        lock (_gate)
        {
            var local = _localPartners.GetValueOrDefault(partner.Key);
            if (local + Volatile.Read(ref _otherPartners).GetValueOrDefault(partner.Key) >= partner.MaxConnections)
            {
                return false;
            }
            _localPartners[partner.Key] = local + 1;
            return true;
        }
    }

    public void Release(string partnerKey)
    {
        lock (_gate)
        {
            var left = _localPartners.GetValueOrDefault(partnerKey) - 1;
            if (left > 0)
            {
                _localPartners[partnerKey] = left;
            }
            else
            {
                _localPartners.Remove(partnerKey);
            }
        }
    }

    /// <summary>Approximate connections of <paramref name="partnerKey"/> over all hubs.</summary>
    public int PartnerConnections(string partnerKey)
    {
        lock (_gate)
        {
            return _localPartners.GetValueOrDefault(partnerKey) + Volatile.Read(ref _otherPartners).GetValueOrDefault(partnerKey);
        }
    }

    /// <summary>Approximate watchers of a match over all hubs.</summary>
    public int Watching(string matchId) =>
        audience.LocalCount(matchId) + Volatile.Read(ref _otherAudience).GetValueOrDefault(matchId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, time);
        do
        {
            try
            {
                await ExchangeAsync().ConfigureAwait(false);
                await PushAudienceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the last known counts of the other hubs; they are refreshed at the next good exchange.
                metrics.SyncFailed();
                HubLog.PresenceExchangeFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!redis.IsConnected)
        {
            return;
        }
        try
        {
            // Leave at once rather than be counted for three more intervals. Redis may be going away as the hub stops
            // (a node drain, an outage): then the entry expires by itself, and the hub's other services still stop.
            await redis.GetDatabase().HashDeleteAsync(keys.Presence, HubId).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or OperationCanceledException)
        {
            HubLog.PresenceLeaveFailed(logger, e.Message);
        }
    }

    /// <summary>Writes this hub's counts and reads every hub's, pipelined: one round trip.</summary>
    internal async Task ExchangeAsync()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        Dictionary<string, int> partners;
        lock (_gate)
        {
            partners = new Dictionary<string, int>(_localPartners, StringComparer.Ordinal);
        }
        var entry = new PresenceEntry { At = now, Partners = partners, Audience = audience.Counts() };
        var db = redis.GetDatabase();
        var write = db.HashSetAsync(keys.Presence, HubId, JsonSerializer.Serialize(entry, PresenceJsonContext.Default.PresenceEntry));
        var expire = db.KeyExpireAsync(keys.Presence, _interval * 10);
        var read = db.HashGetAllAsync(keys.Presence);
        await Task.WhenAll(write, expire, read).ConfigureAwait(false);

        var stale = now - (long)(_interval * 3).TotalMilliseconds;
        var otherPartners = new Dictionary<string, int>(StringComparer.Ordinal);
        var otherAudience = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var field in await read.ConfigureAwait(false))
        {
            if (field.Name == HubId)
            {
                continue;
            }
            var other = Parse(field.Value);
            if (other is null || other.At < stale)
            {
                _ = db.HashDeleteAsync(keys.Presence, field.Name, CommandFlags.FireAndForget);
                continue;
            }
            Add(otherPartners, other.Partners);
            Add(otherAudience, other.Audience);
        }
        Volatile.Write(ref _otherPartners, otherPartners);
        Volatile.Write(ref _otherAudience, otherAudience);
    }

    private async Task PushAudienceAsync(CancellationToken cancellationToken)
    {
        var counts = audience.Counts();
        var changed = new List<AudienceMessage>();
        lock (_gate)
        {
            foreach (var gone in _sent.Keys.Where(id => !counts.ContainsKey(id)).ToArray())
            {
                _sent.Remove(gone);
            }
            foreach (var matchId in counts.Keys)
            {
                var watching = Watching(matchId);
                if (!_sent.TryGetValue(matchId, out var sent) || sent != watching)
                {
                    _sent[matchId] = watching;
                    changed.Add(new AudienceMessage { MatchId = matchId, Watching = watching });
                }
            }
        }
        foreach (var message in changed)
        {
            // Client(id) writes straight to a local connection; Clients(ids) would publish each one to Redis.
            await Task.WhenAll(audience.Watchers(message.MatchId)
                .Select(id => hub.Clients.Client(id).SendAsync(ClientMethods.Audience, message, cancellationToken))).ConfigureAwait(false);
        }
    }

    private static PresenceEntry? Parse(RedisValue value)
    {
        try
        {
            return JsonSerializer.Deserialize((string?)value ?? "", PresenceJsonContext.Default.PresenceEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Add(Dictionary<string, int> totals, Dictionary<string, int>? counts)
    {
        foreach (var (key, count) in counts ?? [])
        {
            totals[key] = totals.GetValueOrDefault(key) + count;
        }
    }
}

/// <summary>One hub's field in the presence hash.</summary>
internal sealed record PresenceEntry
{
    /// <summary>When the hub wrote it (ms since the Unix epoch).</summary>
    [JsonPropertyName("at")] public long At { get; init; }

    /// <summary>Connections per partner key.</summary>
    [JsonPropertyName("p")] public Dictionary<string, int>? Partners { get; init; }

    /// <summary>Watchers per match id.</summary>
    [JsonPropertyName("m")] public Dictionary<string, int>? Audience { get; init; }
}

[JsonSerializable(typeof(PresenceEntry))]
internal sealed partial class PresenceJsonContext : JsonSerializerContext;
