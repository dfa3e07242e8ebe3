using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;

namespace ScoreFeed.EndToEndTests;

/// <summary>The chaos rule for tables: a fan resuming <c>standings:{id}</c> on the other hub loses none and applies none twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class StandingsRecoveryTests(ScoreFeedCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_fan_resuming_standings_on_the_other_hub_gets_every_update_once_in_order()
    {
        var competition = "rec-" + Guid.NewGuid().ToString("N")[..8];
        var topic = Topic.ForStandings(competition).Name;
        var table = StandingsDocument.IdFor(competition);
        string[] matches = ["r1-" + Guid.NewGuid().ToString("N")[..8], "r2-" + Guid.NewGuid().ToString("N")[..8]];
        foreach (var id in matches)
        {
            await cluster.Publisher.CreateMatchAsync(id, competition);
        }
        await using var observer = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        await observer.SubscribeAsync([topic]);
        var leaving = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        await leaving.SubscribeAsync([topic]);

        // Every goal moves the table: one standings update each.
        await GoalsAsync(matches, 6);
        await Wait.UntilAsync(() => leaving.State(table)?.Seq == observer.State(table)?.Seq && observer.Applied(table).Count >= 6, Patience, "updates before the disconnect");
        await leaving.DisposeAsync();
        var positions = leaving.Positions();
        var at = positions[table].Seq;

        // The table moves on while the fan is away (and pure clock ticks do not move it).
        await GoalsAsync(matches, 10);
        await cluster.Publisher.TickAsync(matches[0]);
        await Wait.UntilAsync(() => observer.State(table)?.Seq >= at + 10, Patience, "updates while away");
        await using var back = await TestClient.ConnectAsync(cluster.HubB.HubUrl);
        var result = await back.SubscribeAsync([topic], positions);

        Assert.Empty(result.Rejected);
        Assert.DoesNotContain(result.Matches, m => m.MatchId == table);
        var recovered = result.Recovered.Where(u => u.MatchId == table).Select(u => u.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, recovered.Count).Select(i => at + i), recovered);
        Assert.Equal(observer.State(table)!.Table!.Rows, back.State(table)!.Table!.Rows);

        // Live updates follow without a gap or a double application.
        await GoalsAsync(matches, 4);
        var head = (await cluster.Publisher.Store.GetAsync(table))!.Seq;
        await Wait.UntilAsync(() => back.State(table)?.Seq == head, Patience, $"the resumed fan to reach seq {head}");
        Assert.Equal(0, back.Tracker.Gaps);
        // Recovered, then live: every seq after the position applied exactly once, in order.
        Assert.Equal(Enumerable.Range(1, (int)(head - at)).Select(i => at + i), back.Applied(table));
    }

    private async Task GoalsAsync(string[] matches, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await cluster.Publisher.GoalAsync(matches[i % matches.Length], i % 3 == 0 ? TeamSides.Away : TeamSides.Home, "Scorer");
        }
    }
}
