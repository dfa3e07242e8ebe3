using System.Diagnostics;
using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Fault 2 of the chaos issue: Redis dies (kill -9) and comes back, with its append-only file (nothing applied may be
/// lost) and without persistence (the history is gone: new epochs, fans re-snapshot). Ingest (a real process running
/// the simulator, and the publishing path in the test) must not crash and must publish what waited; the hubs'
/// update subscriptions must come back, and what pub/sub lost meanwhile must still reach every hub's fans.
/// </summary>
public sealed class RedisFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Redis_killed_and_restarted_from_its_append_only_file_loses_no_applied_update_and_group_messages_flow_again()
    {
        const string Prefix = "ra";
        await using var system = await ChaosSystem.StartAsync(hubs: 2, appendOnly: true);
        var ingest = await StartSimulatorAsync(system);
        var ids = await system.CreateMatchesAsync(Prefix, 4);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(300, i => Topics.Mix(i, ids, Prefix), TimeSpan.FromSeconds(60));
        await using var player = system.Play(ids, perSecond: 40, id => ChaosSystem.CompetitionOf(Prefix, Array.IndexOf(ids, id), ids.Length));
        await Task.Delay(TimeSpan.FromSeconds(3));

        await system.Redis.KillAsync();
        await FanPool.WaitAsync(() => player.Failed > 0, TimeSpan.FromSeconds(30), "ingest to notice Redis is gone");
        var committed = player.LastApplied();
        await Task.Delay(TimeSpan.FromSeconds(3));
        var restartedAt = Stopwatch.GetTimestamp();
        await system.Redis.RestartAsync();

        var afterRestart = await system.PositionsAsync(ids);
        var pushedBefore = fans.Fans.ToDictionary(f => f, f => Interlocked.Read(ref f.Pushed));
        await FanPool.WaitAsync(() => fans.Fans.All(f => Interlocked.Read(ref f.Pushed) > pushedBefore[f]), TimeSpan.FromSeconds(60),
            "every fan, on both hubs, to receive pushed updates again");
        var flowing = Stopwatch.GetElapsedTime(restartedAt);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => HubFailureTests.CaughtUp(fans, ids, Prefix, final), TimeSpan.FromSeconds(60), "every fan to reach the final seq");
        var caughtUp = Stopwatch.GetElapsedTime(restartedAt);
        var report = FanReport.Check(fans.Fans, f => Topics.Covered(f.Topics, ids, Prefix), final);
        var ingestMetrics = await system.MetricsAsync(ingest);
        output.WriteLine($"Redis (appendonly yes, appendfsync everysec) killed with -9 for ~3 s and restarted; {player.Applied} updates applied by the feed, {player.Failed} steps failed while it was down (derived again later)");
        output.WriteLine($"applied before the kill vs after the restart: {string.Join(", ", ids.Select(id => $"{id} {committed[id].Seq}→{afterRestart[id].Seq}"))}");
        output.WriteLine($"pushed updates reached every fan on both hubs {flowing.TotalSeconds:F1} s after the restart; all caught up {caughtUp.TotalSeconds:F1} s after it");
        output.WriteLine($"ingest process (simulator): alive, publish failures {Prometheus.Sum(ingestMetrics, "scorefeed_ingest_publish_failures_total")}, published late {Prometheus.Sum(ingestMetrics, "scorefeed_ingest_publish_late_total")}, dropped {Prometheus.Sum(ingestMetrics, "scorefeed_ingest_publish_dropped_total")}");
        output.WriteLine(report.ToString());

        foreach (var id in ids)
        {
            // Nothing applied was lost: Redis came back with every committed seq of the old epoch (or had already
            // moved the match to a new epoch, the rewind rule, which it does after any restart: it cannot know).
            Assert.True(afterRestart[id].Epoch != committed[id].Epoch || afterRestart[id].Seq >= committed[id].Seq,
                $"{id}: Redis holds seq {afterRestart[id].Seq} after the restart, ingest had committed {committed[id].Seq}");
            Assert.NotEqual(committed[id].Epoch, final[id].Epoch);
        }
        Assert.False(ingest.HasExited);
        Assert.True((await system.Http.GetAsync(new Uri(ingest.BaseAddress, "/health/ready"))).IsSuccessStatusCode);
        report.AssertNothingLost();
        // What a restart costs when nothing was lost: fans re-snapshot the new epochs (printed above).
        Assert.True(report.Resnapshots >= fans.Fans.Count, report.ToString());
    }

    [Fact]
    public async Task Redis_back_from_an_older_snapshot_moves_every_match_to_a_new_epoch_and_no_fan_keeps_a_lost_state()
    {
        const string Prefix = "rw";
        await using var system = await ChaosSystem.StartAsync(hubs: 2, snapshots: true);
        var ingest = await StartSimulatorAsync(system);
        var ids = await system.CreateMatchesAsync(Prefix, 4);
        // A match nobody writes after the restart (a finished one, say): only ingest's check can move it.
        var quiet = ids[^1];
        var played = ids[..^1];
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(300, i => Topics.Mix(i, ids, Prefix), TimeSpan.FromSeconds(60));
        var player = system.Play(played, perSecond: 40, id => ChaosSystem.CompetitionOf(Prefix, Array.IndexOf(ids, id), ids.Length));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var snapshot = await system.Redis.SnapshotAsync();
        var snapshotAt = Stopwatch.GetTimestamp();
        var atSnapshot = await system.PositionsAsync(ids);
        for (var i = 0; i < 5; i++)
        {
            await system.Feed.TickAsync(quiet);
        }
        await Task.Delay(TimeSpan.FromSeconds(4)); // fans get what Redis is about to lose
        var published = await system.PositionsAsync(ids);
        var quietFans = fans.Fans.Where(f => Topics.Covered(f.Topics, ids, Prefix).Contains(quiet)).ToArray();
        await FanPool.WaitAsync(() => quietFans.All(f => f.Tracks().TryGetValue(quiet, out var t) && t.Seq == published[quiet].Seq),
            TimeSpan.FromSeconds(30), "fans to hold the quiet match's last seq");

        var restartedAt = Stopwatch.GetTimestamp();
        var snapshotAge = Stopwatch.GetElapsedTime(snapshotAt);
        await system.Redis.RestartFromAsync(snapshot);
        var rewound = await system.PositionsAsync(ids);
        var oldEpochs = atSnapshot.Values.Select(p => p.Epoch).ToHashSet(StringComparer.Ordinal);
        bool OnNewEpochs(Fan f) => f.Tracks().Values.All(t => !oldEpochs.Contains(t.Epoch));
        await FanPool.WaitAsync(() => fans.Fans.All(OnNewEpochs), TimeSpan.FromSeconds(60), "every fan to leave the rewound epochs");
        var moved = Stopwatch.GetElapsedTime(restartedAt);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => HubFailureTests.CaughtUp(fans, ids, Prefix, final), TimeSpan.FromSeconds(60), "every fan to reach Redis's (epoch, seq)");
        var converged = Stopwatch.GetElapsedTime(restartedAt);
        var report = FanReport.Check(fans.Fans, f => Topics.Covered(f.Topics, ids, Prefix), final);
        var reissued = Prometheus.Sum(await system.MetricsAsync(ingest), "scorefeed_ingest_store_reissued_total");
        output.WriteLine($"Redis killed and restarted from a snapshot {snapshotAge.TotalSeconds:F1} s old; {player.Applied} updates applied by the feed, {player.Failed} steps failed");
        output.WriteLine($"published vs Redis after the restart: {string.Join(", ", ids.Select(id => $"{id} {published[id].Epoch}#{published[id].Seq} → {rewound[id].Epoch}#{rewound[id].Seq} → {final[id].Epoch}#{final[id].Seq}"))}");
        output.WriteLine($"every fan off the rewound epochs {moved.TotalSeconds:F1} s after the restart, on Redis's (epoch, seq) {converged.TotalSeconds:F1} s after it; ingest process re-issued {reissued} matches");
        output.WriteLine(report.ToString());

        foreach (var id in ids)
        {
            Assert.True(atSnapshot[id].Seq < published[id].Seq, $"{id}: the snapshot should be older than what fans held");
            Assert.NotEqual(published[id].Epoch, final[id].Epoch);
        }
        Assert.False(ingest.HasExited);
        report.AssertNothingLost();
    }

    [Fact]
    public async Task Apps_stopped_while_Redis_hangs_or_is_gone_exit_0_within_their_grace_period()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2);
        var ingest = await StartSimulatorAsync(system);
        var ids = await system.CreateMatchesAsync("rs", 2);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(20, _ => ["live"], TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Redis hangs (connections open, nothing answers): the hub's goodbye to Redis times out.
        system.Redis.Freeze();
        var stopping = Stopwatch.GetTimestamp();
        system.Hubs[0].Terminate();
        ingest.Terminate();
        var hubExit = await system.Hubs[0].WaitForExitAsync(TimeSpan.FromSeconds(45));
        var ingestExit = await ingest.WaitForExitAsync(TimeSpan.FromSeconds(45));
        var hungFor = Stopwatch.GetElapsedTime(stopping);

        // Redis gone (connection refused): the other hub stops too.
        await system.Redis.KillAsync();
        stopping = Stopwatch.GetTimestamp();
        system.Hubs[1].Terminate();
        var lastExit = await system.Hubs[1].WaitForExitAsync(TimeSpan.FromSeconds(45));
        var goneFor = Stopwatch.GetElapsedTime(stopping);
        output.WriteLine($"Redis frozen: hub exited {hubExit}, ingest exited {ingestExit}, both within {hungFor.TotalSeconds:F1} s; Redis gone: hub exited {lastExit} in {goneFor.TotalSeconds:F1} s");
        output.WriteLine($"close messages the fans got: {string.Join(", ", fans.CloseReasons.Select(kv => $"{kv.Key} ×{kv.Value}"))}; disconnects {fans.Fans.Sum(f => f.Disconnects)}");

        Assert.Equal((0, 0, 0), (hubExit, ingestExit, lastExit));
        Assert.DoesNotContain("Unhandled exception", system.Hubs[0].Output);
        Assert.All(fans.Fans, f => Assert.True(f.Disconnects > 0, $"fan {f.Index} was not told its hub left"));
    }

    [Fact]
    public async Task Redis_restarted_without_its_data_starts_new_epochs_and_every_fan_re_snapshots_and_carries_on()
    {
        const string Prefix = "rl";
        await using var system = await ChaosSystem.StartAsync(hubs: 2);
        var ingest = await StartSimulatorAsync(system);
        var ids = await system.CreateMatchesAsync(Prefix, 4);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(300, i => Topics.Mix(i, ids, Prefix), TimeSpan.FromSeconds(60));
        await using var player = system.Play(ids, perSecond: 40, id => ChaosSystem.CompetitionOf(Prefix, Array.IndexOf(ids, id), ids.Length));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await system.PositionsAsync(ids);

        await system.Redis.KillAsync();
        await FanPool.WaitAsync(() => player.Failed > 0, TimeSpan.FromSeconds(30), "ingest to notice Redis is gone");
        var restartedAt = Stopwatch.GetTimestamp();
        await system.Redis.RestartAsync();
        var oldEpochs = before.Values.Select(p => p.Epoch).ToHashSet(StringComparer.Ordinal);
        bool OnNewEpochs(Fan f) => f.Tracks().Values.All(t => !oldEpochs.Contains(t.Epoch)) && f.Resnapshots > 0;
        try
        {
            await FanPool.WaitAsync(() => fans.Fans.All(OnNewEpochs), TimeSpan.FromSeconds(60), "every fan to take the new epochs");
        }
        catch (TimeoutException)
        {
            var stuck = fans.Fans.Where(f => !OnNewEpochs(f)).ToList();
            output.WriteLine($"{stuck.Count} fans not on the new epochs; feed applied {player.Applied}, failed {player.Failed}; Redis holds: "
                + string.Join(", ", (await system.PositionsAsync(ids)).Select(p => $"{p.Key} {p.Value.Epoch}#{p.Value.Seq}")));
            foreach (var f in stuck.Take(5))
            {
                output.WriteLine($"  fan on {f.Hub}: topics {string.Join(' ', f.Topics)}, re-snapshots {f.Resnapshots}, subscribed {f.Subscribed}, connects {f.Connects}, pushed {f.Pushed}, subscribe errors {f.SubscribeErrors}, tracks "
                    + string.Join(", ", f.Tracks().Select(t => $"{t.Key} {t.Value.Epoch}#{t.Value.Seq}")));
            }
            throw;
        }
        var resnapshotted = Stopwatch.GetElapsedTime(restartedAt);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => HubFailureTests.CaughtUp(fans, ids, Prefix, final), TimeSpan.FromSeconds(60), "every fan to reach the final seq of the new epochs");
        var report = FanReport.Check(fans.Fans, f => Topics.Covered(f.Topics, ids, Prefix), final);
        output.WriteLine($"Redis (no persistence) killed with -9 and restarted empty; {player.Applied} updates applied by the feed, {player.Failed} steps failed");
        output.WriteLine($"every fan re-snapshotted the new epochs {resnapshotted.TotalSeconds:F1} s after the restart");
        output.WriteLine(report.ToString());

        Assert.All(ids, id => Assert.NotEqual(before[id].Epoch, final[id].Epoch));
        Assert.False(ingest.HasExited);
        report.AssertNothingLost();
        Assert.True(report.Resnapshots >= fans.Fans.Count);
    }

    [Fact]
    public async Task An_update_committed_but_not_published_when_Redis_fails_is_published_once_Redis_is_back()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2, appendOnly: true);
        var ids = await system.CreateMatchesAsync("rp", 1);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(40, _ => ["match:rp0"], TimeSpan.FromSeconds(30));
        var publisher = system.Feed.Service<MatchPublisher>();

        // Committed (in Redis, with its seq) but not yet published when Redis dies: the final whistle, say, which no
        // later update would reveal as a gap.
        var current = (await system.Feed.Store.GetAsync("rp0"))!;
        var committed = await system.Feed.Store.ApplyAsync(new MatchChange { State = current with { Status = MatchStatus.Final, Clock = current.Clock with { Running = false } } });
        await system.Redis.KillAsync();
        await publisher.PublishAsync(committed, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var pending = publisher.PendingCount;
        Assert.All(fans.Fans, f => Assert.Equal(committed.Seq - 1, f.Track("rp0")?.Seq));

        var restartedAt = Stopwatch.GetTimestamp();
        await system.Redis.RestartAsync();
        // The final whistle reaches every fan either as the queued update itself or, once ingest has moved the match to
        // a new epoch (the rewind rule: Redis is another process now), as the new epoch's first update, which carries
        // the same state. Either way: every fan ends on Redis's position, and Redis holds the final whistle.
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Track("rp0") is { } t && (t.Seq == committed.Seq || t.Epoch != committed.Epoch)),
            TimeSpan.FromSeconds(60), "the final whistle to reach every fan");
        var delivered = Stopwatch.GetElapsedTime(restartedAt);
        await FanPool.WaitAsync(() => publisher.PendingCount == 0, TimeSpan.FromSeconds(30), "ingest's publish queue to drain");
        await Wait.UntilAsync(async () => await system.Feed.Store.IncarnationAsync() is var (runId, checkedOn) && runId == checkedOn,
            TimeSpan.FromSeconds(30), "ingest to check every match against the restarted Redis");
        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Track("rp0") is { } t && (t.Epoch, t.Seq) == final["rp0"]),
            TimeSpan.FromSeconds(30), "every fan to reach Redis's position");
        output.WriteLine($"update rp0#{committed.Seq} queued while Redis was down ({pending} pending); the final whistle reached all {fans.Fans.Count} fans {delivered.TotalSeconds:F1} s after the restart, pushed: {fans.Fans.Sum(f => f.Pushed)}, recovered: {fans.Fans.Sum(f => f.Recovered)}, re-snapshots: {fans.Fans.Sum(f => f.Resnapshots)}");

        Assert.Equal(1, pending);
        Assert.Equal(MatchStatus.Final, (await system.Feed.Store.GetAsync("rp0"))!.Status);
        Assert.All(fans.Fans, f => Assert.Equal(0, f.Gaps));
        FanReport.Check(fans.Fans, _ => ids, final).AssertNothingLost();
    }

    // What made the test above time out in full runs: a fan whose Subscribe ran while Redis had not yet re-created one of
    // its matches was told "unknown match" and dropped from that topic, so it never got the match's new epoch.
    [Fact]
    public async Task A_match_Redis_lost_stays_subscribed_and_its_new_epoch_reaches_the_fan()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 1);
        var created = await system.Feed.CreateMatchAsync("lost0");
        await using var client = await TestClient.ConnectAsync(system.Hubs[0].HubUrl);
        var first = await client.SubscribeAsync(["match:lost0"]);
        Assert.Empty(first.Rejected);

        // Redis loses the match (as after a restart without data); the client subscribes again meanwhile.
        var redis = system.Feed.Service<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        await redis.KeyDeleteAsync([system.Feed.Keys.Match("lost0"), system.Feed.Keys.History("lost0")]);
        var again = await client.SubscribeAsync(["match:lost0"], client.Positions());
        Assert.Empty(again.Rejected);
        Assert.Empty(again.Matches);

        var recreated = await system.Feed.CreateMatchAsync("lost0");
        Assert.NotEqual(created.Epoch, recreated.Epoch);
        await Wait.UntilAsync(() => client.Received.Any(u => u.MatchId == "lost0" && u.Epoch == recreated.Epoch), TimeSpan.FromSeconds(15),
            "the re-created match's update");

        // A match the connection did not hold before is still refused.
        var unknown = await client.SubscribeAsync(["match:never-was"]);
        Assert.Equal("unknown match", Assert.Single(unknown.Rejected).Reason);
    }

    /// <summary>A real ingest process playing the simulator beside the test's feed: it must ride out the outage.</summary>
    private static async Task<AppProcess> StartSimulatorAsync(ChaosSystem system)
    {
        var settings = system.Settings;
        settings["Ingest:Simulator:Matches"] = "4";
        settings["Ingest:Simulator:UpdatesPerSecond"] = "10";
        settings["Ingest:Simulator:TimeScale"] = "5";
        settings["Ingest:Simulator:StartInPlay"] = "1";
        settings["Ingest:Simulator:Seed"] = "11";
        var ingest = await AppProcess.StartAsync("ScoreFeed.Ingest", settings);
        system.Track(ingest);
        return ingest;
    }
}
