using ScoreFeed.Contract;
using ScoreFeed.EndToEndTests.Infrastructure;
using ScoreFeed.Scoring;

namespace ScoreFeed.EndToEndTests;

/// <summary>Tennis through the store, both hubs and recovery, which carry it as they carry every sport.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TennisTests(ScoreFeedCluster cluster)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string NewMatchId() => "tennis-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Points in order: love game to home, a deuce game to away, then a long game with advantages.</summary>
    private static readonly string Points = "hhhh" + "hahahaaa" + "hahahahahahahh";

    private async Task<List<MatchUpdate>> PlayAsync(string matchId, string points)
    {
        var updates = new List<MatchUpdate>();
        foreach (var point in points)
        {
            updates.Add(await cluster.Publisher.PointAsync(matchId, point == 'h' ? TeamSides.Home : TeamSides.Away));
        }
        return updates;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tennis_match_reaches_fans_on_both_hubs_and_a_resume_recovers_every_missed_point_once(bool messagePack)
    {
        var matchId = NewMatchId();
        var created = await cluster.Publisher.CreateTennisMatchAsync(matchId, bestOf: 5);
        await using var staying = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack);
        var leaving = await TestClient.ConnectAsync(cluster.HubA.HubUrl, messagePack);
        var first = await leaving.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        await staying.SubscribeAsync([Topic.ForMatch(matchId).Name]);
        Assert.Equal(created.Tennis, Assert.Single(first.Matches).Tennis);

        var before = await PlayAsync(matchId, Points);
        await Wait.UntilAsync(() => leaving.State(matchId)?.Seq == before[^1].Seq, Patience, "the points before the disconnect");
        var positions = leaving.Positions();
        await leaving.DisposeAsync();

        // While the fan is away: home takes the first set 6–1, then the second set starts.
        var away = await PlayAsync(matchId, string.Concat(Enumerable.Repeat("hhhh", 4)) + "aaaa" + "hhhh" + "ah");
        await using var back = await TestClient.ConnectAsync(cluster.HubB.HubUrl, messagePack);
        var resumed = await back.SubscribeAsync([Topic.ForMatch(matchId).Name], positions);
        var after = await PlayAsync(matchId, "hh");

        Assert.Empty(resumed.Matches);
        Assert.Equal(away.Select(u => u.Seq), resumed.Recovered.Select(u => u.Seq));
        Assert.Equal(away.Select(u => u.State.Tennis), resumed.Recovered.Select(u => u.State.Tennis));
        await Wait.UntilAsync(() => back.State(matchId)?.Seq == after[^1].Seq, Patience, "live points after resuming");
        await Wait.UntilAsync(() => staying.State(matchId)?.Seq == after[^1].Seq, Patience, "every point on the fan who stayed");
        Assert.Equal(0, back.Tracker.Gaps);
        Assert.Equal(0, staying.Tracker.Gaps);
        // 0 lost, 0 applied twice: every seq after the position exactly once, in order.
        var from = positions[matchId].Seq;
        Assert.Equal(Enumerable.Range(1, away.Count + after.Count).Select(i => from + i), back.Applied(matchId));
        var final = back.State(matchId)!;
        Assert.Equal(after[^1].State.Tennis, final.Tennis);
        Assert.Equal((final.Seq, final.Tennis), (staying.State(matchId)!.Seq, staying.State(matchId)!.Tennis));
        Assert.Equal((1, 0, 2), (final.Home.Score, final.Away.Score, final.Period));
        Assert.Equal(new SetScore { Home = 6, Away = 1 }, final.Tennis!.Sets[0]);
        Assert.Equal(TennisScoring.SetsWon(final.Tennis), new ScorePair(final.Home.Score, final.Away.Score));
    }

    [Fact]
    public async Task The_simulator_plays_tennis_that_fans_see_with_sets_won_as_the_score()
    {
        await using var fan = await TestClient.ConnectAsync(cluster.HubA.HubUrl);
        var result = await fan.SubscribeAsync(["competition:sim-tour", "competition:sim-slam"]);

        Assert.Empty(result.Rejected);
        Assert.NotEmpty(result.Matches);
        Assert.All(result.Matches, m =>
        {
            Assert.Equal(Sports.Tennis, m.Sport);
            Assert.Contains(m.Tennis!.BestOf, new[] { 3, 5 });
            Assert.Equal(TennisScoring.SetsWon(m.Tennis), new ScorePair(m.Home.Score, m.Away.Score));
            Assert.Null(m.Lines);
        });
        await Wait.UntilAsync(() => fan.Received.Any(u => u.State.Sport == Sports.Tennis), Patience, "a point of a simulated tennis match");
        var update = fan.Received.First(u => u.State.Sport == Sports.Tennis);
        Assert.NotNull(update.State.Tennis);
        Assert.Equal(0, fan.Tracker.Gaps);
    }
}
