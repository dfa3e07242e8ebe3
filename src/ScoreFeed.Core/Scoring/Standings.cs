using ScoreFeed.Contract;

namespace ScoreFeed.Scoring;

/// <summary>
/// A football or basketball competition's table as a function of its matches' states, on top of the vendor's table
/// when a feed provides one (<see cref="FeedTable"/>, football only): final results count, matches in play count with
/// their current score (their teams' rows are <c>live</c>), the others list their teams with nothing played. So every
/// change of a match moves the table with it: a final whistle, an operator's correction, a disallowed goal (the score
/// goes down, and the table back).
/// <para>
/// The table is of one sport (<see cref="SportOf"/>), and only its matches count. Football: points 3/1/0. Basketball
/// (as FIBA leagues classify): 2 for a win, 1 for a loss, no draws; a game level in play (or, wrongly, level at the
/// end) is played but neither won nor lost, gives no points and no form letter; <c>goalsFor</c>/<c>goalsAgainst</c>
/// carry points scored and conceded. Order: points, difference, scored (all descending), then the vendor's position,
/// name and team id; with a vendor table and nothing added to it, the vendor's order as it is (its own tie-breakers).
/// Form: the last five final results, newest (latest kick-off) first, then the vendor's; a match in play is not form
/// yet. Tennis has no table.
/// </para>
/// </summary>
public static class Standings
{
    public const int FormLength = 5;

    public static bool HasTable(string sport) => sport is Sports.Football or Sports.Basketball;

    /// <summary>
    /// The sport of the competition's table: football when a feed gives its table, else the sport most of its matches
    /// with a table play (a tie goes to the newest match's); null when it has neither.
    /// </summary>
    public static string? SportOf(IEnumerable<MatchState> matches, FeedTable? feed = null) =>
        feed is not null
            ? Sports.Football
            : matches.Where(m => HasTable(m.Sport))
                .GroupBy(m => m.Sport, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.Max(m => m.StartsAt))
                .Select(g => g.Key)
                .FirstOrDefault();

    /// <summary>The table of <paramref name="matches"/>, added to <paramref name="feed"/> (the vendor's) when there is one.</summary>
    public static StandingsTable Compute(IEnumerable<MatchState> matches, FeedTable? feed = null)
    {
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        foreach (var row in feed?.Rows ?? [])
        {
            lines[row.TeamId] = new Line(row);
        }
        var counted = feed?.Counted.ToHashSet(StringComparer.Ordinal) ?? [];
        var live = false;
        var added = false;
        var sport = SportOf(matches, feed);
        var rules = RulesOf(sport);
        foreach (var match in Newest(matches, sport))
        {
            var home = LineOf(lines, match.Home);
            var away = LineOf(lines, match.Away);
            var inPlay = MatchStatus.IsInPlay(match.Status);
            if (!inPlay && match.Status != MatchStatus.Final || counted.Contains(match.MatchId))
            {
                continue;
            }
            live |= inPlay;
            added = true;
            home.Add(match.Home.Score, match.Away.Score, inPlay, rules);
            away.Add(match.Away.Score, match.Home.Score, inPlay, rules);
        }
        var ordered = feed is not null && !added
            ? lines.Values.OrderBy(l => l.FeedPosition)
            : lines.Values
                .OrderByDescending(l => l.PointsUnder(rules))
                .ThenByDescending(l => l.GoalsFor - l.GoalsAgainst)
                .ThenByDescending(l => l.GoalsFor)
                .ThenBy(l => l.FeedPosition);
        var rows = ordered
            .ThenBy(l => l.Name, StringComparer.Ordinal)
            .ThenBy(l => l.TeamId, StringComparer.Ordinal)
            .Select((l, i) => l.ToRow(i + 1, rules))
            .ToList();
        return new StandingsTable { Rows = rows, Live = live };
    }

    /// <summary>
    /// Which of <paramref name="matches"/> the vendor's new table <paramref name="fresh"/> already counts (docs/standings.md,
    /// "Feed tables"): a team's matches (final or in play, oldest kick-off first) are counted one per game its
    /// <c>played</c> rose since the <paramref name="previous"/> table; those <paramref name="previous"/> counted stay counted
    /// while they are held. The first table counts every final held and no match in play: a wrong guess leaves a match
    /// out until the vendor's next table, never counts one twice.
    /// </summary>
    public static IReadOnlyList<string> Counted(FeedTable? previous, IReadOnlyList<StandingsRow> fresh, IEnumerable<MatchState> matches)
    {
        var played = Newest(matches, Sports.Football).Where(m => MatchStatus.IsInPlay(m.Status) || m.Status == MatchStatus.Final).Reverse().ToList();
        if (previous is null)
        {
            return [.. played.Where(m => m.Status == MatchStatus.Final).Select(m => m.MatchId)];
        }
        var counted = played.Where(m => previous.Counted.Contains(m.MatchId, StringComparer.Ordinal)).Select(m => m.MatchId).ToHashSet(StringComparer.Ordinal);
        var before = previous.Rows.ToDictionary(r => r.TeamId, r => r.Played, StringComparer.Ordinal);
        foreach (var row in fresh)
        {
            var rose = row.Played - before.GetValueOrDefault(row.TeamId, row.Played);
            foreach (var match in played.Where(m => (m.Home.Id == row.TeamId || m.Away.Id == row.TeamId) && !counted.Contains(m.MatchId)).Take(Math.Max(0, rose)))
            {
                counted.Add(match.MatchId);
            }
        }
        return [.. played.Where(m => counted.Contains(m.MatchId)).Select(m => m.MatchId)];
    }

