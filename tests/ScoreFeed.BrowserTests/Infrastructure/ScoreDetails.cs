using ScoreFeed.Contract;

namespace ScoreFeed.BrowserTests.Infrastructure;

/// <summary>Matches with more to their score than home–away: a tennis match and a basketball line score.</summary>
internal static class ScoreDetails
{
    /// <summary>
    /// A live best-of-three tennis match in its second set: the home player won the first 7–6 (tie-break 7–4) and
    /// leads the second 4–3; the away player serves at 30–40.
    /// </summary>
    public static async Task<MatchState> CreateTennisMatchAsync(this BrowserCluster cluster, string prefix,
        string home = "Lena Kowalczyk", string away = "Ana Ferreira", string competitionId = "sim-slam")
    {
        var match = await cluster.CreateMatchAsync(prefix, home, away, competitionId, homeId: "p-kowalczyk", awayId: "p-ferreira");
        var seq = await cluster.ChangeAsync(match.MatchId, s => s with
        {
            Sport = Sports.Tennis,
            Period = 2,
            Home = s.Home with { Score = 1 },
            Tennis = new TennisScore
            {
                BestOf = 3,
                Sets = [new SetScore { Home = 7, Away = 6, TieBreak = new ScorePair(7, 4) }, new SetScore { Home = 4, Away = 3 }],
                Points = new ScorePair(2, 3),
                Server = TeamSides.Away,
            },
        }, new Incident { Id = "t1", Type = IncidentTypes.PeriodEnd, Period = 1, Seconds = 3300 });
        return match with { Sport = Sports.Tennis, Seq = seq };
    }

    /// <summary>Publishes the next point of a tennis match, won by <paramref name="side"/> (no game or set ends).</summary>
    public static Task<long> PointAsync(this BrowserCluster cluster, string matchId, string side) =>
        cluster.ChangeAsync(matchId, s => s with { Tennis = s.Tennis! with { Points = s.Tennis.Points.Plus(side) } });

    /// <summary>A live basketball match in its fourth quarter, with its line score.</summary>
    public static async Task<MatchState> CreateBasketballMatchAsync(this BrowserCluster cluster, string prefix,
        string home = "Harbor City Hawks", string away = "Valley Comets", string competitionId = "sim-euro-basket")
    {
        var match = await cluster.CreateMatchAsync(prefix, home, away, competitionId, homeId: "b-hawks", awayId: "b-comets");
        ScorePair[] periods = [new(24, 19), new(21, 25), new(27, 22), new(9, 12)];
        var seq = await cluster.ChangeAsync(match.MatchId, s => s with
        {
            Sport = Sports.Basketball,
            Period = 4,
            Home = s.Home with { Score = periods.Sum(p => p.Home) },
            Away = s.Away with { Score = periods.Sum(p => p.Away) },
            Clock = new MatchClock { Running = true, Seconds = 312, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            Lines = new LineScore { Periods = periods },
        });
        return match with { Sport = Sports.Basketball, Seq = seq };
    }

    /// <summary>
    /// A football match in the shoot-out after extra time: 1–0 and 0–1 in the halves, 1–1 in extra time (2–2), 4–3 on
    /// penalties so far.
    /// </summary>
    public static async Task<MatchState> CreateFootballShootOutAsync(this BrowserCluster cluster, string prefix,
        string home = "Northbridge FC", string away = "Riverside United", string competitionId = "sim-premier")
    {
        var match = await cluster.CreateMatchAsync(prefix, home, away, competitionId);
        var seq = await cluster.ChangeAsync(match.MatchId, s => s with
        {
            Period = 5,
            Home = s.Home with { Score = 2 },
            Away = s.Away with { Score = 2 },
            Clock = new MatchClock { Running = false, Seconds = 7200, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() },
            Lines = new LineScore { Periods = [new(1, 0), new(0, 1)], ExtraTime = new(1, 1), Penalties = new(4, 3) },
        });
        return match with { Seq = seq };
    }
}
