using ScoreFeed.Contract;
using ScoreFeed.Scoring;

namespace ScoreFeed.UnitTests;

/// <summary>The rules of tennis scoring (<see cref="TennisScoring"/>): points, games, sets, tie-breaks, matches and service.</summary>
public sealed class TennisScoringTests
{
    private const string H = TeamSides.Home;
    private const string A = TeamSides.Away;

    /// <summary>Plays points won by the sides in <paramref name="winners"/> ('h' or 'a'; other characters are ignored).</summary>
    private static (TennisScore Score, TennisOutcome Last) Play(TennisScore score, string winners)
    {
        var last = TennisOutcome.Point;
        foreach (var c in winners.Where(c => c is 'h' or 'a'))
        {
            (score, last) = TennisScoring.Point(score, c == 'h' ? H : A);
        }
        return (score, last);
    }

    /// <summary>A score whose current set stands at <paramref name="home"/>–<paramref name="away"/> games, love all.</summary>
    private static TennisScore AtGames(int home, int away, string server = H, int bestOf = 3) =>
        TennisScoring.Start(bestOf, server) with { Sets = [new SetScore { Home = home, Away = away }] };

    private static string Games(string side, int games) => string.Concat(Enumerable.Repeat(side == H ? "hhhh " : "aaaa ", games));

    [Fact]
    public void Points_are_called_love_15_30_40()
    {
        var score = TennisScoring.Start(3, H);
        Assert.Equal(("0", "0"), TennisScoring.Call(score));
        Assert.Equal(("15", "0"), TennisScoring.Call(Play(score, "h").Score));
        Assert.Equal(("30", "15"), TennisScoring.Call(Play(score, "hah").Score));
        Assert.Equal(("40", "30"), TennisScoring.Call(Play(score, "hahah").Score));
    }

    [Fact]
    public void Four_points_to_love_win_the_game_and_reset_the_points()
    {
        var (score, outcome) = Play(TennisScoring.Start(3, H), "hhhh");

        Assert.Equal(TennisOutcome.Game, outcome);
        Assert.Equal(new SetScore { Home = 1, Away = 0 }, score.Sets.Single());
        Assert.Equal(new ScorePair(0, 0), score.Points);
    }

    [Fact]
    public void Deuce_then_advantage_then_deuce_again_then_the_game_needs_two_clear()
    {
        var deuce = Play(TennisScoring.Start(3, H), "hhhaaa").Score;
        Assert.Equal(("40", "40"), TennisScoring.Call(deuce));

        var advantage = Play(deuce, "a").Score;
        Assert.Equal(("40", "AD"), TennisScoring.Call(advantage));
        Assert.Equal(0, advantage.Sets[0].Away);

        var deuceAgain = Play(advantage, "h").Score;
        Assert.Equal(("40", "40"), TennisScoring.Call(deuceAgain));
        Assert.Equal(new ScorePair(4, 4), deuceAgain.Points);

        var (won, outcome) = Play(deuceAgain, "hh");
        Assert.Equal(TennisOutcome.Game, outcome);
        Assert.Equal(new SetScore { Home = 1, Away = 0 }, won.Sets[0]);
    }

    [Fact]
    public void A_set_is_six_games_with_two_clear_so_6_5_goes_on_and_7_5_wins()
    {
        var (fiveAll, _) = Play(AtGames(5, 5), "");
        var (sixFive, outcome) = Play(fiveAll, Games(H, 1));
        Assert.Equal(TennisOutcome.Game, outcome);
        Assert.Null(TennisScoring.SetWinner(sixFive.Sets[0]));

        var (sevenFive, won) = Play(sixFive, Games(H, 1));
        Assert.Equal(TennisOutcome.Set, won);
        Assert.Equal(new SetScore { Home = 7, Away = 5 }, sevenFive.Sets[0]);
        Assert.Equal(new SetScore(), sevenFive.Sets[1]);
        Assert.Equal(new ScorePair(1, 0), TennisScoring.SetsWon(sevenFive));
    }

    [Fact]
    public void Six_four_wins_a_set_but_six_five_does_not()
    {
        Assert.Equal(H, TennisScoring.SetWinner(new SetScore { Home = 6, Away = 4 }));
        Assert.Equal(A, TennisScoring.SetWinner(new SetScore { Home = 0, Away = 6 }));
        Assert.Null(TennisScoring.SetWinner(new SetScore { Home = 6, Away = 5 }));
        Assert.Null(TennisScoring.SetWinner(new SetScore { Home = 6, Away = 6 }));
    }

    [Fact]
    public void At_six_all_a_tie_break_is_played_to_seven_and_won_7_5()
    {
        var tieBreak = AtGames(6, 6);
        Assert.True(TennisScoring.InTieBreak(tieBreak));

        var (fiveFive, _) = Play(tieBreak, "hahahahaha");
        Assert.Equal(("5", "5"), TennisScoring.Call(fiveFive));
        var (sixFive, notYet) = Play(fiveFive, "h");
        Assert.Equal(TennisOutcome.Point, notYet);

        var (won, outcome) = Play(sixFive, "h");
        Assert.Equal(TennisOutcome.Set, outcome);
        Assert.Equal(new SetScore { Home = 7, Away = 6, TieBreak = new ScorePair(7, 5) }, won.Sets[0]);
        Assert.False(TennisScoring.InTieBreak(won));
    }