    private static IEnumerable<MatchState> Newest(IEnumerable<MatchState> matches, string? sport) =>
        matches.Where(m => m.Sport == sport).OrderByDescending(m => m.StartsAt).ThenBy(m => m.MatchId, StringComparer.Ordinal);

    private static Rules RulesOf(string? sport) => sport == Sports.Basketball ? new(Win: 2, Draw: 0, Loss: 1, Draws: false) : new(Win: 3, Draw: 1, Loss: 0, Draws: true);

    /// <summary>What a result is worth; without <paramref name="Draws"/> a level score decides nothing (basketball).</summary>
    private readonly record struct Rules(int Win, int Draw, int Loss, bool Draws);

    private static Line LineOf(Dictionary<string, Line> lines, TeamScore team)
    {
        if (!lines.TryGetValue(team.Id, out var line))
        {
            lines[team.Id] = line = new Line(team.Id, team.Name);
        }
        return line;
    }

    /// <summary>Filled newest match first, so form is newest first; a vendor's line starts from its numbers, its form last.</summary>
    private sealed class Line
    {
        private readonly System.Text.StringBuilder _form = new(FormLength);
        private readonly string _feedForm = "";

        public Line(string teamId, string name) => (TeamId, Name) = (teamId, name);

        public Line(StandingsRow row) : this(row.TeamId, row.Name)
        {
            FeedPosition = row.Position;
            (Played, Won, Drawn, Lost, GoalsFor, GoalsAgainst, _feedForm) = (row.Played, row.Won, row.Drawn, row.Lost, row.GoalsFor, row.GoalsAgainst, row.Form);
            // A vendor's table is a football one (3/1/0).
            PointsAdjustment = row.Points - (row.Won * 3 + row.Drawn);
        }

        public string TeamId { get; }
        public string Name { get; }
        /// <summary>The vendor's position; teams it does not list come after its own.</summary>
        public int FeedPosition { get; } = int.MaxValue;
        public int Played { get; private set; }
        public int Won { get; private set; }
        public int Drawn { get; private set; }
        public int Lost { get; private set; }
        public int GoalsFor { get; private set; }
        public int GoalsAgainst { get; private set; }
        public bool Live { get; private set; }
        /// <summary>Points the vendor's table gives beyond 3/1/0 (a deduction is negative): kept as they are.</summary>
        private int PointsAdjustment { get; }

        private string Form => (_form + _feedForm) is { Length: > FormLength } form ? form[..FormLength] : _form + _feedForm;

        public int PointsUnder(Rules rules) => Won * rules.Win + Drawn * rules.Draw + Lost * rules.Loss + PointsAdjustment;

        public void Add(int scored, int conceded, bool inPlay, Rules rules)
        {
            Played++;
            GoalsFor += scored;
            GoalsAgainst += conceded;
            Live |= inPlay;
            if (scored == conceded && !rules.Draws)
            {
                return; // Level in basketball: nothing decided (yet).
            }
            var result = scored > conceded ? 'W' : scored == conceded ? 'D' : 'L';
            switch (result)
            {
                case 'W': Won++; break;
                case 'D': Drawn++; break;
                default: Lost++; break;
            }
            if (!inPlay && _form.Length < FormLength)
            {
                _form.Append(result);
            }
        }

        public StandingsRow ToRow(int position, Rules rules) => new()
        {
            Position = position,
            TeamId = TeamId,
            Name = Name,
            Played = Played,
            Won = Won,
            Drawn = Drawn,
            Lost = Lost,
            GoalsFor = GoalsFor,
            GoalsAgainst = GoalsAgainst,
            Points = PointsUnder(rules),
            Form = Form,
            Live = Live,
        };
    }
}

/// <summary>
/// A vendor's table of a competition as last fetched (<see cref="Rows"/>, at <see cref="FetchedAt"/>, Unix ms) with the
/// held matches it already counts (<see cref="Standings.Counted"/>): the base that the other matches are added to.
/// </summary>
public sealed record FeedTable
{
    public long FetchedAt { get; init; }
    public IReadOnlyList<StandingsRow> Rows { get; init; } = [];
    public IReadOnlyList<string> Counted { get; init; } = [];
}
