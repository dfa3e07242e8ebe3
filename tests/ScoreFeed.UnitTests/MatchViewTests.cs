using ScoreFeed.Contract;
using ScoreFeed.Web.Pages;

namespace ScoreFeed.UnitTests;

/// <summary>The server-rendered first paint says what the scripts say (ClientApp/test/clock.test.ts has the same cases).</summary>
public sealed class MatchViewTests
{
    private static MatchState Live(string sport = Sports.Football, int seconds = 2700, bool running = true) => new()
    {
        MatchId = "m1",
        Sport = sport,
        Status = MatchStatus.Live,
        Period = 2,
        Clock = new MatchClock { Running = running, Seconds = seconds, At = 1_000_000 },
    };

    [Fact]
    public void Clocks_run_up_for_football_and_down_for_basketball_from_when_they_were_set()
    {
        Assert.Equal("45:00", MatchView.ClockSlot(Live(), 1_000_000));
        Assert.Equal("46:01", MatchView.ClockSlot(Live(), 1_061_999));
        Assert.Equal("45:00", MatchView.ClockSlot(Live(), 999_000));
        Assert.Equal("0:20", MatchView.ClockSlot(Live(Sports.Basketball, 30), 1_010_500));
        Assert.Equal("0:00", MatchView.ClockSlot(Live(Sports.Basketball, 30), 1_090_000));
        Assert.Equal("45:00", MatchView.ClockSlot(Live(running: false), 9_000_000));
        Assert.Equal("103:12", MatchView.FormatClock(6192));
    }

    [Fact]
    public void Statuses_periods_and_incidents_read_like_the_scripts()
    {
        Assert.Equal("Half-time", MatchView.StatusLabel(Live() with { Status = MatchStatus.Paused, Period = 1 }));
        Assert.Equal("Break", MatchView.StatusLabel(Live(Sports.Basketball) with { Status = MatchStatus.Paused }));
        Assert.Equal("Full time", MatchView.StatusLabel(Live() with { Status = MatchStatus.Final }));
        Assert.Equal("Upcoming", MatchView.StatusLabel(Live() with { Status = MatchStatus.Scheduled }));
        Assert.Equal("Penalties", MatchView.PeriodLabel(Sports.Football, 5));
        Assert.Equal("OT2", MatchView.PeriodLabel(Sports.Basketball, 6));
        Assert.Equal("23'", MatchView.IncidentTime(Sports.Football, new Incident { Seconds = 1334 }));
        Assert.Equal("Q2 4:12", MatchView.IncidentTime(Sports.Basketball, new Incident { Period = 2, Seconds = 252 }));
        Assert.Equal("3 points", MatchView.IncidentLabel(Sports.Basketball, new Incident { Type = IncidentTypes.Points, Points = 3 }));
        Assert.Equal("Free throw", MatchView.IncidentLabel(Sports.Basketball, new Incident { Type = IncidentTypes.Points, Points = 1 }));
        Assert.Equal("Start of 2nd half", MatchView.IncidentLabel(Sports.Football, new Incident { Type = IncidentTypes.PeriodStart, Period = 2 }));
        Assert.Equal("Sim Euro Basket", MatchView.CompetitionName("sim-euro-basket", null));
    }

    [Fact]
    public void Lists_put_matches_in_play_first_then_upcoming_then_the_rest()
    {
        MatchState M(string id, string status, long startsAt) => new() { MatchId = id, Status = status, StartsAt = startsAt };
        var ordered = MatchView.InListOrder([M("done", MatchStatus.Final, 1), M("later", MatchStatus.Scheduled, 9), M("soon", MatchStatus.Scheduled, 5), M("ht", MatchStatus.Paused, 3), M("live", MatchStatus.Live, 2)]);

        Assert.Equal(["live", "ht", "soon", "later", "done"], ordered.Select(m => m.MatchId));
    }

