using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Hub.Hubs;
using ScoreFeed.Hub.Presence;
using ScoreFeed.Partners;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Hub.Usage;

/// <summary>
/// Usage per partner key per minute (docs/embedding.md, "Usage"): connections opened and refused by reason, peak
/// concurrent connections (over all hubs, approximately, as the limit counts them), update frames delivered and their
/// bytes. Each hub adds its counts into one Redis hash per partner and UTC day (<see cref="RedisKeys.Usage"/>, fields
/// <c>{HHmm}:{what}</c>, kept <see cref="Retention"/>) every <see cref="FlushInterval"/>, and to Prometheus counters
/// labelled with the partner's key (configured partners only: the label's values are bounded).
/// </summary>
internal sealed class PartnerUsage : BackgroundService
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(35);
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private readonly FrozenDictionary<string, PartnerMeter> _meters;
    private readonly PresenceService _presence;
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger<PartnerUsage> _logger;
    private readonly Counter<long> _connections;
    private readonly Counter<long> _updates;
    private readonly Counter<long> _bytes;

    public PartnerUsage(PartnerDirectory partners, PresenceService presence, IConnectionMultiplexer redis, RedisKeys keys,
        IMeterFactory meters, TimeProvider time, ILogger<PartnerUsage> logger)
    {
        _meters = partners.All.ToFrozenDictionary(p => p.Key, _ => new PartnerMeter(), StringComparer.Ordinal);
        (_presence, _redis, _keys, _time, _logger) = (presence, redis, keys, time, logger);
        var meter = meters.Create(HubMetrics.MeterName);
        _connections = meter.CreateCounter<long>("scorefeed.hub.partner.connections", description: "A partner's connections: opened, or refused by reason");
        _updates = meter.CreateCounter<long>("scorefeed.hub.partner.updates", description: "Update frames delivered to a partner's connections");
        _bytes = meter.CreateCounter<long>("scorefeed.hub.partner.bytes", unit: "By", description: "Bytes of the update frames delivered to a partner's connections");
    }

    /// <summary>The meter of a configured partner; null for any other key.</summary>
    public PartnerMeter? For(string? key) => key is not null && _meters.TryGetValue(key, out var meter) ? meter : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_meters.Count == 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(FlushInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushAsync().ConfigureAwait(false);
    }

    private async Task FlushAsync()
    {
        var now = _time.GetUtcNow();
        var minute = now.ToString("HHmm", CultureInfo.InvariantCulture);
        var db = _redis.GetDatabase();
        foreach (var (key, meter) in _meters)
        {
            var counts = meter.Take();
            var partner = new KeyValuePair<string, object?>("partner", key);
            Record(counts, partner);
            var hash = _keys.Usage(key, DateOnly.FromDateTime(now.UtcDateTime));
            var peak = _presence.PartnerConnections(key);
            try
            {
                var batch = db.CreateBatch();
                var writes = new List<Task>();
                void Add(string what, long value)
                {
                    if (value > 0)
                    {
                        writes.Add(batch.HashIncrementAsync(hash, $"{minute}:{what}", value));
                    }
                }
                Add("opened", counts.Opened);
                for (var i = 0; i < counts.Refused.Length; i++)
                {
                    Add("refused:" + PartnerMeter.RefusalCodes[i], counts.Refused[i]);
                }
                Add("updates", counts.Updates);
                Add("bytes", counts.Bytes);
                var stored = batch.HashGetAsync(hash, $"{minute}:peak");
                batch.Execute();
                await Task.WhenAll(writes).ConfigureAwait(false);
                // The peak: the highest count any hub saw this minute (read, then raised; two hubs racing keep one of
                // their nearly equal counts, which is as approximate as the count itself).
                if (peak > (long)(await stored.ConfigureAwait(false) is { IsNull: false } value ? (long)value : 0))
                {
                    await db.HashSetAsync(hash, $"{minute}:peak", peak).ConfigureAwait(false);
                }
                if (writes.Count > 0 || peak > 0)
                {
                    await db.KeyExpireAsync(hash, Retention).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                // Counts of this flush are lost to Redis (Prometheus has them): usage is a report, not a bill of record.
                HubLog.UsageFlushFailed(_logger, e, key);
            }
        }
    }

    private void Record(UsageCounts counts, KeyValuePair<string, object?> partner)
    {
        if (counts.Opened > 0)
        {
            _connections.Add(counts.Opened, partner, new("outcome", "opened"));
        }
        for (var i = 0; i < counts.Refused.Length; i++)
        {
            if (counts.Refused[i] > 0)
            {
                _connections.Add(counts.Refused[i], partner, new("outcome", PartnerMeter.RefusalCodes[i]));
            }
        }
        if (counts.Updates > 0)
        {
            _updates.Add(counts.Updates, partner);
            _bytes.Add(counts.Bytes, partner);
        }
    }

    /// <summary>A partner's usage on a UTC day, minute by minute (only minutes with something in them).</summary>
    public async Task<IReadOnlyList<UsageMinute>> ReadDayAsync(string key, DateOnly day)
    {
        var entries = await _redis.GetDatabase().HashGetAllAsync(_keys.Usage(key, day)).ConfigureAwait(false);
        var minutes = new SortedDictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var field = entry.Name.ToString();
            var colon = field.IndexOf(':', StringComparison.Ordinal);
            if (colon == 4 && entry.Value.TryParse(out long value))
            {
                var row = minutes.TryGetValue(field[..4], out var r) ? r : minutes[field[..4]] = new Dictionary<string, long>(StringComparer.Ordinal);
                row[field[(colon + 1)..]] = value;
            }
        }
        return [.. minutes.Select(m => new UsageMinute
        {
            Minute = $"{day:yyyy-MM-dd}T{m.Key[..2]}:{m.Key[2..]}Z",
            Opened = m.Value.GetValueOrDefault("opened"),
            Refused = PartnerMeter.RefusalCodes.ToDictionary(c => c, c => m.Value.GetValueOrDefault("refused:" + c), StringComparer.Ordinal),
            Peak = m.Value.GetValueOrDefault("peak"),
            Updates = m.Value.GetValueOrDefault("updates"),
            Bytes = m.Value.GetValueOrDefault("bytes"),
        })];
    }
}
