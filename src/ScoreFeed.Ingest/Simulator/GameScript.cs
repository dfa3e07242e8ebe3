using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Redis;
using ScoreFeed.Scoring;

namespace ScoreFeed.Ingest.Simulator;

/// <summary>
/// How a simulated match moves on: a pure function of its current state, the time and a random source.
/// Football: two halves of 45 minutes plus stoppage, a 15-minute half-time, goals and cards.
/// Basketball: four 12-minute quarters counting down, breaks, overtime while tied, baskets of 1–3 points.
/// Both keep their line score. Tennis: <see cref="TennisScript"/>.
/// </summary>
internal static class GameScript
{
    public const int FootballHalf = 45 * 60;
    public const int FootballHalfTime = 15 * 60;
    public const int BasketballQuarter = 12 * 60;
    public const int BasketballOvertime = 5 * 60;
    public const int BasketballBreak = 2 * 60;
    public const int BasketballHalfTime = 15 * 60;

    private const double GoalsPerSecond = 2.7 / 5400;
    private const double CardsPerSecond = 3.8 / 5400;
    private const double BasketsPerSecondPerTeam = 1.0 / 55; // ≈ 110 points per team in 48 minutes

    private static readonly string[] Players =
        ["Adeyemi", "Berg", "Costa", "Dubois", "Eriksen", "Fofana", "García", "Hansen", "Ito", "Jovanović", "Kowalski", "Larsen",
         "Martins", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz"];

    public static MatchState NewMatch(string matchId, SimCompetition competition, Random rng, long nowMs, bool inPlay, double timeScale)
    {
        var home = rng.Next(competition.Teams.Length);
        var away = (home + 1 + rng.Next(competition.Teams.Length - 1)) % competition.Teams.Length;
        var state = new MatchState
        {
            MatchId = matchId,
            CompetitionId = competition.Id,
            Sport = competition.Sport,
            Home = Team(competition, home),
            Away = Team(competition, away),
            Status = MatchStatus.Scheduled,
            Clock = new MatchClock { Seconds = competition.Sport == Sports.Basketball ? BasketballQuarter : 0 },
            StartsAt = nowMs + (long)(rng.Next(60, 15 * 60) * 1000 / timeScale),
            Incidents = [],
        };
        if (competition.Sport == Sports.Tennis)
        {
            return TennisScript.NewMatch(state, competition, rng, nowMs, inPlay, timeScale);
        }
        if (!inPlay)
        {
            return rng.NextDouble() < 0.03 ? state with { Status = MatchStatus.Postponed } : state;
        }
        if (competition.Sport == Sports.Football)
        {
            var elapsed = rng.Next(0, 85 * 60);
            var period = elapsed < FootballHalf ? 1 : 2;
            return WithLines(state with
            {
                Status = MatchStatus.Live,
                Period = period,
                StartsAt = nowMs - (long)((elapsed + (period == 2 ? FootballHalfTime : 0)) * 1000 / timeScale),
                Home = state.Home with { Score = rng.Next(0, 1 + elapsed / 1800) },
                Away = state.Away with { Score = rng.Next(0, 1 + elapsed / 2400) },
                Clock = new MatchClock { Running = true, Seconds = elapsed, At = nowMs },
            });
        }
        var quarter = rng.Next(1, 5);
        var remaining = rng.Next(1, BasketballQuarter);
        var played = (quarter - 1) * BasketballQuarter + (BasketballQuarter - remaining);
        return WithLines(state with
        {
            Status = MatchStatus.Live,
            Period = quarter,
            StartsAt = nowMs - (long)(played * 1000 * 1.6 / timeScale),
            Home = state.Home with { Score = played * 100 / 2880 + rng.Next(0, 12) },
            Away = state.Away with { Score = played * 100 / 2880 + rng.Next(0, 12) },
            Clock = new MatchClock { Running = true, Seconds = remaining, At = nowMs },
        });
    }

    /// <summary>A line score for a match joined in play: its score spread evenly over the periods started, the rest in the current one.</summary>
    private static MatchState WithLines(MatchState match)
    {
        var lines = LineScores.Started(null, match.Sport, match.Period);
        for (var period = 1; period <= match.Period; period++)
        {
            var last = period == match.Period;
            lines = LineScores.Add(lines, match.Sport, period, TeamSides.Home, last ? match.Home.Score - match.Home.Score / match.Period * (period - 1) : match.Home.Score / match.Period);
            lines = LineScores.Add(lines, match.Sport, period, TeamSides.Away, last ? match.Away.Score - match.Away.Score / match.Period * (period - 1) : match.Away.Score / match.Period);
        }
        return match with { Lines = lines };
    }

    /// <summary>
    /// The earliest wall time (ms) at which <see cref="Step"/> can change the match: now while it is played,
    /// kick-off before it starts, the end of the break while paused; <see cref="long.MaxValue"/> once it is over.
    /// </summary>
    public static long NextChangeAt(MatchState match, double timeScale) => match.Status switch
    {
        MatchStatus.Scheduled => match.StartsAt,
        MatchStatus.Live when match.Sport == Sports.Tennis => TennisScript.NextPointAt(match, timeScale),
        MatchStatus.Live => 0,
        MatchStatus.Paused => match.Clock.At + (long)(1000 * BreakSeconds(match) / timeScale),
        _ => long.MaxValue,
    };

    private static int BreakSeconds(MatchState match) => match.Sport == Sports.Football
        ? (match.Period == 1 ? FootballHalfTime : int.MaxValue / 2000)
        : match.Period == 2 ? BasketballHalfTime : BasketballBreak;

    /// <summary>The next change of the match at <paramref name="nowMs"/>, or null if nothing changes.</summary>
    public static MatchChange? Step(MatchState match, Random rng, long nowMs, double timeScale)
    {
        var dt = Math.Max(0, (nowMs - match.Clock.At) / 1000.0 * timeScale);
        var football = match.Sport == Sports.Football;
        (MatchState State, Incident? Incident)? next = match.Status switch
        {
            MatchStatus.Scheduled when nowMs >= match.StartsAt => KickOff(match, nowMs),
            MatchStatus.Live when match.Sport == Sports.Tennis => TennisScript.Play(match, rng, nowMs, dt),
            MatchStatus.Live => football ? FootballPlay(match, rng, nowMs, dt) : BasketballPlay(match, rng, nowMs, dt),
            MatchStatus.Paused => football ? FootballBreak(match, nowMs, dt) : BasketballBreakOver(match, nowMs, dt),
            _ => null,
        };
        if (next is not { } n)
        {
            return null;
        }
        var state = n.Incident is null ? n.State : n.State with { Incidents = [.. match.Incidents ?? [], n.Incident] };
        return new MatchChange { State = state, Incident = n.Incident, Source = UpdateSources.Feed };
    }

    private static (MatchState, Incident?) KickOff(MatchState match, long nowMs)
    {
        var seconds = Sports.ClockCountsDown(match.Sport) ? BasketballQuarter : 0;
        var lines = match.Sport == Sports.Tennis ? null : LineScores.Started(match.Lines, match.Sport, 1);
        return (match with { Status = MatchStatus.Live, Period = 1, Clock = new MatchClock { Running = true, Seconds = seconds, At = nowMs }, Lines = lines },
            Marker(IncidentTypes.PeriodStart, 1, seconds));
    }

    private static (MatchState, Incident?) FootballPlay(MatchState match, Random rng, long nowMs, double dt)
    {
        var seconds = match.Clock.Seconds + (int)dt;
        var end = match.Period == 1 ? FootballHalf + Stoppage(match.MatchId, 1) : 2 * FootballHalf + Stoppage(match.MatchId, 2);
        if (seconds >= end)
        {
            var status = match.Period == 1 ? MatchStatus.Paused : MatchStatus.Final;
            return (match with { Status = status, Clock = new MatchClock { Running = false, Seconds = end, At = nowMs } },
                Marker(IncidentTypes.PeriodEnd, match.Period, end));
        }
        var clock = new MatchClock { Running = true, Seconds = seconds, At = nowMs };
        var side = rng.NextDouble() < 0.55 ? TeamSides.Home : TeamSides.Away;
        if (rng.NextDouble() < dt * GoalsPerSecond)
        {
            var kind = rng.NextDouble() switch { < 0.04 => IncidentTypes.OwnGoal, < 0.14 => IncidentTypes.PenaltyGoal, _ => IncidentTypes.Goal };
            var lines = LineScores.Add(match.Lines, match.Sport, match.Period, side, 1);
            var state = side == TeamSides.Home
                ? match with { Home = match.Home with { Score = match.Home.Score + 1 }, Clock = clock, Lines = lines }
                : match with { Away = match.Away with { Score = match.Away.Score + 1 }, Clock = clock, Lines = lines };
            return (state, Event(match, rng, kind, side, seconds));
        }
        if (rng.NextDouble() < dt * CardsPerSecond)
        {
            var kind = rng.NextDouble() < 0.9 ? IncidentTypes.YellowCard : IncidentTypes.RedCard;
            return (match with { Clock = clock }, Event(match, rng, kind, side, seconds));
        }
        return (match with { Clock = clock }, null);
    }

    private static (MatchState, Incident?)? FootballBreak(MatchState match, long nowMs, double dt)
    {
        if (match.Period != 1 || dt < BreakSeconds(match))
        {
            return null;
        }
        return (match with
            {
                Status = MatchStatus.Live, Period = 2, Clock = new MatchClock { Running = true, Seconds = FootballHalf, At = nowMs },
                Lines = LineScores.Started(match.Lines, match.Sport, 2),
            },
            Marker(IncidentTypes.PeriodStart, 2, FootballHalf));
    }

    private static (MatchState, Incident?) BasketballPlay(MatchState match, Random rng, long nowMs, double dt)
    {
        var remaining = match.Clock.Seconds - (int)dt;
        if (remaining <= 0)
        {
            var tied = match.Home.Score == match.Away.Score;
            var status = match.Period >= 4 && !tied ? MatchStatus.Final : MatchStatus.Paused;
            return (match with { Status = status, Clock = new MatchClock { Running = false, Seconds = 0, At = nowMs } },
                Marker(IncidentTypes.PeriodEnd, match.Period, 0));
        }
        var (home, away) = (Points(rng, dt), Points(rng, dt));
        var lines = LineScores.Add(LineScores.Add(match.Lines, match.Sport, match.Period, TeamSides.Home, home), match.Sport, match.Period, TeamSides.Away, away);
        return (match with
        {
            Home = match.Home with { Score = match.Home.Score + home },
            Away = match.Away with { Score = match.Away.Score + away },
            Lines = lines,
            Clock = new MatchClock { Running = true, Seconds = remaining, At = nowMs },
        }, null);
    }

    private static (MatchState, Incident?)? BasketballBreakOver(MatchState match, long nowMs, double dt)
    {
        if (dt < BreakSeconds(match))
        {
            return null;
        }
        var period = match.Period + 1;
        var seconds = period > 4 ? BasketballOvertime : BasketballQuarter;
        return (match with
            {
                Status = MatchStatus.Live, Period = period, Clock = new MatchClock { Running = true, Seconds = seconds, At = nowMs },
                Lines = LineScores.Started(match.Lines, match.Sport, period),
            },
            Marker(IncidentTypes.PeriodStart, period, seconds));
    }

    /// <summary>Points one team scores in <paramref name="dt"/> game seconds (Poisson arrivals of 1-, 2- and 3-point plays).</summary>
    private static int Points(Random rng, double dt)
    {
        var points = 0;
        var limit = Math.Exp(-BasketsPerSecondPerTeam * Math.Min(dt, 600));
        for (var p = rng.NextDouble(); p > limit; p *= rng.NextDouble())
        {
            points += rng.NextDouble() switch { < 0.1 => 1, < 0.72 => 2, _ => 3 };
        }
        return points;
    }

    /// <summary>Stoppage time of a half, fixed per match so every step agrees on it.</summary>
    private static int Stoppage(string matchId, int period)
    {
        var h = 17u;
        foreach (var c in matchId)
        {
            h = h * 31 + c;
        }
        return period == 1 ? (int)(h % 4) * 60 + 30 : (int)(h / 4 % 6) * 60 + 60;
    }

    /// <summary>A match-wide incident (period start or end), its id stable per period.</summary>
    internal static Incident Marker(string type, int period, int seconds) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{type}-{period}"),
        Type = type,
        Period = period,
        Seconds = seconds,
    };

    private static Incident Event(MatchState match, Random rng, string type, string team, int seconds) => new()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"e{(match.Incidents?.Count ?? 0) + 1}-{rng.Next(0x10000):x4}"),
        Type = type,
        Period = match.Period,
        Seconds = seconds,
        Team = team,
        Player = Players[rng.Next(Players.Length)],
    };

    internal static TeamScore Team(SimCompetition competition, int index)
    {
        var name = competition.Teams[index];
        return new TeamScore { Id = string.Concat(competition.Id, "-", index.ToString(CultureInfo.InvariantCulture)), Name = name, Score = 0 };
    }
}