    [Fact]
    public void Page_state_in_a_script_element_cannot_end_it_whatever_a_team_is_called()
    {
        var config = new PageConfig
        {
            Page = "match",
            Hub = "http://hub/hubs/scores",
            Topics = ["match:m1"],
            Matches = [Live() with { Home = new TeamScore { Name = "</script><script>alert(1)</script>" } }],
            ServerNow = 1,
        };

        var json = config.ToJson();

        Assert.DoesNotContain("<", json);
        Assert.DoesNotContain(">", json);
        Assert.Contains("\\u003C/script\\u003E", json);
    }

    [Fact]
    public void A_tennis_match_shows_sets_won_as_its_score_and_its_sets_in_columns()
    {
        var tennis = Live(Sports.Tennis, seconds: 3600) with
        {
            Home = new TeamScore { Name = "Home Player", Score = 1 },
            Away = new TeamScore { Name = "Away Player", Score = 0 },
            Tennis = new TennisScore { Sets = [new SetScore { Home = 6, Away = 4 }, new SetScore { Home = 2, Away = 1 }], Points = new ScorePair(3, 1) },
        };

        Assert.Equal(("1", "0"), (MatchView.Score(tennis, tennis.Home), MatchView.Score(tennis, tennis.Away)));
        Assert.Equal("60:10", MatchView.ClockSlot(tennis, 1_010_000));
        Assert.Equal("Set 2", MatchView.PeriodSlot(tennis));
        Assert.Equal("Retirement", MatchView.IncidentLabel(Sports.Tennis, new Incident { Type = IncidentTypes.Retirement, Team = TeamSides.Away }));
        Assert.Equal("Set 1", MatchView.IncidentTime(Sports.Tennis, new Incident { Type = IncidentTypes.PeriodEnd, Period = 1, Seconds = 2400 }));

        var table = LineScoreView.For(tennis)!;
        Assert.Equal(["1", "2", "Game"], table.Heads);
        Assert.Equal(["6", "2", "40"], table.Rows[0].Cells.Select(c => c.Text));
        Assert.Equal([true, false, false], table.Rows[0].Cells.Select(c => c.Won));
        Assert.Equal(["4", "1", "15"], table.Rows[1].Cells.Select(c => c.Text));
        Assert.True(table.Rows[0].Serving);
    }

    [Theory]
    [InlineData(3, 3, "40", "40")]
    [InlineData(4, 3, "AD", "40")]
    [InlineData(3, 5, "40", "AD")]
    [InlineData(2, 0, "30", "0")]
    public void Game_points_read_as_fans_call_them(int home, int away, string homeText, string awayText) =>
        Assert.Equal((homeText, awayText), LineScoreView.GamePoints(new TennisScore { Sets = [new SetScore { Home = 1, Away = 1 }], Points = new ScorePair(home, away) }));

    [Fact]
    public void A_tie_break_shows_its_points_as_counts_and_on_the_loser_of_the_set()
    {
        var tennis = new TennisScore { Sets = [new SetScore { Home = 6, Away = 7, TieBreak = new ScorePair(5, 7) }, new SetScore { Home = 6, Away = 6 }], Points = new ScorePair(4, 3) };
        var state = Live(Sports.Tennis, seconds: 3600) with { Tennis = tennis };

        Assert.Equal(("4", "3"), LineScoreView.GamePoints(tennis));
        var table = LineScoreView.For(state)!;
        Assert.Equal("5", table.Rows[0].Cells[0].TieBreak);
        Assert.Null(table.Rows[1].Cells[0].TieBreak);
    }

    [Fact]
    public void A_football_line_score_has_halves_extra_time_penalties_and_the_total()
    {
        var state = Live() with
        {
            Home = new TeamScore { Name = "H", Score = 2 },
            Away = new TeamScore { Name = "A", Score = 2 },
            Lines = new LineScore { Periods = [new(1, 0), new(0, 1)], ExtraTime = new(1, 1), Penalties = new(4, 3) },
        };

        var table = LineScoreView.For(state)!;
        Assert.Equal(["1", "2", "ET", "Pens", "T"], table.Heads);
        Assert.Equal(["1", "0", "1", "4", "2"], table.Rows[0].Cells.Select(c => c.Text));
        Assert.Null(LineScoreView.For(Live()));
    }
}
