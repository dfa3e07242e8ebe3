using ScoreFeed.Contract;
using ScoreFeed.Realtime;
using ScoreFeed.Scoring;

namespace ScoreFeed.UnitTests;

public sealed class StandingsTests
{
    private static int _next;

    private static MatchState Match(string home, string away, int homeGoals, int awayGoals, string status = MatchStatus.Final, long startsAt = 0, string sport = Sports.Football) => new()
    {
        MatchId = $"m{Interlocked.Increment(ref _next)}",
        CompetitionId = "c1",
        Sport = sport,
        Home = new TeamScore { Id = home, Name = home.ToUpperInvariant(), Score = homeGoals },
        Away = new TeamScore { Id = away, Name = away.ToUpperInvariant(), Score = awayGoals },
        Status = status,
        StartsAt = startsAt,
    };

    private static string Order(StandingsTable table) => string.Join(' ', table.Rows.Select(r => r.TeamId));

    [Fact]
    public void Final_results_give_three_points_for_a_win_and_one_for_a_draw()
    {
        var table = Standings.Compute([Match("a", "b", 2, 0, startsAt: 1), Match("b", "c", 1, 1, startsAt: 2), Match("c", "a", 0, 1, startsAt: 3)]);

        // b and c: 1 point and 1 goal each; c's goal difference (-1) beats b's (-2).
        Assert.Equal("a c b", Order(table));
        var a = table.Rows[0];
        Assert.Equal((1, "a", 2, 2, 0, 0, 3, 0, 6, "WW"), (a.Position, a.TeamId, a.Played, a.Won, a.Drawn, a.Lost, a.GoalsFor, a.GoalsAgainst, a.Points, a.Form));
        var b = table.Rows[2];
        Assert.Equal((3, 2, 0, 1, 1, 1, 3, 1, "DL"), (b.Position, b.Played, b.Won, b.Drawn, b.Lost, b.GoalsFor, b.GoalsAgainst, b.Points, b.Form));
        Assert.False(table.Live);
        Assert.All(table.Rows, r => Assert.False(r.Live));
    }

    [Fact]
    public void Ties_go_to_goal_difference_then_goals_for_then_name()
    {
        // a and b: 3 points, +1 each; b scored more. c and d: 0 points, -1 each... d scored more; e and f: level on all, by name.
        var table = Standings.Compute(
        [
            Match("a", "c", 1, 0), Match("b", "d", 3, 2), Match("e", "f", 0, 0),
        ]);

        Assert.Equal("b a e f d c", Order(table));
        Assert.Equal([1, 2, 3, 4, 5, 6], table.Rows.Select(r => r.Position));
    }

    [Fact]
    public void A_match_in_play_counts_its_score_and_marks_its_rows_live_without_adding_to_form()
    {
        var table = Standings.Compute([Match("a", "b", 1, 0, startsAt: 1), Match("b", "a", 2, 0, MatchStatus.Live, startsAt: 2)]);

        Assert.True(table.Live);
        Assert.Equal("b a", Order(table)); // b 3 points, +1, 2 goals; a 3 points, -1
        Assert.All(table.Rows, r => Assert.True(r.Live));
        Assert.Equal(("L", "W"), (table.Rows[0].Form, table.Rows[1].Form));
    }

    [Fact]
    public void A_disallowed_goal_moves_the_table_back()
    {
        var before = Standings.Compute([Match("a", "b", 1, 1, MatchStatus.Live), Match("c", "d", 0, 0, MatchStatus.Final)]);
        var goal = Standings.Compute([Match("a", "b", 2, 1, MatchStatus.Live), Match("c", "d", 0, 0, MatchStatus.Final)]);
        var disallowed = Standings.Compute([Match("a", "b", 1, 1, MatchStatus.Live), Match("c", "d", 0, 0, MatchStatus.Final)]);

        Assert.Equal("a", goal.Rows[0].TeamId);
        Assert.Equal(3, goal.Rows[0].Points);
        Assert.Equal(before, disallowed, new TableComparer());
        Assert.Equal(1, disallowed.Rows.Single(r => r.TeamId == "a").Points);
    }

    [Fact]
    public void Scheduled_teams_are_listed_and_cancelled_or_postponed_matches_do_not_count()
    {
        var table = Standings.Compute([Match("a", "b", 0, 0, MatchStatus.Scheduled), Match("c", "d", 3, 0, MatchStatus.Cancelled), Match("e", "f", 0, 0, MatchStatus.Postponed)]);

        Assert.Equal(6, table.Rows.Count);
        Assert.All(table.Rows, r => Assert.Equal((0, 0, ""), (r.Played, r.Points, r.Form)));
    }

    [Fact]
    public void Form_holds_the_last_five_final_results_newest_first()
    {
        var table = Standings.Compute(
        [
            Match("a", "b", 1, 0, startsAt: 1), Match("a", "b", 0, 1, startsAt: 2), Match("a", "b", 1, 1, startsAt: 3),
            Match("a", "b", 1, 0, startsAt: 4), Match("a", "b", 1, 0, startsAt: 5), Match("a", "b", 0, 2, startsAt: 6),
        ]);

        Assert.Equal("LWWDL", table.Rows.Single(r => r.TeamId == "a").Form);
        Assert.Equal(6, table.Rows.Single(r => r.TeamId == "a").Played);
    }

