using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Scoring;

namespace ScoreFeed.Ingest.Simulator;

/// <summary>
/// How a simulated tennis match moves on, one point per change (the rules are <see cref="TennisScoring"/>'s): a point
/// every <see cref="PointSeconds"/> of game time, the server winning most, and now and then a player who retires.
/// The clock counts up the time played; the period is the current set.
/// </summary>
internal static class TennisScript
{
    public const int PointSeconds = 40;

    /// <summary>On the ATP tour servers win about 64% of points.</summary>
    private const double ServerWinsPoint = 0.64;

    /// <summary>About one match in 25 of three sets (≈ 160 points) ends in a retirement.</summary>
    private const double RetirementPerPoint = 1.0 / 4000;

    public static MatchState NewMatch(MatchState state, SimCompetition competition, Random rng, long nowMs, bool inPlay, double timeScale)
    {
        var score = TennisScoring.Start(competition.BestOf, rng.Next(2) == 0 ? TeamSides.Home : TeamSides.Away);
        if (!inPlay)
        {
            return With(rng.NextDouble() < 0.03 ? state with { Status = MatchStatus.Postponed } : state, score);
        }
        // Joined in play: the points played so far, stopping short of the match's end.
        var points = rng.Next(0, 40 * competition.BestOf);
        for (var i = 0; i < points; i++)
        {
            var (next, outcome) = TennisScoring.Point(score, PointWinner(score, rng));
            if (outcome == TennisOutcome.Match)
            {
                points = i;
                break;
            }
            score = next;
        }
        var elapsed = points * PointSeconds;
        return With(state with
        {
            Status = MatchStatus.Live,
            StartsAt = nowMs - (long)(elapsed * 1000 / timeScale),
            Clock = new MatchClock { Running = true, Seconds = elapsed, At = nowMs },
        }, score);
    }

    /// <summary>When the next point can be played: a point's time after the last change.</summary>
    public static long NextPointAt(MatchState match, double timeScale) => match.Clock.At + (long)(1000 * PointSeconds / timeScale);

    /// <summary>The next point, if a point's time has passed (<paramref name="dt"/> game seconds since the last change).</summary>
    public static (MatchState, Incident?)? Play(MatchState match, Random rng, long nowMs, double dt)
    {
        if (dt < PointSeconds)
        {
            return null;
        }
        var seconds = match.Clock.Seconds + (int)dt;
        var stopped = new MatchClock { Running = false, Seconds = seconds, At = nowMs };
        var score = match.Tennis ?? TennisScoring.Start(3, TeamSides.Home);
        if (TennisScoring.MatchWinner(score) is not null || score.Retired is not null)
        {
            return (match with { Status = MatchStatus.Final, Clock = stopped }, null);
        }
        if (rng.NextDouble() < RetirementPerPoint)
        {
            var retired = rng.Next(2) == 0 ? TeamSides.Home : TeamSides.Away;
            return (With(match, score with { Retired = retired }) with { Status = MatchStatus.Final, Clock = stopped },
                new Incident
                {
                    Id = string.Create(CultureInfo.InvariantCulture, $"{IncidentTypes.Retirement}-{match.Period}"),
                    Type = IncidentTypes.Retirement,
                    Period = match.Period,
                    Seconds = seconds,
                    Team = retired,
                });
        }
        var (after, outcome) = TennisScoring.Point(score, PointWinner(score, rng));
        var state = With(match, after) with { Clock = stopped with { Running = true } };
        return outcome switch
        {
            TennisOutcome.Match => (state with { Status = MatchStatus.Final, Clock = stopped }, GameScript.Marker(IncidentTypes.PeriodEnd, match.Period, seconds)),
            TennisOutcome.Set => (state, GameScript.Marker(IncidentTypes.PeriodEnd, match.Period, seconds)),
            _ => (state, null),
        };
    }

    private static string PointWinner(TennisScore score, Random rng) =>
        rng.NextDouble() < ServerWinsPoint ? score.Server : TennisScoring.Other(score.Server);

    /// <summary>The match with <paramref name="score"/>: the sets won as the scores, the current set as the period.</summary>
    private static MatchState With(MatchState match, TennisScore score)
    {
        var won = TennisScoring.SetsWon(score);
        return match with
        {
            Home = match.Home with { Score = won.Home },
            Away = match.Away with { Score = won.Away },
            Period = match.Status is MatchStatus.Scheduled or MatchStatus.Postponed ? 0 : score.Sets.Count,
            Tennis = score,
        };
    }
}
