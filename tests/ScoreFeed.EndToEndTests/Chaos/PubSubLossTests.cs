using ScoreFeed.Contract;
using ScoreFeed.Ingest.Publishing;
using ScoreFeed.Redis;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Redis pub/sub delivers at most once: a hub whose subscription was down, or a message Redis dropped, must not cost a
/// fan an update. Here updates are committed to Redis and deliberately never published; the hubs must still bring them
/// to every fan, in order, without the fans seeing a gap: from the match's history when a later update skips ahead,
/// and from the hubs' periodic check when no later update comes (a final whistle).
/// </summary>
public sealed class PubSubLossTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Updates_pub_sub_never_delivered_reach_every_fan_in_order_without_a_gap()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2, hubSettings: new() { ["Hub:ReconcileInterval"] = "00:00:01" });
        var ids = await system.CreateMatchesAsync("pl", 1);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(40, i => i % 4 < 2 ? ["match:pl0"] : ["live"], TimeSpan.FromSeconds(30));
        var publisher = system.Feed.Service<MatchPublisher>();
        var store = system.Feed.Store;

        // 1. Committed, not published; the next one is published: the hubs fill the gap before delivering it.
        var current = (await store.GetAsync("pl0"))!;
        var skipped = await store.ApplyAsync(new MatchChange { State = current with { Home = current.Home with { Score = current.Home.Score + 1 } } });
        var published = await store.ApplyAsync(new MatchChange { State = skipped.Update!.State with { Away = skipped.Update.State.Away with { Score = current.Away.Score + 1 } } });
        await publisher.PublishAsync(published, CancellationToken.None);
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks()["pl0"].Seq == published.Seq), TimeSpan.FromSeconds(30), "every fan to reach the published update");

        // 2. The match's last update, committed and never published: the hubs' check against Redis sends it.
        var final = await store.ApplyAsync(new MatchChange { State = published.Update!.State with { Status = MatchStatus.Final, Clock = published.Update.State.Clock with { Running = false } } });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks()["pl0"].Seq == final.Seq), TimeSpan.FromSeconds(30), "every fan to get the unpublished final update");
        var report = FanReport.Check(fans.Fans, _ => ids, await system.PositionsAsync(ids));
        var filled = 0.0;
        foreach (var hub in system.Hubs)
        {
            filled += Prometheus.Sum(await system.MetricsAsync(hub), "scorefeed_hub_fanout_filled_total");
        }
        output.WriteLine($"{fans.Fans.Count} fans on 2 hubs: the skipped update #{skipped.Seq} came before #{published.Seq}; the unpublished final #{final.Seq} reached all {watch.Elapsed.TotalSeconds:F1} s after its commit (check every 1 s); hubs filled {filled} update(s)");
        output.WriteLine(report.ToString());

        report.AssertNothingLost();
        Assert.All(fans.Fans, f => Assert.Equal(0, f.Gaps));
        Assert.All(fans.Fans, f => Assert.Equal(0, f.Recovered));
        // On each hub at least the skipped update and the final one (more if a periodic check ran before #3 arrived).
        Assert.True(filled >= 4, $"hubs filled {filled} update(s)");
    }

    /// <summary>
    /// A match the hubs never had an update of (written while they were down, or before they started): its fans
    /// subscribed and got its snapshot; its next update is committed and never published, and no later one comes. The
    /// hubs' check against Redis must still bring it: they know the match from the Subscribe.
    /// </summary>
    [Fact]
    public async Task The_lost_update_of_a_match_the_hubs_never_had_an_update_of_reaches_its_fans()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2, hubSettings: new() { ["Hub:ReconcileInterval"] = "00:00:01" });
        var store = system.Feed.Store;
        // Written without a word on the updates channel: the hubs never see this match's updates.
        var created = await system.Feed.CreateMatchAsync("pq0", "pqa", publish: false);
        var quiet = await store.ApplyAsync(new MatchChange { State = created with { Home = created.Home with { Score = 1 } } });
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(20, i => i % 2 == 0 ? ["match:pq0"] : ["competition:pqa"], TimeSpan.FromSeconds(30));
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks()["pq0"].Seq == quiet.Seq), TimeSpan.FromSeconds(30), "every fan to hold the snapshot");

        var final = await store.ApplyAsync(new MatchChange { State = quiet.Update!.State with { Status = MatchStatus.Final, Clock = quiet.Update.State.Clock with { Running = false } } });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reached = await FanPool.TryWaitAsync(() => fans.Fans.All(f => f.Tracks()["pq0"].Seq == final.Seq), TimeSpan.FromSeconds(15));
        output.WriteLine(reached
            ? $"{fans.Fans.Count} fans on 2 hubs: the unpublished final #{final.Seq} of a match the hubs had no update of reached all {watch.Elapsed.TotalSeconds:F1} s after its commit (check every 1 s)"
            : $"after 15 s, {fans.Fans.Count(f => f.Tracks()["pq0"].Seq == final.Seq)} of {fans.Fans.Count} fans had the unpublished final #{final.Seq}");

        Assert.True(reached, "the final update of a match the hubs never had an update of did not reach every fan");
        FanReport.Check(fans.Fans, _ => ["pq0"], await system.PositionsAsync(["pq0"])).AssertNothingLost();
    }
}
