using System.Globalization;
using ScoreFeed.Contract;

namespace ScoreFeed.Scoring;

/// <summary>What one point did besides adding itself: won a game, a set, the match.</summary>
public enum TennisOutcome
{
    Point,
    Game,
    Set,
    Match,
}

/// <summary>
/// The rules of tennis scoring, as a pure function of the score: games to four points with two clear (deuce,
/// advantage); sets to six games with two clear, or a tie-break at 6–6 (every set, the last one too) to seven points
/// with two clear, won 7–6; matches best of 3 or 5. Service changes after every game; in a tie-break the player
/// whose turn it is serves the first point, then each serves two; the set after it opens with the other player.
/// </summary>
public static class TennisScoring
{
    public const int GamesPerSet = 6;
    public const int TieBreakPoints = 7;

    /// <summary>The score of a match about to start, with <paramref name="server"/> serving first.</summary>
    public static TennisScore Start(int bestOf, string server) => new()
    {
        BestOf = bestOf is 3 or 5 ? bestOf : throw new ArgumentOutOfRangeException(nameof(bestOf), bestOf, "tennis is best of 3 or 5"),
        Sets = [new SetScore()],
        Server = server,
    };

    /// <summary>Sets won by each side (a set counts once it is decided).</summary>
    public static ScorePair SetsWon(TennisScore score) => new(
        score.Sets.Count(s => SetWinner(s) == TeamSides.Home),
        score.Sets.Count(s => SetWinner(s) == TeamSides.Away));

    /// <summary>The winner of the match, or null while it is undecided (a retirement aside).</summary>
    public static string? MatchWinner(TennisScore score)
    {
        var won = SetsWon(score);
        var needed = score.BestOf / 2 + 1;
        return won.Home >= needed ? TeamSides.Home : won.Away >= needed ? TeamSides.Away : null;
    }

    /// <summary>True while the current game is a tie-break (the current set stands at 6–6).</summary>
    public static bool InTieBreak(TennisScore score) =>
        score.Sets is [.., { Home: GamesPerSet, Away: GamesPerSet }];

    /// <summary>The winner of a set, or null while it is being played.</summary>
    public static string? SetWinner(SetScore set)
    {
        static bool Won(int games, int other) => (games >= GamesPerSet && games - other >= 2) || (games == GamesPerSet + 1 && other == GamesPerSet);
        return Won(set.Home, set.Away) ? TeamSides.Home : Won(set.Away, set.Home) ? TeamSides.Away : null;
    }

    /// <summary>
    /// The point as it is called: <c>0</c>, <c>15</c>, <c>30</c>, <c>40</c>, <c>AD</c> (advantage), and the
    /// tie-break's points as numbers.
    /// </summary>
    public static (string Home, string Away) Call(TennisScore score)
    {
        var (h, a) = (score.Points.Home, score.Points.Away);
        if (InTieBreak(score))
        {
            return (h.ToString(CultureInfo.InvariantCulture), a.ToString(CultureInfo.InvariantCulture));
        }
        if (h >= 3 && a >= 3)
        {
            return h == a ? ("40", "40") : h > a ? ("AD", "40") : ("40", "AD");
        }
        string[] calls = ["0", "15", "30", "40"];
        return (calls[Math.Min(h, 3)], calls[Math.Min(a, 3)]);
    }

    /// <summary>The score after <paramref name="winner"/> won the next point, and what that point decided.</summary>
    public static (TennisScore Score, TennisOutcome Outcome) Point(TennisScore score, string winner)
    {
        if (!TeamSides.IsValid(winner))
        {
            throw new ArgumentException($"The winner of a point is {TeamSides.Home} or {TeamSides.Away}.", nameof(winner));
        }
        if (MatchWinner(score) is not null || score.Retired is not null || score.Sets.Count == 0)
        {
            throw new InvalidOperationException("The match is over: no more points.");
        }
        var tieBreak = InTieBreak(score);
        var points = score.Points.Plus(winner);
        var (won, lost) = (points.Of(winner), points.Of(Other(winner)));
        var target = tieBreak ? TieBreakPoints : 4;
        if (won < target || won - lost < 2)
        {
            // The game goes on; in a tie-break, service changes after the first point and then every two.
            var played = points.Home + points.Away;
            var server = tieBreak && played % 2 == 1 ? Other(score.Server) : score.Server;
            return (score with { Points = points, Server = server }, TennisOutcome.Point);
        }

        var current = score.Sets[^1];
        var set = winner == TeamSides.Home ? current with { Home = current.Home + 1 } : current with { Away = current.Away + 1 };
        // After a tie-break the next set opens with the player who received first in it; else service alternates.
        var nextServer = tieBreak ? Other(TieBreakOpener(score.Server, points.Home + points.Away - 1)) : Other(score.Server);
        if (tieBreak)
        {
            set = set with { TieBreak = points };
        }
        var sets = score.Sets.Take(score.Sets.Count - 1).Append(set).ToList();
        var after = score with { Sets = sets, Points = new ScorePair(), Server = nextServer };
        if (SetWinner(set) is null)
        {
            return (after, TennisOutcome.Game);
        }
        if (MatchWinner(after) is not null)
        {
            return (after, TennisOutcome.Match);
        }
        return (after with { Sets = [.. sets, new SetScore()] }, TennisOutcome.Set);
    }

    public static string Other(string side) => side == TeamSides.Home ? TeamSides.Away : TeamSides.Home;

    /// <summary>
    /// Who served the first point of a tie-break, from the server of point <paramref name="lastIndex"/> (0-based):
    /// point n is served by the opener when (n + 1) / 2 is even.
    /// </summary>
    private static string TieBreakOpener(string serverOfLast, int lastIndex) =>
        (lastIndex + 1) / 2 % 2 == 0 ? serverOfLast : Other(serverOfLast);
}
