using System.Diagnostics;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Faults 1 and 5 of the chaos issue: a hub dies (kill -9) under thousands of fans, which all reconnect at once to the
/// survivors; and a hub stopped gracefully (SIGTERM) hands its fans over the same way. Nothing may be lost, applied
/// twice or applied out of order, checked per fan and match by seq.
/// </summary>
public sealed class HubFailureTests(ITestOutputHelper output)
{
    private const string Prefix = "hk";

    [Fact]
    public async Task A_hub_killed_under_2000_fans_loses_nothing_and_the_survivors_take_the_reconnect_storm()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 3, hubSettings: new()
        {
            // The storm waits in line at this rate instead of arriving all at once.
            ["Hub:ConnectionLimits:PerSecond"] = "100",
        });
        var ids = await system.CreateMatchesAsync(Prefix, 6);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(2000, i => Topics.Mix(i, ids, Prefix), TimeSpan.FromSeconds(90));
        await using var player = system.Play(ids, perSecond: 30, id => ChaosSystem.CompetitionOf(Prefix, Array.IndexOf(ids, id), ids.Length));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var victim = system.Hubs[0];
        var orphans = fans.Fans.Where(f => f.Hub == 0).ToArray();
        var killedAt = Stopwatch.GetTimestamp();
        victim.Kill();
        await FanPool.WaitAsync(() => orphans.All(f => f.Subscribed && f.Hub != 0 && f.SubscribedAtTicks > killedAt), TimeSpan.FromSeconds(90),
            $"the {orphans.Length} fans of the killed hub to resume on a survivor");
        var recovered = Stopwatch.GetElapsedTime(killedAt);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        var caughtUp = Stopwatch.StartNew();
        await FanPool.WaitAsync(() => CaughtUp(fans, ids, Prefix, final), TimeSpan.FromSeconds(60), "every fan to reach the final seq of its matches");
        var report = FanReport.Check(fans.Fans, f => Topics.Covered(f.Topics, ids, Prefix), final);
        var admitted = await Task.WhenAll(system.Hubs.Skip(1).Select(system.MetricsAsync));
        output.WriteLine($"hub killed (kill -9) under {fans.Fans.Count} fans; {orphans.Length} of them on it; {player.Applied} updates published ({final.Values.Sum(p => p.Seq)} seqs in all)");
        output.WriteLine($"all {orphans.Length} resumed on the two survivors {recovered.TotalSeconds:F1} s after the kill; every fan at the final seq {caughtUp.Elapsed.TotalSeconds:F1} s after publishing stopped");
        output.WriteLine($"survivors' admission: {admitted.Sum(m => Prometheus.Sum(m, "scorefeed_hub_connections_queued_total"))} connections waited in line, " +
            $"{admitted.Sum(m => Prometheus.Sum(m, "scorefeed_hub_connections_limited_total"))} turned away; connection failures seen by fans: {Describe(fans.ConnectFailures)}");
        output.WriteLine(report.ToString());

        report.AssertNothingLost();
        Assert.Equal(0, fans.Fans.Sum(f => f.SubscribeErrors));
        Assert.All(orphans, f => Assert.NotEqual(0, f.Hub));
        Assert.Equal(0, report.Resnapshots);
    }

    [Fact]
    public async Task A_hub_stopped_with_SIGTERM_closes_its_fans_who_resume_on_another_hub_with_nothing_lost()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2);
        var ids = await system.CreateMatchesAsync("st", 4);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(300, i => Topics.Mix(i, ids, "st"), TimeSpan.FromSeconds(60));
        await using var player = system.Play(ids, perSecond: 30, id => ChaosSystem.CompetitionOf("st", Array.IndexOf(ids, id), ids.Length));
        await Task.Delay(TimeSpan.FromSeconds(2));

        var leaving = system.Hubs[0];
        var orphans = fans.Fans.Where(f => f.Hub == 0).ToArray();
        var stoppedAt = Stopwatch.GetTimestamp();
        leaving.Terminate();
        var exitCode = await leaving.WaitForExitAsync(TimeSpan.FromSeconds(40));
        var exited = Stopwatch.GetElapsedTime(stoppedAt);
        await FanPool.WaitAsync(() => orphans.All(f => f.Subscribed && f.Hub == 1), TimeSpan.FromSeconds(60), "the fans to move to the other hub");
        var moved = Stopwatch.GetElapsedTime(stoppedAt);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await player.StopAsync();

        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => CaughtUp(fans, ids, "st", final), TimeSpan.FromSeconds(60), "every fan to reach the final seq");
        var report = FanReport.Check(fans.Fans, f => Topics.Covered(f.Topics, ids, "st"), final);
        output.WriteLine($"SIGTERM: the hub exited with {exitCode} after {exited.TotalSeconds:F1} s; its {orphans.Length} fans resumed on the other hub {moved.TotalSeconds:F1} s after the signal");
        output.WriteLine($"close messages: {Describe(fans.CloseReasons)}");
        output.WriteLine(report.ToString());

        Assert.Equal(0, exitCode);
        report.AssertNothingLost();
    }

    internal static bool CaughtUp(FanPool fans, string[] ids, string prefix, IReadOnlyDictionary<string, (string Epoch, long Seq)> final) =>
        fans.Fans.All(f =>
        {
            var tracks = f.Tracks();
            return Topics.Covered(f.Topics, ids, prefix).All(id => tracks.TryGetValue(id, out var t) && t.Epoch == final[id].Epoch && t.Seq >= final[id].Seq);
        });

    internal static string Describe<TKey>(System.Collections.Concurrent.ConcurrentDictionary<TKey, int> counts) where TKey : notnull =>
        counts.IsEmpty ? "none" : string.Join(", ", counts.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}: {kv.Value}"));
}