    [Fact]
    public void A_tie_break_needs_two_clear_so_it_can_end_8_6()
    {
        var (sixSix, _) = Play(AtGames(6, 6), "hahahahahaha");
        var (sevenSix, notYet) = Play(sixSix, "a");
        Assert.Equal(TennisOutcome.Point, notYet);
        Assert.Equal(("6", "7"), TennisScoring.Call(sevenSix));

        var (won, outcome) = Play(sevenSix, "a");
        Assert.Equal(TennisOutcome.Set, outcome);
        Assert.Equal(new SetScore { Home = 6, Away = 7, TieBreak = new ScorePair(6, 8) }, won.Sets[0]);
    }

    [Fact]
    public void Service_changes_after_every_game()
    {
        var score = TennisScoring.Start(3, A);
        Assert.Equal(H, Play(score, Games(A, 1)).Score.Server);
        Assert.Equal(A, Play(score, Games(A, 1) + Games(H, 1)).Score.Server);
        // Within a game the server does not change.
        Assert.Equal(A, Play(score, "hah").Score.Server);
    }

    [Fact]
    public void In_a_tie_break_the_opener_serves_one_point_then_each_serves_two()
    {
        var score = AtGames(6, 6, server: H);
        var servers = new List<string> { score.Server };
        foreach (var winner in "hahahahahah") // 6–5 after 11 points, no winner yet
        {
            score = TennisScoring.Point(score, winner == 'h' ? H : A).Score;
            servers.Add(score.Server);
        }
        Assert.Equal([H, A, A, H, H, A, A, H, H, A, A, H], servers);
    }

    [Theory]
    [InlineData("hhhhhhh", H, A)] // 7–0 after the opener (home) served first: the next set opens with away
    [InlineData("aaaaaaa", H, A)]
    [InlineData("hahahahahahaaa", H, A)] // 6–8 over 14 points
    public void After_a_tie_break_the_next_set_opens_with_who_received_first_in_it(string points, string opener, string nextSetServer)
    {
        var (score, outcome) = Play(AtGames(6, 6, server: opener), points);

        Assert.Equal(TennisOutcome.Set, outcome);
        Assert.Equal(nextSetServer, score.Server);
        Assert.Equal(2, score.Sets.Count);
    }

    [Fact]
    public void Best_of_three_ends_when_a_side_wins_two_sets()
    {
        var (oneSet, first) = Play(TennisScoring.Start(3, H), Games(H, 6));
        Assert.Equal(TennisOutcome.Set, first);
        Assert.Null(TennisScoring.MatchWinner(oneSet));

        var (over, outcome) = Play(oneSet, Games(H, 6));
        Assert.Equal(TennisOutcome.Match, outcome);
        Assert.Equal(H, TennisScoring.MatchWinner(over));
        Assert.Equal(new ScorePair(2, 0), TennisScoring.SetsWon(over));
        Assert.Equal(2, over.Sets.Count);
        Assert.Throws<InvalidOperationException>(() => TennisScoring.Point(over, H));
    }

    [Fact]
    public void Best_of_five_needs_three_sets_and_can_go_the_distance()
    {
        var (twoAll, _) = Play(TennisScoring.Start(5, H), Games(H, 6) + Games(A, 6) + Games(H, 6) + Games(A, 6));
        Assert.Equal(new ScorePair(2, 2), TennisScoring.SetsWon(twoAll));
        Assert.Null(TennisScoring.MatchWinner(twoAll));
        Assert.Equal(5, twoAll.Sets.Count);

        var (over, outcome) = Play(twoAll, Games(A, 5) + Games(H, 6) + Games(A, 1) + "hahahahahahahh");
        Assert.Equal(TennisOutcome.Match, outcome);
        Assert.Equal(new SetScore { Home = 7, Away = 6, TieBreak = new ScorePair(8, 6) }, over.Sets[^1]);
        Assert.Equal(H, TennisScoring.MatchWinner(over));
    }

    [Fact]
    public void Only_best_of_three_or_five_is_played_and_a_retired_match_takes_no_points()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TennisScoring.Start(4, H));
        var retired = TennisScoring.Start(3, H) with { Retired = A };
        Assert.Throws<InvalidOperationException>(() => TennisScoring.Point(retired, H));
        Assert.Throws<ArgumentException>(() => TennisScoring.Point(TennisScoring.Start(3, H), "nobody"));
    }

    [Fact]
    public void Scores_with_equal_sets_are_equal_records()
    {
        var a = Play(TennisScoring.Start(3, H), Games(H, 3) + "ha").Score;
        var b = Play(TennisScoring.Start(3, H), Games(H, 3) + "ha").Score;

        Assert.Equal(a, b);
        Assert.NotEqual(a, Play(b, "h").Score);
    }
}
