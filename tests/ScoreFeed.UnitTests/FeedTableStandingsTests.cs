using ScoreFeed.Contract;
using ScoreFeed.Scoring;

namespace ScoreFeed.UnitTests;

/// <summary>A vendor's table as the base of the live table, and which held matches it already counts (docs/standings.md).</summary>
public sealed class FeedTableStandingsTests
{
    private static StandingsRow Row(int position, string team, int played, int won, int drawn, int lost, int goalsFor, int goalsAgainst, string form = "", int? points = null) => new()
    {
        Position = position,
        TeamId = team,
        Name = team.ToUpperInvariant(),
        Played = played,
        Won = won,
        Drawn = drawn,
        Lost = lost,
        GoalsFor = goalsFor,
        GoalsAgainst = goalsAgainst,
        Points = points ?? won * 3 + drawn,
        Form = form,
    };

    private static MatchState Match(string id, string home, string away, int homeGoals, int awayGoals, string status = MatchStatus.Final, long startsAt = 0) => new()
    {
        MatchId = id,
        CompetitionId = "c1",
        Sport = Sports.Football,
        Home = new TeamScore { Id = home, Name = home.ToUpperInvariant(), Score = homeGoals },
        Away = new TeamScore { Id = away, Name = away.ToUpperInvariant(), Score = awayGoals },
        Status = status,
        StartsAt = startsAt,
    };

    // The vendor's order puts b above a though they are level on points, difference and goals (its head-to-head rule).
    private static readonly StandingsRow[] Vendor =
    [
        Row(1, "b", 10, 6, 2, 2, 20, 10, "WWDLW"),
        Row(2, "a", 10, 6, 2, 2, 20, 10, "DWWWL"),
        Row(3, "c", 10, 3, 1, 6, 9, 15, "LLWDL"),
        Row(4, "d", 10, 1, 1, 8, 5, 19, "LLLLD", points: 1), // two points deducted
    ];

    private static string Order(StandingsTable table) => string.Join(' ', table.Rows.Select(r => r.TeamId));

    [Fact]
    public void With_nothing_to_add_the_vendors_table_is_shown_as_it_is_in_its_own_order()
    {
        var feed = new FeedTable { Rows = Vendor, Counted = ["old"] };
        var table = Standings.Compute([Match("old", "a", "c", 2, 0), Match("next", "c", "d", 0, 0, MatchStatus.Scheduled, startsAt: 9)], feed);

        Assert.Equal("b a c d", Order(table));
        Assert.Equal(Vendor.Select(r => (r.Position, r.Played, r.Points, r.Form)), table.Rows.Select(r => (r.Position, r.Played, r.Points, r.Form)));
        Assert.False(table.Live);
    }

    [Fact]
    public void A_match_in_play_and_a_final_the_vendor_has_not_counted_are_added_to_its_numbers()
    {
        var feed = new FeedTable { Rows = Vendor, Counted = [] };
        var table = Standings.Compute([Match("m1", "a", "b", 1, 0, MatchStatus.Live, startsAt: 2), Match("m2", "c", "d", 3, 0, startsAt: 1)], feed);

        // a wins live (+3), c won its final (+3); d keeps its deduction.
        Assert.Equal("a b c d", Order(table));
        var a = table.Rows[0];
        Assert.Equal((11, 7, 2, 2, 21, 10, 23, "DWWWL", true), (a.Played, a.Won, a.Drawn, a.Lost, a.GoalsFor, a.GoalsAgainst, a.Points, a.Form, a.Live));
        var c = table.Rows[2];
        Assert.Equal((11, 13, "WLLWD", false), (c.Played, c.Points, c.Form, c.Live));
        Assert.Equal((11, 1, "LLLLL"), (table.Rows[3].Played, table.Rows[3].Points, table.Rows[3].Form));
        Assert.True(table.Live);
    }

