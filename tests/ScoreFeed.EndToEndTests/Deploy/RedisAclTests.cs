using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Deploy;

/// <summary>
/// The shipped ACL users (deploy/redis/users.acl.template, filled in as deploy/rehearse.sh and the compose file fill
/// it) on a real redis-server with its append-only file: each app can do its part and no more, nobody gets in
/// anonymously, and a restart replays every write the store's scripts made. (Redis 7.0 replays a script's writes as
/// MULTI/EXEC and checks EXEC against the default user's permissions: with a default user that may run nothing, every
/// scripted write was dropped on restart, logged only as "NOPERM ACLs rules changed".)
/// </summary>
public sealed class RedisAclTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Users = ["ingest", "hub", "web", "replication", "sentinel", "admin"];
    private readonly Dictionary<string, string> _passwords = Users.ToDictionary(u => u, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(12)));
    private readonly string _directory = Directory.CreateTempSubdirectory("scorefeed-acl-").FullName;
    private RedisServer _redis = null!;

    public async Task InitializeAsync()
    {
        var aclFile = Path.Combine(_directory, "users.acl");
        await File.WriteAllLinesAsync(aclFile, Fill(await File.ReadAllLinesAsync(Path.Combine(Paths.RepoRoot, "deploy", "redis", "users.acl.template"))));
        _redis = await RedisServer.StartAsync(Ports.Free(), $",user=admin,password={_passwords["admin"]}",
            ["--aclfile", aclFile, .. RedisServer.WithAppendOnlyFile(_directory), "--appendfsync", "always"]);
    }

    /// <summary>What the deployments do: each @NAME_SHA256@ becomes the password's SHA-256; comments and blank lines go.</summary>
    private IEnumerable<string> Fill(IEnumerable<string> template) => template
        .Where(line => line.Trim() is { Length: > 0 } text && !text.StartsWith('#'))
        .Select(line => Users.Aggregate(line, (text, user) => text.Replace($"@{user.ToUpperInvariant()}_SHA256@",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_passwords[user]))))));

    private Task<ConnectionMultiplexer> ConnectAsync(string user) =>
        ConnectionMultiplexer.ConnectAsync($"{_redis.ConnectionString},user={user},password={_passwords[user]}");

    private static MatchStore Store(IConnectionMultiplexer redis) =>
        new(redis, new RedisKeys("sf"), Options.Create(new StoreOptions()));

    private static MatchChange Change(int home) => new()
    {
        State = new MatchState
        {
            MatchId = "acl-1",
            CompetitionId = "cup",
            Sport = Sports.Football,
            Home = new TeamScore { Id = "h", Name = "Home", Score = home },
            Away = new TeamScore { Id = "a", Name = "Away", Score = 0 },
            Status = MatchStatus.Live,
            Period = 1,
            StartsAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Incidents = [],
        },
    };

    [Fact]
    public async Task Each_app_user_can_do_its_part_and_no_more_and_anonymous_clients_get_nothing()
    {
        await using var ingest = await ConnectAsync("ingest");
        await using var hub = await ConnectAsync("hub");

        var applied = await Store(ingest).ApplyAsync(Change(1));
        Assert.Equal(ApplyOutcome.Applied, applied.Outcome);
        await ingest.GetSubscriber().PublishAsync(RedisChannel.Literal("sf:updates"), "{}");

        // The hub reads (the read script, read-only), keeps its presence, and writes nothing else.
        Assert.Equal(1, (await Store(hub).GetAsync("acl-1"))!.Home.Score);
        await hub.GetDatabase().HashSetAsync("sf:presence", "hub-1", "1");
        var hubWrite = await Assert.ThrowsAsync<RedisServerException>(() => hub.GetDatabase().StringSetAsync("sf:match:acl-1", "forged"));
        var hubPublish = await Assert.ThrowsAsync<RedisServerException>(() => hub.GetSubscriber().PublishAsync(RedisChannel.Literal("sf:updates"), "forged"));
        var hubStore = await Assert.ThrowsAsync<RedisServerException>(() => Store(hub).ApplyAsync(Change(2)));
        var ingestOther = await Assert.ThrowsAsync<RedisServerException>(() => ingest.GetDatabase().StringSetAsync("other:key", "x"));
        var anonymous = await Assert.ThrowsAnyAsync<RedisException>(() => ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",connectTimeout=2000"));
        output.WriteLine($"hub SET: {hubWrite.Message}\nhub PUBLISH: {hubPublish.Message}\nhub store step: {hubStore.Message}\n" +
            $"ingest outside sf:*: {ingestOther.Message}\nanonymous connection: {anonymous.Message}");

        Assert.StartsWith("NOPERM", hubWrite.Message);
        Assert.StartsWith("NOPERM", hubPublish.Message);
        Assert.StartsWith("NOPERM", hubStore.Message);
        Assert.StartsWith("NOPERM", ingestOther.Message);
        Assert.Contains("NOAUTH", anonymous.Message);
        Assert.Equal(1, (await Store(ingest).GetAsync("acl-1"))!.Home.Score);
    }

    [Fact]
    public async Task The_web_user_keeps_push_subscriptions_and_its_lease_follows_updates_and_touches_nothing_else()
    {
        await using var ingest = await ConnectAsync("ingest");
        await using var web = await ConnectAsync("web");
        await Store(ingest).ApplyAsync(Change(1));
        var db = web.GetDatabase();
        // What the subscription store and the sender do (a transaction, sets, a union, a claim, the lease script).
        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync("sf:push:sub:abc", [new("endpoint", "https://push.example/1"), new("follow", "t:ars")]);
        _ = transaction.KeyExpireAsync("sf:push:sub:abc", TimeSpan.FromDays(90));
        _ = transaction.SetAddAsync("sf:push:team:ars", "abc");
        Assert.True(await transaction.ExecuteAsync());
        Assert.Single(await db.SetCombineAsync(SetOperation.Union, ["sf:push:team:ars", "sf:push:match:m1"]));
        Assert.True(await db.StringSetAsync("sf:push:sent:m1:goal:g1", "me", TimeSpan.FromDays(3), When.NotExists));
        Assert.True(await new RedisLease(web).AcquireOrRenewAsync("sf:push:lease", "me", TimeSpan.FromSeconds(5)));
        Assert.True(await db.KeyDeleteAsync("sf:push:sub:abc"));
        var queue = await web.GetSubscriber().SubscribeAsync(RedisChannel.Literal("sf:updates"));

        var readStore = await Assert.ThrowsAsync<RedisServerException>(() => db.HashGetAllAsync("sf:m:acl-1"));
        var writeStore = await Assert.ThrowsAsync<RedisServerException>(() => db.StringSetAsync("sf:m:acl-1", "forged"));
        var publish = await Assert.ThrowsAsync<RedisServerException>(() => web.GetSubscriber().PublishAsync(RedisChannel.Literal("sf:updates"), "forged"));
        output.WriteLine($"web reads the store: {readStore.Message}\nweb writes the store: {writeStore.Message}\nweb publishes: {publish.Message}");
        Assert.StartsWith("NOPERM", readStore.Message);
        Assert.StartsWith("NOPERM", writeStore.Message);
        Assert.StartsWith("NOPERM", publish.Message);
        await queue.UnsubscribeAsync();
    }

    [Fact]
    public async Task A_restart_from_the_append_only_file_replays_every_write_of_the_store_scripts()
    {
        ApplyResult last;
        await using (var ingest = await ConnectAsync("ingest"))
        {
            var store = Store(ingest);
            for (var home = 1; home < 20; home++)
            {
                await store.ApplyAsync(Change(home));
            }
            last = await store.ApplyAsync(Change(20));
        }

        await _redis.RestartAsync(); // kill -9, then the same arguments: the AOF (appendfsync always) is replayed

        await using var again = await ConnectAsync("ingest");
        var stored = await Store(again).GetStoredAsync("acl-1");
        output.WriteLine($"before the restart: seq {last.Seq} (epoch {last.Epoch}), home 20; after it: " +
            (stored is null ? "the match is gone" : $"seq {stored.State.Seq} (epoch {stored.State.Epoch}), home {stored.State.Home.Score}"));
        Assert.NotNull(stored);
        Assert.Equal(last.Seq, stored.State.Seq);
        Assert.Equal(last.Epoch, stored.State.Epoch);
        Assert.Equal(20, stored.State.Home.Score);
    }

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
