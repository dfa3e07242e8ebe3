using MessagePack;

namespace ScoreFeed.Contract;

// What a match's score is made of, beyond home.score and away.score (docs/wire-contract.md, "Line scores" and
// "Tennis"). Every part is optional: old clients keep reading home.score and away.score.

/// <summary>A home and an away number: the score of a period, a set's games, a tie-break's or a game's points.</summary>
[MessagePackObject]
public sealed record ScorePair
{
    [Key("home")] public int Home { get; init; }
    [Key("away")] public int Away { get; init; }

    public ScorePair() { }

    public ScorePair(int home, int away) => (Home, Away) = (home, away);

    /// <summary>The side's number: <see cref="TeamSides.Home"/> or <see cref="TeamSides.Away"/>.</summary>
    public int Of(string side) => side == TeamSides.Home ? Home : Away;

    /// <summary>This pair with <paramref name="points"/> more for <paramref name="side"/>.</summary>
    public ScorePair Plus(string side, int points = 1) =>
        side == TeamSides.Home ? this with { Home = Home + points } : this with { Away = Away + points };
}

/// <summary>
/// The line score of a football or basketball match: what each side scored in each period. The list compares by
/// content, so two equal line scores are equal records.
/// </summary>
[MessagePackObject]
public sealed record LineScore
{
    /// <summary>
    /// <c>periods[i]</c> is period <c>i + 1</c> as <see cref="MatchState.Period"/> counts them: football's two halves;
    /// basketball's four quarters, then each overtime. Only periods that have started.
    /// </summary>
    [Key("periods")] public IReadOnlyList<ScorePair> Periods { get; init; } = [];
    /// <summary>Football: the goals of extra time, both halves together (as the vendors report it).</summary>
    [Key("extraTime")] public ScorePair? ExtraTime { get; init; }
    /// <summary>Football: the penalty shoot-out (not counted in <see cref="TeamScore.Score"/>).</summary>
    [Key("penalties")] public ScorePair? Penalties { get; init; }

    public bool Equals(LineScore? other) =>
        other is not null && Periods.SequenceEqual(other.Periods) && ExtraTime == other.ExtraTime && Penalties == other.Penalties;

    public override int GetHashCode() => HashCode.Combine(Periods.Count, ExtraTime, Penalties);
}

/// <summary>The score of a tennis match: <see cref="MatchState.Period"/> is the current set (1–5).</summary>
[MessagePackObject]
public sealed record TennisScore
{
    /// <summary>3 or 5: the first to win 2 or 3 sets wins the match.</summary>
    [Key("bestOf")] public int BestOf { get; init; } = 3;
    /// <summary>Every set started, in order; while the match is played the last is the current one.</summary>
    [Key("sets")] public IReadOnlyList<SetScore> Sets { get; init; } = [];
    /// <summary>
    /// Points won in the current game, as counts: 0, 1, 2, 3 are shown 0, 15, 30, 40; from 3–3 on, equal is deuce and
    /// one ahead is advantage. In a tie-break (at 6–6) these are the tie-break's points, shown as they are.
    /// </summary>
    [Key("points")] public ScorePair Points { get; init; } = new();
    /// <summary>Who serves the current point: <c>home</c> or <c>away</c>.</summary>
    [Key("server")] public string Server { get; init; } = TeamSides.Home;
    /// <summary>The side that retired (the match is then <c>final</c>, won by the other); absent otherwise.</summary>
    [Key("retired")] public string? Retired { get; init; }

    public bool Equals(TennisScore? other) =>
        other is not null && BestOf == other.BestOf && Sets.SequenceEqual(other.Sets) && Points == other.Points
        && Server == other.Server && Retired == other.Retired;

    public override int GetHashCode() => HashCode.Combine(BestOf, Sets.Count, Points, Server, Retired);
}

/// <summary>The games of one set, and the tie-break's points once a tie-break decided it (7–6).</summary>
[MessagePackObject]
public sealed record SetScore
{
    [Key("home")] public int Home { get; init; }
    [Key("away")] public int Away { get; init; }
    [Key("tieBreak")] public ScorePair? TieBreak { get; init; }
}