    [Fact]
    public void Level_teams_keep_the_vendors_order_between_them_once_matches_are_added()
    {
        var feed = new FeedTable { Rows = Vendor, Counted = [] };
        // c and d draw: a and b are still level, and stay in the vendor's order.
        var table = Standings.Compute([Match("m1", "c", "d", 1, 1, MatchStatus.Live)], feed);

        Assert.Equal("b a c d", Order(table));
    }

    [Fact]
    public void A_team_the_vendor_does_not_list_comes_after_its_teams()
    {
        var feed = new FeedTable { Rows = Vendor, Counted = [] };
        var table = Standings.Compute([Match("m1", "e", "d", 0, 0, MatchStatus.Scheduled)], feed);

        Assert.Equal("b a c d e", Order(table));
        Assert.Equal((5, 0), (table.Rows[4].Position, table.Rows[4].Played));
    }

    [Fact]
    public void The_first_table_counts_every_final_held_and_no_match_in_play()
    {
        var counted = Standings.Counted(null, Vendor, [Match("f1", "a", "b", 1, 0, startsAt: 1), Match("live", "c", "d", 0, 0, MatchStatus.Live, startsAt: 2),
            Match("later", "a", "c", 0, 0, MatchStatus.Scheduled, startsAt: 3)]);

        Assert.Equal(["f1"], counted);
    }

    [Fact]
    public void A_final_is_counted_once_the_vendors_played_count_of_its_teams_rises()
    {
        var previous = new FeedTable { Rows = Vendor, Counted = [] };
        MatchState[] matches = [Match("f1", "a", "b", 1, 0, startsAt: 1), Match("f2", "c", "d", 2, 1, startsAt: 2)];

        // The vendor has counted a–b (a and b played 11) but not yet c–d.
        var fresh = Vendor.Select(r => r.TeamId is "a" or "b" ? r with { Played = r.Played + 1 } : r).ToList();
        Assert.Equal(["f1"], Standings.Counted(previous, fresh, matches));

        // Then c–d too; and a table that did not move counts nothing more.
        var later = new FeedTable { Rows = fresh, Counted = ["f1"] };
        var freshest = fresh.Select(r => r.TeamId is "c" or "d" ? r with { Played = r.Played + 1 } : r).ToList();
        Assert.Equal(["f1", "f2"], Standings.Counted(later, freshest, matches));
        Assert.Equal(["f1"], Standings.Counted(later, fresh, matches));
    }

    [Fact]
    public void A_match_the_vendor_counted_before_scorefeed_saw_it_end_is_not_added_again_when_it_does()
    {
        var previous = new FeedTable { Rows = Vendor, Counted = [] };
        var inPlay = Match("m1", "a", "b", 1, 0, MatchStatus.Live);
        var fresh = Vendor.Select(r => r.TeamId is "a" or "b" ? r with { Played = r.Played + 1, Won = r.Won + (r.TeamId == "a" ? 1 : 0), Lost = r.Lost + (r.TeamId == "b" ? 1 : 0) } : r).ToList();

        var counted = Standings.Counted(previous, fresh, [inPlay]);
        Assert.Equal(["m1"], counted);

        // ScoreFeed's state reaches full time after the vendor's table counted it: a's 11 games, not 12.
        var table = Standings.Compute([inPlay with { Status = MatchStatus.Final }], new FeedTable { Rows = fresh, Counted = counted });
        Assert.Equal(11, table.Rows.Single(r => r.TeamId == "a").Played);
        Assert.False(table.Live);
    }

    [Fact]
    public void Counted_matches_that_are_no_longer_held_are_forgotten_and_a_rise_beyond_the_held_matches_counts_nothing_else()
    {
        var previous = new FeedTable { Rows = Vendor, Counted = ["gone"] };
        var fresh = Vendor.Select(r => r with { Played = r.Played + 3 }).ToList();

        Assert.Equal(["f1"], Standings.Counted(previous, fresh, [Match("f1", "a", "b", 1, 0), Match("next", "c", "d", 0, 0, MatchStatus.Scheduled)]));
    }
}
