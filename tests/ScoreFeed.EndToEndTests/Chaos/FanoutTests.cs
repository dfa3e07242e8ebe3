using Xunit.Abstractions;

namespace ScoreFeed.EndToEndTests.Chaos;

/// <summary>The hub's fan-out writes an update once to a connection, however many of its topics the update goes to.</summary>
public sealed class FanoutTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_connection_holding_live_its_competition_and_the_match_gets_each_update_once()
    {
        await using var system = await ChaosSystem.StartAsync(hubs: 2);
        var ids = await system.CreateMatchesAsync("fo", 1);
        await using var fans = new FanPool(system.HubUrls);
        await fans.StartAsync(20, _ => ["live", "competition:foa", "match:fo0"], TimeSpan.FromSeconds(30));
        var before = fans.Fans.Select(f => (f.Pushed, f.Duplicates)).ToArray();

        const int Updates = 30;
        for (var i = 0; i < Updates; i++)
        {
            await system.Feed.TickAsync("fo0");
        }
        var final = await system.PositionsAsync(ids);
        await FanPool.WaitAsync(() => fans.Fans.All(f => f.Tracks()["fo0"].Seq == final["fo0"].Seq), TimeSpan.FromSeconds(30), "every fan to reach the last update");
        var report = FanReport.Check(fans.Fans, _ => ids, final);
        output.WriteLine(report.ToString());

        report.AssertNothingLost();
        Assert.All(fans.Fans.Select((f, i) => (f, i)), x => Assert.Equal(before[x.i].Pushed + Updates, x.f.Pushed));
        Assert.All(fans.Fans.Select((f, i) => (f, i)), x => Assert.Equal(before[x.i].Duplicates, x.f.Duplicates));
    }
}
