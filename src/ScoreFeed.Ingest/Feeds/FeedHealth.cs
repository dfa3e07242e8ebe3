using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using ScoreFeed.Redis;
using StackExchange.Redis;

namespace ScoreFeed.Ingest.Feeds;

/// <summary>
/// How one provider's polling goes, as this process sees it. Written by its poller, read by the health check and
/// the metrics, and copied to Redis after each poll so every ingest process can tell whether it is healthy.
/// </summary>
internal sealed class ProviderHealth(string name, TimeSpan staleAfter)
{
    private long _lastSuccessMs;
    private int _failures;
    private int _circuit;
    private int _holding;

    public string Name { get; } = name;

    public TimeSpan StaleAfter { get; } = staleAfter;

    /// <summary>Last successful poll (ms since the Unix epoch), 0 if none yet.</summary>
    public long LastSuccessMs => Volatile.Read(ref _lastSuccessMs);

    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    public CircuitState Circuit => (CircuitState)Volatile.Read(ref _circuit);

    /// <summary>Whether this process holds the provider's lease (polls it).</summary>
    public bool Holding => Volatile.Read(ref _holding) == 1;

    public string? LastError { get; private set; }

    public void Succeeded(long nowMs)
    {
        Volatile.Write(ref _lastSuccessMs, nowMs);
        Volatile.Write(ref _failures, 0);
        LastError = null;
    }

    public void Failed(string reason)
    {
        Interlocked.Increment(ref _failures);
        LastError = reason;
    }

    public void SetCircuit(CircuitState state) => Volatile.Write(ref _circuit, (int)state);

    public void SetHolding(bool holding) => Volatile.Write(ref _holding, holding ? 1 : 0);

    /// <summary>Healthy: circuit closed (a half-open one is still probing a failing vendor) and a success within <paramref name="staleAfter"/>.</summary>
    public static bool IsHealthy(long lastSuccessMs, CircuitState circuit, TimeSpan staleAfter, long nowMs) =>
        circuit == CircuitState.Closed && lastSuccessMs > 0 && nowMs - lastSuccessMs <= staleAfter.TotalMilliseconds;

    /// <summary>Shares this provider's health through Redis (for the processes that do not poll it).</summary>
    public Task PublishAsync(IConnectionMultiplexer redis, RedisKeys keys)
    {
        var key = keys.ProviderHealth(Name);
        var batch = redis.GetDatabase().CreateBatch();
        var set = batch.HashSetAsync(key, [
            new HashEntry("lastSuccess", LastSuccessMs),
            new HashEntry("failures", ConsecutiveFailures),
            new HashEntry("circuit", Circuit.ToString()),
        ]);
        var expire = batch.KeyExpireAsync(key, StaleAfter * 4);
        batch.Execute();
        return Task.WhenAll(set, expire);
    }

    /// <summary>Whether a provider is healthy by what its poller last shared through Redis; unknown counts as unhealthy.</summary>
    public static async Task<bool> IsHealthyInRedisAsync(IDatabase db, RedisKeys keys, string provider, TimeSpan staleAfter, long nowMs)
    {
        var values = await db.HashGetAsync(keys.ProviderHealth(provider), ["lastSuccess", "circuit"]).ConfigureAwait(false);
        return values[0].TryParse(out long lastSuccess)
            && Enum.TryParse<CircuitState>((string?)values[1], out var circuit)
            && IsHealthy(lastSuccess, circuit, staleAfter, nowMs);
    }
}

/// <summary>Every feed provider's health in this process, by name.</summary>
internal sealed class FeedHealth
{
    private readonly ConcurrentDictionary<string, ProviderHealth> _providers = new(StringComparer.OrdinalIgnoreCase);

    public ProviderHealth Add(string name, TimeSpan staleAfter) => _providers.GetOrAdd(name, n => new ProviderHealth(n, staleAfter));

    public ProviderHealth? this[string name] => _providers.GetValueOrDefault(name);

    public IEnumerable<ProviderHealth> All => _providers.Values;
}

/// <summary>
/// One entry per provider on <c>/health/ready</c>. A provider in trouble makes ingest <b>Degraded</b>, not
/// Unhealthy: ingest still publishes operators' corrections and the other providers, so it must stay in its load
/// balancer; the entry says what is wrong (circuit, failures, age of the last success). A standby process (another
/// holds the lease) reports the provider healthy and says so.
/// </summary>
internal sealed class FeedHealthCheck(ProviderHealth provider, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var data = new Dictionary<string, object>
        {
            ["holdsLease"] = provider.Holding,
            ["lastSuccess"] = provider.LastSuccessMs == 0 ? "never" : DateTimeOffset.FromUnixTimeMilliseconds(provider.LastSuccessMs).ToString("O", CultureInfo.InvariantCulture),
            ["consecutiveFailures"] = provider.ConsecutiveFailures,
            ["circuit"] = provider.Circuit.ToString(),
        };
        if (!provider.Holding)
        {
            return Task.FromResult(HealthCheckResult.Healthy("standby: another ingest process holds the lease", data));
        }
        if (ProviderHealth.IsHealthy(provider.LastSuccessMs, provider.Circuit, provider.StaleAfter, now))
        {
            return Task.FromResult(HealthCheckResult.Healthy("polling", data));
        }
        var why = provider.Circuit != CircuitState.Closed ? $"circuit {provider.Circuit}"
            : provider.LastSuccessMs == 0 ? "no successful poll yet"
            : $"no successful poll for {(now - provider.LastSuccessMs) / 1000} s";
        return Task.FromResult(HealthCheckResult.Degraded($"{why}; {provider.ConsecutiveFailures} failed polls in a row; last error: {provider.LastError ?? "none"}", data: data));
    }
}
