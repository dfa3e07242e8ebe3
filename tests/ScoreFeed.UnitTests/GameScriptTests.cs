using ScoreFeed.Contract;
using ScoreFeed.Ingest.Simulator;

namespace ScoreFeed.UnitTests;

public sealed class GameScriptTests
{
    internal const long Start = 1_800_000_000_000;

    /// <summary>Steps a match every <paramref name="stepMs"/> of wall time until it is final; returns every state seen.</summary>
    internal static List<MatchState> PlayOut(MatchState match, int seed, int stepMs, double timeScale = 1)
    {
        var rng = new Random(seed);
        var states = new List<MatchState> { match };
        var now = Start;
        for (var i = 0; i < 200_000 && match.Status != MatchStatus.Final; i++)
        {
            now += stepMs;
            var change = GameScript.Step(match, rng, now, timeScale);
            if (change is not null)
            {
                Assert.Null(change.ExpectedSeq);
                match = change.State;
                states.Add(match);
            }
        }
        return states;
    }

    internal static MatchState Scheduled(string sport) =>
        GameScript.NewMatch("m1", SimCompetition.All.First(c => c.Sport == sport), new Random(1), Start, inPlay: false, timeScale: 1) with
        {
            Status = MatchStatus.Scheduled,
            StartsAt = Start + 60_000,
        };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_football_match_goes_through_both_halves_and_half_time_to_final(int seed)
    {
        var states = PlayOut(Scheduled(Sports.Football), seed, stepMs: 5_000);

        var phases = states.Select(s => (s.Status, s.Period)).Distinct().ToList();
        Assert.Equal([(MatchStatus.Scheduled, 0), (MatchStatus.Live, 1), (MatchStatus.Paused, 1), (MatchStatus.Live, 2), (MatchStatus.Final, 2)], phases);
        var final = states[^1];
        Assert.False(final.Clock.Running);
        Assert.InRange(final.Clock.Seconds, 90 * 60, 97 * 60);
        Assert.Equal(final.Home.Score + final.Away.Score, final.Incidents!.Count(i => i.Type is IncidentTypes.Goal or IncidentTypes.OwnGoal or IncidentTypes.PenaltyGoal));
        Assert.Equal(final.Incidents!.Count, final.Incidents.Select(i => i.Id).Distinct().Count());
        Assert.Contains(final.Incidents!, i => i.Type == IncidentTypes.PeriodEnd && i.Period == 2);
        // Scores never go down and the clock never goes back within a period.
        for (var i = 1; i < states.Count; i++)
        {
            Assert.True(states[i].Home.Score >= states[i - 1].Home.Score && states[i].Away.Score >= states[i - 1].Away.Score);
            if (states[i].Period == states[i - 1].Period)
            {
                Assert.True(states[i].Clock.Seconds >= states[i - 1].Clock.Seconds);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_basketball_game_plays_four_counting_down_quarters_and_overtime_until_not_tied(int seed)
    {
        var states = PlayOut(Scheduled(Sports.Basketball), seed, stepMs: 3_000);

        var final = states[^1];
        Assert.Equal(MatchStatus.Final, final.Status);
        Assert.True(final.Period >= 4);
        Assert.NotEqual(final.Home.Score, final.Away.Score);
        Assert.InRange(final.Home.Score, 60, 160);
        Assert.Equal(Enumerable.Range(1, final.Period), states.Where(s => s.Status == MatchStatus.Live).Select(s => s.Period).Distinct());
        var quarterOne = states.Where(s => s.Status == MatchStatus.Live && s.Period == 1).Select(s => s.Clock.Seconds).ToList();
        Assert.Equal(GameScript.BasketballQuarter, quarterOne[0]);
        Assert.Equal(quarterOne.OrderDescending(), quarterOne);
    }

    [Fact]
    public void Nothing_changes_before_kick_off_or_after_the_final_whistle()
    {
        var scheduled = Scheduled(Sports.Football);
        Assert.Null(GameScript.Step(scheduled, new Random(1), scheduled.StartsAt - 1, 1));
        Assert.Null(GameScript.Step(scheduled with { Status = MatchStatus.Final }, new Random(1), scheduled.StartsAt + 10_000_000, 1));
        Assert.Null(GameScript.Step(scheduled with { Status = MatchStatus.Postponed }, new Random(1), scheduled.StartsAt + 10_000_000, 1));
        var kickOff = GameScript.Step(scheduled, new Random(1), scheduled.StartsAt, 1)!;
        Assert.Equal(MatchStatus.Live, kickOff.State.Status);
        Assert.Equal(IncidentTypes.PeriodStart, kickOff.Incident!.Type);
        Assert.Equal(new MatchClock { Running = true, Seconds = 0, At = scheduled.StartsAt }, kickOff.State.Clock);
    }

    [Fact]
    public void Matches_already_in_play_start_with_a_running_clock_and_two_different_teams()
    {
        var rng = new Random(5);
        foreach (var competition in SimCompetition.All)
        {
            for (var i = 0; i < 50; i++)
            {
                var match = GameScript.NewMatch($"m{i}", competition, rng, Start, inPlay: true, timeScale: 1);
                Assert.Equal(MatchStatus.Live, match.Status);
                Assert.True(match.Clock.Running);
                Assert.NotEqual(match.Home.Id, match.Away.Id);
                Assert.True(match.StartsAt <= Start);
                Assert.True(Ids.IsValid(match.Home.Id) && Ids.IsValid(match.CompetitionId));
            }
        }
    }

    [Fact]
    public void A_faster_time_scale_finishes_a_match_sooner()
    {
        var realTime = PlayOut(Scheduled(Sports.Football), 4, stepMs: 5_000).Count;
        var tenTimes = PlayOut(Scheduled(Sports.Football), 4, stepMs: 5_000, timeScale: 10).Count;
        Assert.True(tenTimes * 5 < realTime, $"{tenTimes} steps at 10x vs {realTime} at 1x");
    }

    [Fact]
    public void The_next_possible_change_is_now_while_playing_kick_off_before_and_the_end_of_a_break_when_paused()
    {
        var scheduled = Scheduled(Sports.Football);
        var halfTime = scheduled with { Status = MatchStatus.Paused, Period = 1, Clock = new MatchClock { Seconds = 2700, At = Start } };
        var quarterBreak = Scheduled(Sports.Basketball) with { Status = MatchStatus.Paused, Period = 1, Clock = new MatchClock { At = Start } };

        Assert.Equal(scheduled.StartsAt, GameScript.NextChangeAt(scheduled, 1));
        Assert.Equal(0, GameScript.NextChangeAt(scheduled with { Status = MatchStatus.Live }, 1));
        Assert.Equal(Start + GameScript.FootballHalfTime * 1000, GameScript.NextChangeAt(halfTime, 1));
        Assert.Equal(Start + GameScript.FootballHalfTime * 100, GameScript.NextChangeAt(halfTime, 10));
        Assert.Equal(Start + GameScript.BasketballBreak * 1000, GameScript.NextChangeAt(quarterBreak, 1));
        Assert.Equal(long.MaxValue, GameScript.NextChangeAt(scheduled with { Status = MatchStatus.Final }, 1));
        // Consistent with Step: nothing changes just before that time, something does at it.
        Assert.Null(GameScript.Step(halfTime, new Random(1), Start + GameScript.FootballHalfTime * 1000 - 1000, 1));
        Assert.NotNull(GameScript.Step(halfTime, new Random(1), Start + GameScript.FootballHalfTime * 1000, 1));
    }

    [Theory]
    [InlineData(Sports.Football, 1)]
    [InlineData(Sports.Football, 2)]
    [InlineData(Sports.Basketball, 1)]
    [InlineData(Sports.Basketball, 2)]
    public void The_line_score_has_one_entry_per_period_started_and_adds_up_to_the_score(string sport, int seed)
    {
        var states = PlayOut(Scheduled(sport), seed, stepMs: sport == Sports.Football ? 10_000 : 3_000);

        Assert.All(states.Where(s => s.Status != MatchStatus.Scheduled), s =>
        {
            Assert.Equal(s.Period, s.Lines!.Periods.Count);
            Assert.Equal(s.Home.Score, s.Lines.Periods.Sum(p => p.Home));
            Assert.Equal(s.Away.Score, s.Lines.Periods.Sum(p => p.Away));
            Assert.Null(s.Lines.ExtraTime);
        });
    }

    [Fact]
    public void Matches_joined_in_play_have_a_line_score_that_adds_up_too()
    {
        var rng = new Random(9);
        foreach (var competition in SimCompetition.All.Where(c => c.Sport != Sports.Tennis))
        {
            var match = GameScript.NewMatch("m1", competition, rng, Start, inPlay: true, timeScale: 1);
            Assert.Equal(match.Period, match.Lines!.Periods.Count);
            Assert.Equal((match.Home.Score, match.Away.Score), (match.Lines.Periods.Sum(p => p.Home), match.Lines.Periods.Sum(p => p.Away)));
            Assert.Null(match.Tennis);
        }
    }
}
