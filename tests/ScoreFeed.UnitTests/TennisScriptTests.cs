using ScoreFeed.Contract;
using ScoreFeed.Ingest.Simulator;
using ScoreFeed.Scoring;
using static ScoreFeed.UnitTests.GameScriptTests;

namespace ScoreFeed.UnitTests;

/// <summary>The simulator's tennis (<see cref="TennisScript"/>): one point per change, as <see cref="TennisScoring"/> scores it.</summary>
public sealed class TennisScriptTests
{
    private static MatchState ScheduledTennis(string competitionId) => Scheduled(Sports.Tennis) with
    {
        CompetitionId = competitionId,
        Tennis = TennisScoring.Start(SimCompetition.All.Single(c => c.Id == competitionId).BestOf, TeamSides.Home),
    };

    [Theory]
    [InlineData("sim-tour", 1)]
    [InlineData("sim-tour", 2)]
    [InlineData("sim-slam", 3)]
    public void A_tennis_match_is_played_point_by_point_until_a_side_wins_enough_sets(string competitionId, int seed)
    {
        var states = PlayOut(ScheduledTennis(competitionId), seed, stepMs: 10_000);

        var final = states[^1];
        Assert.Equal(MatchStatus.Final, final.Status);
        var score = final.Tennis!;
        var needed = score.BestOf / 2 + 1;
        Assert.True(score.Retired is not null || Math.Max(final.Home.Score, final.Away.Score) == needed);
        Assert.True(score.Retired is not null || TennisScoring.MatchWinner(score) is not null);
        foreach (var (before, after) in states.Skip(1).Zip(states.Skip(2)))
        {
            // Each change is exactly one point: the points, games or sets of one side move on.
            Assert.Equal(TennisScoring.SetsWon(after.Tennis!), new ScorePair(after.Home.Score, after.Away.Score));
            Assert.Equal(after.Tennis!.Sets.Count, after.Period);
            if (after.Status == MatchStatus.Live)
            {
                Assert.True(after.Clock.Seconds - before.Clock.Seconds >= TennisScript.PointSeconds);
            }
        }
        var setEnds = final.Incidents!.Where(i => i.Type == IncidentTypes.PeriodEnd).Select(i => i.Period).ToList();
        Assert.Equal(Enumerable.Range(1, setEnds.Count), setEnds);
        Assert.Equal(final.Home.Score + final.Away.Score, setEnds.Count);
    }

    [Fact]
    public void A_point_takes_its_time_and_the_next_change_is_due_then()
    {
        var live = GameScript.Step(ScheduledTennis("sim-tour"), new Random(1), Start + 60_000, 1)!.State;
        var due = GameScript.NextChangeAt(live, 1);

        Assert.Equal(live.Clock.At + TennisScript.PointSeconds * 1000, due);
        Assert.Null(GameScript.Step(live, new Random(1), due - 1000, 1));
        var point = GameScript.Step(live, new Random(1), due, 1)!.State;
        Assert.Equal(1, point.Tennis!.Points.Home + point.Tennis.Points.Away);
        Assert.Equal(live.Clock.At + TennisScript.PointSeconds * 100, GameScript.NextChangeAt(live, 10));
    }

    [Fact]
    public void Now_and_then_a_player_retires_and_the_match_ends_with_a_retirement()
    {
        var retired = 0;
        for (var seed = 0; seed < 150; seed++)
        {
            var final = PlayOut(ScheduledTennis("sim-tour"), seed, stepMs: 40_000)[^1];
            if (final.Tennis!.Retired is { } side)
            {
                retired++;
                Assert.Equal(MatchStatus.Final, final.Status);
                var last = final.Incidents![^1];
                Assert.Equal((IncidentTypes.Retirement, side), (last.Type, last.Team));
            }
        }
        Assert.InRange(retired, 1, 30);
    }

    [Fact]
    public void Tennis_matches_joined_in_play_are_consistent_and_scheduled_ones_know_best_of()
    {
        var rng = new Random(3);
        foreach (var competition in SimCompetition.All.Where(c => c.Sport == Sports.Tennis))
        {
            var scheduled = GameScript.NewMatch("m0", competition, rng, Start, inPlay: false, timeScale: 1);
            Assert.Equal((competition.BestOf, 0), (scheduled.Tennis!.BestOf, scheduled.Period));
            Assert.Null(scheduled.Lines);
            for (var i = 0; i < 50; i++)
            {
                var match = GameScript.NewMatch($"m{i}", competition, rng, Start, inPlay: true, timeScale: 1);
                Assert.Null(TennisScoring.MatchWinner(match.Tennis!));
                Assert.Equal(match.Tennis!.Sets.Count, match.Period);
                Assert.Equal(TennisScoring.SetsWon(match.Tennis), new ScorePair(match.Home.Score, match.Away.Score));
                Assert.Equal(Start - match.Clock.Seconds * 1000L, match.StartsAt);
            }
        }
    }
}
