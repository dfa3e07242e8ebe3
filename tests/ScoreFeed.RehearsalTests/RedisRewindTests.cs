using System.Diagnostics;
using ScoreFeed.Contract;
using Xunit.Abstractions;

namespace ScoreFeed.RehearsalTests;

/// <summary>
/// Redis comes back older than what fans hold, under 300 raw WebSocket fans through nginx while the simulator plays:
/// a snapshot of the master (SAVE), ~4 s more play, then the replica stopped, the master killed (<c>kill -9</c>) and
/// started again from the snapshot, then the replica (which resyncs from it). Every match moves to a new epoch and
/// every fan ends on Redis's (epoch, seq): no fan keeps a state from the lost seconds.
/// </summary>
/// <remarks>
/// With <c>appendonly yes</c> Redis 7 loads the append-only directory, never dump.rdb; and without an appendonlydir it
/// starts empty (checked on 7.0.15), it does not fall back to dump.rdb. So the master's appendonlydir is replaced by
/// one whose base file is the snapshot (an RDB is a valid AOF base: <c>appendonly.aof.1.base.rdb</c> with a manifest
/// naming it), and Redis starts as rehearse.sh configured it, AOF on. The replica is stopped first, else Sentinel
/// would promote it (it holds the newer data) instead of letting the master come back older.
/// </remarks>
[Collection(RehearsalCollection.Name)]
public sealed class RedisRewindTests(Rehearsal rehearsal, ITestOutputHelper output)
{
    private const int FanCount = 300;

    [Fact]
    public async Task Redis_back_from_a_snapshot_4_s_older_than_what_300_fans_hold_moves_every_match_to_a_new_epoch()
    {
        output.WriteLine($"Redis before the test: {await rehearsal.RestoreRedisAsync()}");
        try
        {
            await RunAsync();
        }
        finally
        {
            output.WriteLine($"Redis after the test: {await rehearsal.RestoreRedisAsync()}");
        }
    }

