using System.Diagnostics;
using ScoreFeed.Ingest.Simulator;
using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>
/// Fault 3 of the chaos issue: the ingest process that plays the feed dies (kill -9) mid-stream; the other ingest
/// process takes the lease over and carries on from the state in Redis. (HTTP providers' leases: see
/// <c>FeedAvailabilityTests</c>, which kills the process polling a vendor.)
/// </summary>
public sealed class IngestFailureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_ingest_playing_the_feed_is_killed_and_the_other_takes_its_lease_over_with_nothing_lost()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2);
        var settings = system.Settings;
        settings["Ingest:Simulator:Matches"] = "6";
        settings["Ingest:Simulator:UpdatesPerSecond"] = "30";
        settings["Ingest:Simulator:TimeScale"] = "5";
        settings["Ingest:Simulator:StartInPlay"] = "1";
        settings["Ingest:Simulator:Seed"] = "5";
        settings["Ingest:Feeds:LeaseTtl"] = "00:00:02";
        settings["Ingest:Feeds:LeaseRenewInterval"] = "00:00:00.400";
        var ingests = await Task.WhenAll(AppProcess.StartAsync("ScoreFeed.Ingest", settings), AppProcess.StartAsync("ScoreFeed.Ingest", settings));
        foreach (var ingest in ingests)
        {
            system.Track(ingest);
        }
        await using var fans = new FanPool(system.HubUrls);
        var redis = system.Feed.Service<StackExchange.Redis.IConnectionMultiplexer>().GetDatabase();
        var leaseKey = system.Feed.Keys.ProviderLease(MatchSimulator.LeaseName);
        await FanPool.WaitAsync(() => redis.StringGet(leaseKey).HasValue, TimeSpan.FromSeconds(20), "one ingest to take the simulator's lease");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await fans.StartAsync(400, _ => ["live"], TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var holderPid = int.Parse(((string)redis.StringGet(leaseKey)!).Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
        var holder = ingests.Single(i => i.Id == holderPid);
        var standby = ingests.Single(i => i != holder);
        var pushed = fans.Fans.Sum(f => Interlocked.Read(ref f.Pushed));
        var killedAt = Stopwatch.GetTimestamp();
        holder.Kill();
        await FanPool.WaitAsync(() => ((string?)redis.StringGet(leaseKey))?.Split('/')[1] == standby.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(20), "the standby to take the lease");
        var tookOver = Stopwatch.GetElapsedTime(killedAt);
        var pushedAtTakeover = fans.Fans.Sum(f => Interlocked.Read(ref f.Pushed));
        await FanPool.WaitAsync(() => fans.Fans.Sum(f => Interlocked.Read(ref f.Pushed)) > pushedAtTakeover + fans.Fans.Count, TimeSpan.FromSeconds(20), "updates from the new holder");
        var flowing = Stopwatch.GetElapsedTime(killedAt);
        await Task.Delay(TimeSpan.FromSeconds(3));
        standby.Terminate();
        Assert.Equal(0, await standby.WaitForExitAsync(TimeSpan.FromSeconds(30)));

        var followed = fans.Fans.SelectMany(f => f.Tracks().Keys).Distinct().ToArray();
        var final = await system.PositionsAsync(followed);
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks().All(t => t.Value.Seq >= final[t.Key].Seq)), TimeSpan.FromSeconds(30), "every fan to reach the final seq");
        var report = FanReport.Check(fans.Fans, f => f.Tracks().Keys, final);
        output.WriteLine($"ingest holding the simulator's lease killed (kill -9) with {fans.Fans.Count} fans on live ({followed.Length} matches); {pushed} updates pushed before");
        output.WriteLine($"the standby took the lease {tookOver.TotalSeconds:F1} s after the kill (TTL 2 s); updates flowed again {flowing.TotalSeconds:F1} s after it");
        output.WriteLine(report.ToString());

        report.AssertNothingLost();
        Assert.Equal(0, report.Resnapshots);
    }
}