    [Fact]
    public void Football_and_basketball_have_a_table_and_tennis_has_none()
    {
        Assert.True(Standings.HasTable(Sports.Football));
        Assert.True(Standings.HasTable(Sports.Basketball));
        Assert.False(Standings.HasTable(Sports.Tennis));
        Assert.Empty(Standings.Compute([Match("c", "d", 2, 0, sport: Sports.Tennis)]).Rows);
        Assert.Null(Standings.SportOf([Match("c", "d", 2, 0, sport: Sports.Tennis)]));
    }

    [Fact]
    public void Basketball_gives_two_points_for_a_win_and_one_for_a_loss_with_points_scored_as_goals()
    {
        var table = Standings.Compute(
        [
            Match("a", "b", 88, 80, startsAt: 1, sport: Sports.Basketball),
            Match("b", "c", 101, 99, startsAt: 2, sport: Sports.Basketball),
            Match("c", "a", 77, 90, startsAt: 3, sport: Sports.Basketball),
        ]);

        Assert.Equal("a b c", Order(table)); // a 4 points; b and c 3 each, b +6 beats c -15
        var a = table.Rows[0];
        Assert.Equal((2, 2, 0, 0, 178, 157, 4, "WW"), (a.Played, a.Won, a.Drawn, a.Lost, a.GoalsFor, a.GoalsAgainst, a.Points, a.Form));
        var c = table.Rows[2];
        Assert.Equal((2, 0, 0, 2, 176, 191, 2, "LL"), (c.Played, c.Won, c.Drawn, c.Lost, c.GoalsFor, c.GoalsAgainst, c.Points, c.Form));
        Assert.Equal(Sports.Basketball, Standings.SportOf([Match("a", "b", 88, 80, sport: Sports.Basketball)]));
    }

    [Fact]
    public void Basketball_ties_go_to_points_difference_then_points_scored_then_name()
    {
        // Winners 2 points: a and b +5, b scored more; c and d level on everything, by name. Losers 1 point: g and h likewise.
        var table = Standings.Compute(
        [
            Match("a", "e", 80, 75, sport: Sports.Basketball), Match("b", "f", 95, 90, sport: Sports.Basketball),
            Match("d", "g", 70, 69, sport: Sports.Basketball), Match("c", "h", 70, 69, sport: Sports.Basketball),
        ]);

        Assert.Equal("b a c d g h f e", Order(table));
    }

    [Fact]
    public void A_basketball_game_level_in_play_is_played_and_live_but_neither_won_nor_lost()
    {
        var level = Standings.Compute([Match("a", "b", 50, 50, MatchStatus.Live, sport: Sports.Basketball)]);

        Assert.True(level.Live);
        Assert.All(level.Rows, r => Assert.Equal((1, 0, 0, 0, 50, 0, "", true), (r.Played, r.Won, r.Drawn, r.Lost, r.GoalsFor, r.Points, r.Form, r.Live)));

        var leading = Standings.Compute([Match("a", "b", 50, 52, MatchStatus.Live, sport: Sports.Basketball)]);

        Assert.Equal("b a", Order(leading));
        Assert.Equal([(1, 0, 2), (0, 1, 1)], leading.Rows.Select(r => (r.Won, r.Lost, r.Points)));
        Assert.All(leading.Rows, r => Assert.Equal("", r.Form));
    }

    [Fact]
    public void A_competition_s_table_counts_the_matches_of_the_sport_most_of_them_play()
    {
        var table = Standings.Compute(
        [
            Match("a", "b", 80, 70, sport: Sports.Basketball), Match("c", "d", 60, 61, sport: Sports.Basketball),
            Match("e", "f", 2, 0, startsAt: 9), Match("g", "h", 1, 0, sport: Sports.Tennis),
        ]);

        Assert.Equal("a d c b", Order(table));
        // One each: the newest match's sport.
        Assert.Equal(Sports.Basketball, Standings.SportOf([Match("a", "b", 80, 70, startsAt: 2, sport: Sports.Basketball), Match("e", "f", 2, 0, startsAt: 1)]));
        Assert.Equal(Sports.Football, Standings.SportOf([Match("a", "b", 80, 70, sport: Sports.Basketball)], new FeedTable()));
    }

    [Theory]
    [InlineData("standings:sim-premier", true)]
    [InlineData("sim-premier", true)]
    [InlineData("standings:", false)]
    [InlineData("standings:a:b", false)]
    [InlineData("match:a", false)]
    public void Stream_ids_are_match_ids_or_standings_documents(string id, bool valid) =>
        Assert.Equal(valid, StandingsDocument.IsValidStreamId(id));

    [Fact]
    public void A_standings_document_goes_to_its_topic_only()
    {
        var state = new MatchState { MatchId = StandingsDocument.IdFor("c1"), CompetitionId = "c1", Status = MatchStatus.Live };

        Assert.Equal(["standings:c1"], UpdateEnvelope.TopicsOf(state, MatchStatus.Scheduled));
        Assert.Equal(Topic.ForStandings("c1").Name, StandingsDocument.IdFor("c1"));
    }

    private sealed class TableComparer : IEqualityComparer<StandingsTable>
    {
        public bool Equals(StandingsTable? x, StandingsTable? y) => x!.Live == y!.Live && x.Rows.SequenceEqual(y.Rows);

        public int GetHashCode(StandingsTable obj) => obj.Rows.Count;
    }
}