    private async Task RunAsync()
    {
        using var http = rehearsal.CreateHttpClient();
        using var invoker = new HttpMessageInvoker(rehearsal.CreateHandler());
        await using var fans = new FanPool([new Uri(rehearsal.PublicBaseUrl, "/hubs/scores")]) { Invoker = invoker };
        await fans.StartAsync(FanCount, _ => [Topic.LiveName], TimeSpan.FromSeconds(60));
        // The simulator must be playing, else the snapshot is not older than anything.
        var idle = await rehearsal.WaitPlayingAsync();

        var master = await rehearsal.MasterAsync();
        var replica = Rehearsal.OtherRedis(master);
        var dir = rehearsal.RedisDataDirectory(master);
        Assert.Equal("OK", await rehearsal.RedisCliAsync(master, "SAVE"));
        var atSnapshot = await rehearsal.PositionsAsync(http);
        var snapshotAt = Stopwatch.GetTimestamp();
        var snapshot = Path.Combine(rehearsal.WorkDirectory, "redis", "rewind-snapshot.rdb");
        File.Copy(Path.Combine(dir, "dump.rdb"), snapshot, overwrite: true);
        var reissuedBefore = await Rehearsal.ReissuedAsync();

        await Task.Delay(TimeSpan.FromSeconds(4)); // fans get what Redis is about to lose
        Dictionary<string, (string Epoch, long Seq, string Status)> published = [];
        await Rehearsal.WaitAsync(async () => (published = await rehearsal.PositionsAsync(http)).Any(p => atSnapshot.TryGetValue(p.Key, out var a) && p.Value.Seq > a.Seq),
            TimeSpan.FromSeconds(30), "the simulator to write after the snapshot");
        // The fans hold the lost seconds: wait until they have what was read (the simulator plays on meanwhile).
        await RehearsalFans.WaitReachedAsync(fans, published, TimeSpan.FromSeconds(30), output);

        Assert.Equal(0, await rehearsal.StopAsync(replica));
        var killedAt = Stopwatch.GetTimestamp();
        await rehearsal.KillAsync(master);
        var snapshotAge = Stopwatch.GetElapsedTime(snapshotAt);
        var aof = Path.Combine(dir, "appendonlydir");
        Directory.Delete(aof, recursive: true);
        File.Delete(Path.Combine(dir, "dump.rdb"));
        Directory.CreateDirectory(aof);
        File.Copy(snapshot, Path.Combine(aof, "appendonly.aof.1.base.rdb"));
        File.WriteAllText(Path.Combine(aof, "appendonly.aof.manifest"), "file appendonly.aof.1.base.rdb seq 1 type b\n");
        await rehearsal.ControlAsync("start", master);
        var restartedAt = Stopwatch.GetTimestamp();
        var down = Stopwatch.GetElapsedTime(killedAt);
        await rehearsal.ControlAsync("start", replica);
        Dictionary<string, (string Epoch, long Seq, string Status)> rewound = [];
        await Rehearsal.WaitAsync(async () => (rewound = await rehearsal.PositionsAsync(http)).Count > 0, TimeSpan.FromSeconds(30), "the read API to answer again");

        // Every match that Redis holds moves to a new epoch (the rewind rule), the quiet ones too.
        await Rehearsal.WaitAsync(async () =>
        {
            var now = await rehearsal.PositionsAsync(http);
            return published.Keys.All(id => !now.TryGetValue(id, out var p) || p.Epoch != published[id].Epoch);
        }, TimeSpan.FromSeconds(60), "every match to move to a new epoch");
        var moved = Stopwatch.GetElapsedTime(restartedAt);
        // Play on in the new epochs for a while, so the check covers updates applied one by one after the re-snapshot.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var positions = await rehearsal.PositionsAsync(http);
        await RehearsalFans.WaitReachedAsync(fans, positions, TimeSpan.FromSeconds(60), output);
        var converged = Stopwatch.GetElapsedTime(restartedAt);

        var report = RehearsalFans.Report(fans, positions);
        var reissued = await Rehearsal.ReissuedAsync() - reissuedBefore;
        var oldEpochs = published.Values.Select(p => p.Epoch).ToHashSet(StringComparer.Ordinal);
        var keptLost = fans.Fans.Sum(f => RehearsalFans.Held(f, positions).Count(id => oldEpochs.Contains(f.Tracks()[id].Epoch)));
        var live = published.Keys.Where(id => RehearsalFans.InPlay(published[id].Status) && atSnapshot.ContainsKey(id)).ToList();
        output.WriteLine($"simulator seen playing within {idle.TotalSeconds:F1} s");
        output.WriteLine($"{master} snapshot (SAVE) {snapshotAge.TotalSeconds:F1} s old when it was killed with -9 and started again from it (AOF base); " +
            $"{replica} stopped first and started after it (the master down {down.TotalSeconds:F1} s)");
        output.WriteLine($"live matches, seq published → seq Redis answered after the restart (the snapshot's, or already seq 1+ of a new epoch): {string.Join(", ", live.Take(6).Select(id => $"{id} #{published[id].Seq} → #{(rewound.TryGetValue(id, out var r) ? r.Seq : 0)}"))}{(live.Count > 6 ? ", …" : "")}");
        output.WriteLine($"every match ({published.Count}) on a new epoch {moved.TotalSeconds:F1} s after the master was up again; " +
            $"every fan on Redis's (epoch, seq) {converged.TotalSeconds:F1} s after it (4 s of play in the new epochs included); ingest's sweep re-issued {reissued} matches (the others moved at their next write); " +
            $"{keptLost} fan×match positions left on a rewound epoch; connection failures: {RehearsalFans.Failures(fans)}");
        output.WriteLine(report.ToString());

        Assert.True(live.Count > 0, "no match in play to rewind");
        Assert.True(live.Sum(id => published[id].Seq) > live.Sum(id => atSnapshot[id].Seq), "the snapshot should be older than what fans held");
        Assert.All(published.Keys.Where(positions.ContainsKey), id => Assert.NotEqual(published[id].Epoch, positions[id].Epoch));
        Assert.Equal(0, keptLost);
        // Not asserted on the re-issue count: a match the simulator writes moves to a new epoch at its next write
        // (the store's step sees another rid), before ingest's sweep gets to it; the sweep counts only the rest.
        report.AssertNothingLost();
    }
}
