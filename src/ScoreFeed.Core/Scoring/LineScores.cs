using ScoreFeed.Contract;

namespace ScoreFeed.Scoring;

/// <summary>Keeps a football or basketball line score (<see cref="LineScore"/>) in step with the match.</summary>
public static class LineScores
{
    /// <summary>
    /// <paramref name="lines"/> with <paramref name="points"/> more for <paramref name="side"/> in
    /// <paramref name="period"/>: football's periods 3–4 count as extra time and 5 as the shoot-out; every other
    /// period has its own entry, and the periods before it are filled with 0–0.
    /// </summary>
    public static LineScore Add(LineScore? lines, string sport, int period, string side, int points)
    {
        var line = Started(lines, sport, period);
        if (sport == Sports.Football && period is 3 or 4)
        {
            return line with { ExtraTime = (line.ExtraTime ?? new()).Plus(side, points) };
        }
        if (sport == Sports.Football && period >= 5)
        {
            return line with { Penalties = (line.Penalties ?? new()).Plus(side, points) };
        }
        var periods = line.Periods.ToList();
        periods[period - 1] = periods[period - 1].Plus(side, points);
        return line with { Periods = periods };
    }

    /// <summary>
    /// <paramref name="lines"/> after <paramref name="side"/>'s score changed <paramref name="by"/> (an operator's
    /// correction), so that they still add up to it: the period in play (the last part counted in the score: extra
    /// time, else the last period) gains or loses the difference, as <see cref="Add"/> gives it every point; what it
    /// cannot lose without going below zero (a goal taken back from an earlier period) comes off the periods before
    /// it, latest first. Absent lines stay absent; a shoot-out is never touched (it is not in the score).
    /// </summary>
    public static LineScore? Corrected(LineScore? lines, string side, int by)
    {
        if (lines is null || by == 0 || (lines.Periods.Count == 0 && lines.ExtraTime is null))
        {
            return lines;
        }
        List<ScorePair> parts = lines.ExtraTime is { } extraTime ? [.. lines.Periods, extraTime] : [.. lines.Periods];
        for (var i = parts.Count - 1; i >= 0 && by != 0; i--)
        {
            var change = Math.Max(by, -parts[i].Of(side));
            parts[i] = parts[i].Plus(side, change);
            by -= change;
        }
        return lines with
        {
            Periods = parts[..lines.Periods.Count],
            ExtraTime = lines.ExtraTime is null ? null : parts[^1],
        };
    }

    /// <summary><paramref name="lines"/> with an entry (0–0) for <paramref name="period"/> once it has started.</summary>
    public static LineScore Started(LineScore? lines, string sport, int period)
    {
        var line = lines ?? new LineScore();
        var regular = sport == Sports.Football ? Math.Min(period, 2) : period;
        if (line.Periods.Count >= regular)
        {
            return sport == Sports.Football && period is 3 or 4 && line.ExtraTime is null ? line with { ExtraTime = new() }
                : sport == Sports.Football && period >= 5 && line.Penalties is null ? line with { Penalties = new() }
                : line;
        }
        return Started(line with { Periods = [.. line.Periods, .. Enumerable.Repeat(new ScorePair(), regular - line.Periods.Count)] }, sport, period);
    }
}
