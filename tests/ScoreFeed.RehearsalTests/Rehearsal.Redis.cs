using System.Diagnostics;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// The rehearsal's Redis: redis-cli on a node, Sentinel's master, putting both back as started; waiting until the
/// simulator plays again, and <see cref="WaitAsync"/>.
/// </summary>
public sealed partial class Rehearsal
{
    /// <summary>redis-cli as <c>admin</c> against a node: "redis-primary", "redis-replica" or "sentinel-N".</summary>
    public async Task<string> RedisCliAsync(string node, params string[] args)
    {
        var port = node switch
        {
            "redis-primary" => RedisPrimaryPort,
            "redis-replica" => RedisReplicaPort,
            _ when node.StartsWith("sentinel-", StringComparison.Ordinal) => SentinelPorts[int.Parse(node["sentinel-".Length..]) - 1],
            _ => throw new ArgumentException($"no Redis node '{node}'", nameof(node)),
        };
        var (_, output) = await RunAsync("redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(), "--user", "admin", "--no-auth-warning", .. args], TimeSpan.FromSeconds(30),
            new() { ["REDISCLI_AUTH"] = File.ReadAllText(Path.Combine(WorkDirectory, "secrets", "admin")).Trim() });
        return output.Trim();
    }

    /// <summary>The Redis node Sentinel names as the master of <c>scorefeed</c> ("redis-primary" or "redis-replica"), asking each Sentinel in turn.</summary>
    public async Task<string> MasterAsync()
    {
        foreach (var sentinel in new[] { "sentinel-1", "sentinel-2", "sentinel-3" })
        {
            var answer = (await RedisCliAsync(sentinel, "SENTINEL", "get-master-addr-by-name", "scorefeed")).Split('\n', StringSplitOptions.TrimEntries);
            if (answer.Length == 2 && int.TryParse(answer[1], out var port))
            {
                return port == RedisPrimaryPort ? "redis-primary" : port == RedisReplicaPort ? "redis-replica" : throw new InvalidOperationException($"unknown master port {port}");
            }
        }
        throw new InvalidOperationException("no Sentinel named a master");
    }

    /// <summary>The other Redis node.</summary>
    public static string OtherRedis(string node) => node == "redis-primary" ? "redis-replica" : "redis-primary";

    /// <summary>A Redis node's data directory (its AOF in appendonlydir/, and dump.rdb after SAVE).</summary>
    public string RedisDataDirectory(string node) => Path.Combine(WorkDirectory, "redis", node["redis-".Length..]);

    /// <summary>
    /// Puts Redis back as rehearse.sh starts it, whatever a test did before: both nodes running, redis-primary the
    /// master (a <c>SENTINEL FAILOVER</c> back if needed) and redis-replica in sync with it. Returns what it did.
    /// </summary>
    public async Task<string> RestoreRedisAsync()
    {
        var done = new List<string>();
        foreach (var node in new[] { "redis-primary", "redis-replica" })
        {
            if (Pid(node) is null)
            {
                await ControlAsync("start", node);
                done.Add($"started {node}");
            }
        }
        if (await MasterAsync() != "redis-primary")
        {
            // The old master rejoins as a replica once a Sentinel has told it; a failover needs it in sync.
            await WaitAsync(async () => (await RedisCliAsync("redis-primary", "INFO", "replication")).Contains("master_link_status:up"), TimeSpan.FromSeconds(60),
                "redis-primary to replicate the new master");
            var watch = Stopwatch.StartNew();
            await WaitAsync(async () => (await RedisCliAsync("sentinel-1", "SENTINEL", "failover", "scorefeed")) == "OK" || await MasterAsync() == "redis-primary",
                TimeSpan.FromSeconds(60), "a Sentinel to accept a failover back to redis-primary");
            await WaitAsync(async () => await MasterAsync() == "redis-primary", TimeSpan.FromSeconds(60), "Sentinel to name redis-primary the master again");
            done.Add($"failed over back to redis-primary in {watch.Elapsed.TotalSeconds:F1} s");
        }
        await WaitAsync(async () => (await RedisCliAsync("redis-replica", "INFO", "replication")).Contains("master_link_status:up")
            && (await RedisCliAsync("redis-primary", "ROLE")).StartsWith("master", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "redis-replica to replicate redis-primary");
        for (var i = 0; i < IngestPorts.Length; i++)
        {
            if (Pid($"ingest-{i + 1}") is null)
            {
                await ControlAsync("start", $"ingest-{i + 1}");
                done.Add($"started ingest-{i + 1}");
            }
        }
        var idle = await WaitPlayingAsync();
        if (idle > TimeSpan.FromSeconds(5))
        {
            done.Add($"the simulator played again only after {idle.TotalSeconds:F0} s");
        }
        return done.Count == 0 ? "as started" : string.Join(", ", done);
    }

    /// <summary>
    /// Waits until the simulator plays (a match's seq moves within 2 s on the read API): after a failover, a fail-back
    /// or an ingest restart, the lease holder takes a few seconds to play again.
    /// </summary>
    public async Task<TimeSpan> WaitPlayingAsync()
    {
        using var http = CreateHttpClient();
        return await WaitAsync(async () =>
        {
            var first = await PositionsAsync(http);
            await Task.Delay(TimeSpan.FromSeconds(2));
            var then = await PositionsAsync(http);
            return then.Any(p => first.TryGetValue(p.Key, out var f) && f.Epoch == p.Value.Epoch && p.Value.Seq > f.Seq);
        }, TimeSpan.FromSeconds(90), "the simulator to play");
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 200 ms.</summary>
    public static async Task<TimeSpan> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return watch.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                // Not yet: a process on the way down or up.
            }
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:F0} s for {what}");
            }
            await Task.Delay(200);
        }
    }
}
