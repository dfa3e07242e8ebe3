using System.Globalization;
using ScoreFeed.Contract;
using ScoreFeed.Web.Localization;

namespace ScoreFeed.Web.Pages;

/// <summary>
/// A match's line score (football, basketball) or tennis sets, for the server-rendered first paint
/// (Pages/Shared/_LineScore.cshtml, and the sets on a tennis card). The scripts repaint the same from
/// ClientApp/src/ui/scores.ts: keep both in step.
/// </summary>
internal static class LineScoreView
{
    public sealed record Cell(string Text, string? TieBreak = null, bool Won = false, string? Kind = null)
    {
        /// <summary>Its kind (game points, total) or <paramref name="plain"/>, and sf-won on a finished set's winner (cellClass() in scores.ts).</summary>
        public string? Class(string plain)
        {
            var classes = string.Join(' ', new[] { Kind is null ? plain : $"sf-lines-{Kind}", Won ? "sf-won" : "" }.Where(c => c.Length > 0));
            return classes.Length > 0 ? classes : null;
        }
    }

    public sealed record Row(string Side, string Name, bool Serving, IReadOnlyList<Cell> Cells);

    public sealed record Table(string Kind, string Caption, IReadOnlyList<string> Heads, IReadOnlyList<Row> Rows);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static bool IsTieBreak(TennisScore tennis) => tennis.Sets.Count > 0 && tennis.Sets[^1] is { Home: 6, Away: 6 };

    /// <summary>The current game's points as fans read them: 0 15 30 40, deuce 40–40, advantage AD–40; tie-breaks as counts.</summary>
    public static (string Home, string Away) GamePoints(TennisScore tennis)
    {
        var (home, away) = (tennis.Points.Home, tennis.Points.Away);
        if (IsTieBreak(tennis))
        {
            return (N(home), N(away));
        }
        if (home >= 3 && away >= 3)
        {
            var ad = Text.Get("tennis.advantage");
            return home == away ? ("40", "40") : home > away ? (ad, "40") : ("40", ad);
        }
        string[] calls = ["0", "15", "30", "40"];
        return (calls[Math.Min(home, 3)], calls[Math.Min(away, 3)]);
    }

    /// <summary>The table under the score, or null when the match has none (lineTable() in scores.ts).</summary>
    public static Table? For(MatchState state)
    {
        if (state.Status is MatchStatus.Scheduled or MatchStatus.Postponed or MatchStatus.Cancelled)
        {
            return null;
        }
        if (state.Sport == Sports.Tennis)
        {
            return state.Tennis is { Sets.Count: > 0 } tennis ? ForTennis(state, tennis) : null;
        }
        if (state.Lines is not { Periods.Count: > 0 } lines)
        {
            return null;
        }
        var columns = lines.Periods
            .Select((pair, i) => (Head: state.Sport == Sports.Basketball ? MatchView.PeriodLabel(Sports.Basketball, i + 1) : N(i + 1), Pair: pair))
            .ToList();
        if (lines.ExtraTime is { } extraTime)
        {
            columns.Add((Text.Get("lines.extraTime"), extraTime));
        }
        if (lines.Penalties is { } penalties)
        {
            columns.Add((Text.Get("lines.penalties"), penalties));
        }
        Row RowOf(string side, TeamScore team) => new(side, team.Name, false,
            [.. columns.Select(c => new Cell(N(c.Pair.Of(side)))), new Cell(N(team.Score), Kind: "total")]);
        return new Table("lines", Text.Get("lines.byPeriod"), [.. columns.Select(c => c.Head), Text.Get("lines.total")],
            [RowOf(TeamSides.Home, state.Home), RowOf(TeamSides.Away, state.Away)]);
    }

    private static Table ForTennis(MatchState state, TennisScore tennis)
    {
        var inPlay = MatchStatus.IsInPlay(state.Status);
        var points = GamePoints(tennis);
        Row RowOf(string side, TeamScore team, string game)
        {
            var cells = tennis.Sets.Select((set, i) =>
            {
                var (mine, theirs) = side == TeamSides.Home ? (set.Home, set.Away) : (set.Away, set.Home);
                var finished = !inPlay || i < tennis.Sets.Count - 1;
                var tieBreak = set.TieBreak is { } tb && mine < theirs ? N(tb.Of(side)) : null;
                return new Cell(N(mine), tieBreak, finished && mine > theirs);
            }).ToList();
            if (inPlay)
            {
                cells.Add(new Cell(game, Kind: "game"));
            }
            return new Row(side, team.Name, inPlay && tennis.Server == side, cells);
        }
        var heads = Enumerable.Range(1, tennis.Sets.Count).Select(N).ToList();
        if (inPlay)
        {
            heads.Add(Text.Get("lines.game"));
        }
        return new Table("tennis", Text.Get("lines.bySet"), heads,
            [RowOf(TeamSides.Home, state.Home, points.Home), RowOf(TeamSides.Away, state.Away, points.Away)]);
    }
}
