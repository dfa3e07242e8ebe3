using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using Xunit.Abstractions;
using StreamPosition = ScoreFeed.Contract.StreamPosition;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Issue 15, item 3: one Subscribe of 541 bytes read megabytes (every position recovered up to the whole history),
/// and a stream of them took Redis's CPU, ingest's write path. What one request may cost is now bounded: positions per
/// request, updates recovered per request (a position further behind gets the snapshot), Subscribe calls per second.
/// </summary>
public sealed class SubscribeBudgetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task One_Subscribe_recovers_a_bounded_number_of_updates_and_a_position_further_behind_gets_the_snapshot()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["Hub:MaxRecoveredPerSubscribe"] = "50",
            ["Hub:RecentUpdatesPerMatch"] = "0", // every position is read from Redis
        });
        var ids = await system.CreateMatchesAsync("sb", 2);
        var start = (await system.PositionsAsync(ids))[ids[0]];
        for (var i = 0; i < 300; i++)
        {
            await system.Feed.TickAsync(ids[0]);
        }
        for (var i = 0; i < 10; i++)
        {
            await system.Feed.TickAsync(ids[1]);
        }
        var now = await system.PositionsAsync(ids);
        await using var client = await TestClient.ConnectAsync(system.Hubs[0].HubUrl);

        // 300 updates behind on one match (over its share), 10 behind on the other (within it).
        var result = await client.SubscribeAsync(["live"], new()
        {
            [ids[0]] = new StreamPosition { Epoch = start.Epoch, Seq = start.Seq },
            [ids[1]] = new StreamPosition { Epoch = now[ids[1]].Epoch, Seq = now[ids[1]].Seq - 10 },
        });
        output.WriteLine($"positions 300 and 10 behind, budget 50: {result.Recovered.Count} updates recovered, {result.Matches.Count} snapshot(s) ({string.Join(", ", result.Matches.Select(m => m.MatchId))})");

        Assert.Equal(ids[0], Assert.Single(result.Matches).MatchId);
        Assert.Equal(now[ids[0]].Seq, result.Matches[0].Seq);
        Assert.Equal(10, result.Recovered.Count);
        Assert.All(result.Recovered, u => Assert.Equal(ids[1], u.MatchId));
    }

    [Fact]
    public async Task Too_many_positions_are_refused_with_the_limit_and_the_connection_carries_on()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new() { ["Hub:MaxPositionsPerSubscribe"] = "20" });
        var ids = await system.CreateMatchesAsync("sp", 1);
        await using var client = await TestClient.ConnectAsync(system.Hubs[0].HubUrl);
        var positions = Enumerable.Range(0, 21).ToDictionary(i => $"m{i}", _ => new StreamPosition { Epoch = "0123456789abcdef", Seq = 0 });

        var refused = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(["live"], positions));
        output.WriteLine(refused.Message);
        Assert.Contains("Too many positions in one request (21); at most 20", refused.Message, StringComparison.Ordinal);
        var fine = await client.SubscribeAsync(["live"], positions.Take(20).ToDictionary());
        Assert.Contains(fine.Matches, m => m.MatchId == ids[0]);
    }

    [Fact]
    public async Task Subscribe_calls_beyond_the_rate_wait_their_turn_and_all_are_answered()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new() { ["Hub:SubscribesPerSecond"] = "5" });
        await system.CreateMatchesAsync("sr", 1);
        await using var client = await TestClient.ConnectAsync(system.Hubs[0].HubUrl);

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            Assert.Empty((await client.SubscribeAsync(["live"])).Rejected);
        }
        output.WriteLine($"20 Subscribe calls in a row at 5 per second (bursts of 10): {watch.Elapsed.TotalSeconds:F1} s");
        // The first ten pass at once, the next ten one per 200 ms.
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.6), $"20 calls took {watch.Elapsed.TotalMilliseconds:F0} ms; the rate allows ~2 s");
    }

    /// <summary>
    /// What one Subscribe costs Redis: one index read per topic and one read script (EVALSHA_RO) per match it reads —
    /// pipelined, never more — whatever the positions say. Here 30 live matches, each 5 updates behind.
    /// </summary>
    [Fact]
    public async Task One_Subscribe_costs_Redis_one_read_script_per_match_and_one_index_read_per_topic()
    {
        const int Matches = 30;
        await using var system = await ChaosSystem.StartAsync(hubs: 1, hubSettings: new()
        {
            ["Hub:RecentUpdatesPerMatch"] = "0", // every position is read from Redis
            ["Hub:ReconcileInterval"] = "01:00:00",
        });
        var ids = await system.CreateMatchesAsync("sc", Matches);
        foreach (var id in ids)
        {
            for (var i = 0; i < 5; i++)
            {
                await system.Feed.TickAsync(id);
            }
        }
        var now = await system.PositionsAsync(ids);
        await using var client = await TestClient.ConnectAsync(system.Hubs[0].HubUrl);
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(system.Redis.ConnectionString + ",allowAdmin=true");
        var server = admin.GetServer(system.Redis.ConnectionString);

        // Warm: the hub's connection has loaded the read script (its first reads send it whole, once).
        await client.SubscribeAsync(["live"]);
        var before = await RedisServer.CommandCallsAsync(server);
        var result = await client.SubscribeAsync(["live"], ids.ToDictionary(id => id, id => new StreamPosition { Epoch = now[id].Epoch, Seq = now[id].Seq - 5 }));
        var after = await RedisServer.CommandCallsAsync(server);
        var used = after.Where(c => c.Value > before.GetValueOrDefault(c.Key)).ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key));
        output.WriteLine($"one Subscribe to 'live' with {Matches} positions 5 behind: {result.Recovered.Count} updates recovered; Redis commands: " +
            string.Join(", ", used.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")));

        Assert.Equal(Matches * 5, result.Recovered.Count);
        Assert.Equal(Matches, used.GetValueOrDefault("evalsha_ro"));
        // Besides the read scripts (and what they call inside): the live index, and the hub's own periodic presence
        // write if it fell in the window.
        var scripted = new[] { "evalsha_ro", "hmget", "xrevrange", "hget", "xrange", "exists" };
        var others = used.Where(c => !scripted.Contains(c.Key)).Sum(c => c.Value);
        Assert.True(others <= 5, $"other commands: {string.Join(", ", used.Where(c => !scripted.Contains(c.Key)).Select(c => $"{c.Key} {c.Value}"))}");
    }
}
