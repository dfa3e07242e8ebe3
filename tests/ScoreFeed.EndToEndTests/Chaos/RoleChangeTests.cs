using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// The roles of two Redis nodes the apps already know swap without a broken connection (what a Sentinel fail-back or a
/// planned failover does: the primary becomes a replica in place). The apps' connection, registered as the apps
/// register it, must move its writes to the new primary by itself, within seconds: a write refused as READONLY makes it
/// re-read the roles (<see cref="Redis.ReplicaReplyWatch"/>). Without that, StackExchange.Redis wrote to the replica
/// until its periodic configuration check (every 60 s): ingest's simulator stood still that long in the rehearsal.
/// </summary>
public sealed class RoleChangeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Writes_move_to_the_new_primary_when_the_old_one_becomes_a_replica_in_place()
    {
        await using var a = await RedisServer.StartAsync();
        await using var b = await RedisServer.StartAsync("--replicaof", "127.0.0.1", a.Port.ToString());
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{a.ConnectionString},{b.ConnectionString},allowAdmin=true");
        await WaitAsync(async () => (await Info(admin, b, "replication")).Contains("master_link_status:up"), "b to replicate a");

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [RedisRegistration.ConnectionStringKey] = $"{a.ConnectionString},{b.ConnectionString}",
        });
        builder.AddScoreFeedStore();
        using var host = builder.Build();
        var redis = host.Services.GetRequiredService<IConnectionMultiplexer>();
        var db = redis.GetDatabase();
        // A script, as the store writes: StackExchange.Redis does not learn roles from a refused script.
        const string Write = "return redis.call('INCR', KEYS[1])";
        await db.ScriptEvaluateAsync(Write, ["role-test"]);
        Assert.False(redis.GetServer(a.ConnectionString).IsReplica);

        // Swap in place: b becomes the primary, a its replica. No connection is closed.
        await admin.GetServer(b.ConnectionString).ExecuteAsync("REPLICAOF", "NO", "ONE");
        await admin.GetServer(a.ConnectionString).ExecuteAsync("REPLICAOF", "127.0.0.1", b.Port.ToString());
        await WaitAsync(async () => (await Info(admin, a, "replication")).Contains("master_link_status:up"), "a to replicate b");

        var swapped = Stopwatch.StartNew();
        var refused = 0;
        var written = 0L;
        while (swapped.Elapsed < TimeSpan.FromSeconds(20))
        {
            try
            {
                written = (long)await db.ScriptEvaluateAsync(Write, ["role-test"]);
                break;
            }
            catch (RedisServerException e) when (e.Message.StartsWith("READONLY", StringComparison.Ordinal))
            {
                refused++;
                await Task.Delay(100);
            }
        }
        output.WriteLine($"roles swapped in place; {refused} write(s) refused as READONLY; " +
            (written == 2 ? $"written on the new primary {swapped.Elapsed.TotalSeconds:F2} s after the swap " : $"still refused after {swapped.Elapsed.TotalSeconds:F0} s ") +
            $"(a: {(redis.GetServer(a.ConnectionString).IsReplica ? "replica" : "primary")}, b: {(redis.GetServer(b.ConnectionString).IsReplica ? "replica" : "primary")})");

        Assert.True(written == 2, $"writes still refused {swapped.Elapsed.TotalSeconds:F0} s after the swap ({refused} READONLY replies)");
        Assert.Equal(2L, (long)await admin.GetDatabase().StringGetAsync("role-test"));
        Assert.False(redis.GetServer(b.ConnectionString).IsReplica);
        Assert.True(redis.GetServer(a.ConnectionString).IsReplica);
    }

    private static async Task<string> Info(ConnectionMultiplexer admin, RedisServer node, string section) =>
        (string)(await admin.GetServer(node.ConnectionString).ExecuteAsync("INFO", section))!;

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
