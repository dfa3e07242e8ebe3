using System.Collections.Concurrent;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>An enabled provider as the arbiter weighs it.</summary>
/// <param name="IdPrefix">The prefix of the match ids its format makes (<c>fd</c>): it feeds those matches by itself; null for replay.</param>
internal sealed record FeedProvider(string Name, string? IdPrefix, int Priority, TimeSpan StaleAfter);

/// <summary>
/// Decides whose changes apply to a match that several providers feed (redundancy). Mappings join a vendor's match
/// to a ScoreFeed match — configuration <c>Ingest:Mappings:{Provider}:{VendorId} = {MatchId}</c> plus the Redis hash
/// <c>{prefix}:feed:map</c> (field <c>{Provider}:{VendorId}</c>), re-read before every payload. The providers of a
/// match are the one whose ids it carries and those mapped to it; the healthy one with the lowest
/// <c>Priority</c> wins, and the others' changes wait. Health comes from Redis (circuit closed, a successful poll
/// within <c>StaleAfter</c>), so this works whichever ingest process polls which provider.
/// </summary>
internal sealed class FeedArbiter(
    IEnumerable<FeedProvider> providers,
    IConfiguration configuration,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IngestMetrics metrics,
    TimeProvider time,
    ILogger<FeedArbiter> logger)
{
    public const string MappingsSection = "Ingest:Mappings";

    private readonly FeedProvider[] _providers = [.. providers.OrderBy(p => p.Priority).ThenBy(p => p.Name, StringComparer.Ordinal)];
    private readonly Dictionary<(string, string), string> _configured = ReadConfigured(configuration);
    private readonly ConcurrentDictionary<string, string> _winners = new(StringComparer.Ordinal);
    private volatile Snapshot _snapshot = new(new Dictionary<(string, string), string>(), new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Re-reads the Redis mappings and every provider's health (one round trip per provider); call before applying a payload.</summary>
    public async Task RefreshAsync()
    {
        var db = redis.GetDatabase();
        var mappings = new Dictionary<(string, string), string>(_configured);
        foreach (var entry in await db.HashGetAllAsync(keys.FeedMappings).ConfigureAwait(false))
        {
            if (((string?)entry.Name)?.Split(':', 2) is [var provider, var vendorId] && Ids.IsValid(entry.Value))
            {
                mappings[(provider.ToUpperInvariant(), vendorId)] = entry.Value!;
            }
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var healthy = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in _providers)
        {
            if (await ProviderHealth.IsHealthyInRedisAsync(db, keys, p.Name, p.StaleAfter, now).ConfigureAwait(false))
            {
                healthy.Add(p.Name);
            }
        }
        _snapshot = new Snapshot(mappings, healthy);
    }

    /// <summary>The ScoreFeed match a vendor's match is joined to, or its own id when no mapping names it.</summary>
    public string MatchIdFor(string provider, FeedMatch match) =>
        _snapshot.Mappings.GetValueOrDefault((provider.ToUpperInvariant(), match.VendorId)) ?? match.MatchId;

    /// <summary>Whether <paramref name="provider"/>'s change to <paramref name="matchId"/> applies now; logs and counts a switch of provider.</summary>
    public bool ShouldApply(string provider, string matchId)
    {
        var snapshot = _snapshot;
        var self = _providers.FirstOrDefault(p => p.Name.Equals(provider, StringComparison.OrdinalIgnoreCase));
        if (self is null)
        {
            return true;
        }
        // Providers ranked before this one that feed the match; the first healthy one wins.
        var better = _providers.TakeWhile(p => p != self).Where(p => Feeds(snapshot, p, matchId)).ToList();
        var winner = better.FirstOrDefault(p => snapshot.Healthy.Contains(p.Name));
        if (winner is not null)
        {
            return false;
        }
        var previous = _winners.GetValueOrDefault(matchId);
        if (previous is not null && !previous.Equals(self.Name, StringComparison.OrdinalIgnoreCase))
        {
            metrics.FeedSwitched(previous, self.Name);
            IngestLog.FeedSwitched(logger, matchId, previous, self.Name, better.Count == 0 ? "it ranks first" : $"{string.Join(", ", better.Select(p => p.Name))} unhealthy");
        }
        _winners[matchId] = self.Name;
        return true;
    }

    private static bool Feeds(Snapshot snapshot, FeedProvider provider, string matchId) =>
        provider.IdPrefix is { } prefix && matchId.StartsWith(prefix + "-", StringComparison.Ordinal)
        || snapshot.Mappings.Any(m => m.Key.Item1.Equals(provider.Name, StringComparison.OrdinalIgnoreCase) && m.Value == matchId);

    private static Dictionary<(string, string), string> ReadConfigured(IConfiguration configuration)
    {
        var mappings = new Dictionary<(string, string), string>();
        foreach (var provider in configuration.GetSection(MappingsSection).GetChildren())
        {
            foreach (var vendor in provider.GetChildren())
            {
                mappings[(provider.Key.ToUpperInvariant(), vendor.Key)] = Ids.IsValid(vendor.Value) ? vendor.Value
                    : throw new InvalidOperationException($"{MappingsSection}:{provider.Key}:{vendor.Key}: '{vendor.Value}' is not a valid match id ({Ids.Pattern}).");
            }
        }
        return mappings;
    }

    private sealed record Snapshot(IReadOnlyDictionary<(string, string), string> Mappings, IReadOnlySet<string> Healthy);
}
