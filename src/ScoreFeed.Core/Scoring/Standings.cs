using ScoreFeed.Contract;

namespace ScoreFeed.Scoring;

/// <summary>
/// A football competition's table as a function of its matches' states, on top of the vendor's table when a feed
/// provides one (<see cref="FeedTable"/>): final results count, matches in play count with their current score (their
/// teams' rows are <c>live</c>), the others list their teams with nothing played. So every change of a match moves the
/// table with it: a final whistle, an operator's correction, a disallowed goal (the score goes down, and the table back).
/// <para>
/// Points 3/1/0. Order: points, goal difference, goals for (all descending), then the vendor's position, name and team
/// id; with a vendor table and nothing added to it, the vendor's order as it is (its own tie-breakers). Form: the last
/// five final results, newest (latest kick-off) first, then the vendor's; a match in play is not form yet.
/// Football only: basketball and tennis competitions have no table here.
/// </para>
/// </summary>
public static class Standings
{
    public const int FormLength = 5;

    public static bool HasTable(string sport) => sport == Sports.Football;

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
        foreach (var match in Newest(matches))
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
            home.Add(match.Home.Score, match.Away.Score, inPlay);
            away.Add(match.Away.Score, match.Home.Score, inPlay);
        }
        var ordered = feed is not null && !added
            ? lines.Values.OrderBy(l => l.FeedPosition)
            : lines.Values
                .OrderByDescending(l => l.Points)
                .ThenByDescending(l => l.GoalsFor - l.GoalsAgainst)
                .ThenByDescending(l => l.GoalsFor)
                .ThenBy(l => l.FeedPosition);
        var rows = ordered
            .ThenBy(l => l.Name, StringComparer.Ordinal)
            .ThenBy(l => l.TeamId, StringComparer.Ordinal)
            .Select((l, i) => l.ToRow(i + 1))
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
        var played = Newest(matches).Where(m => MatchStatus.IsInPlay(m.Status) || m.Status == MatchStatus.Final).Reverse().ToList();
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

    private static IEnumerable<MatchState> Newest(IEnumerable<MatchState> matches) =>
        matches.Where(m => HasTable(m.Sport)).OrderByDescending(m => m.StartsAt).ThenBy(m => m.MatchId, StringComparer.Ordinal);

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
        public int Points => Won * 3 + Drawn + PointsAdjustment;

        private string Form => (_form + _feedForm) is { Length: > FormLength } form ? form[..FormLength] : _form + _feedForm;

        public void Add(int scored, int conceded, bool inPlay)
        {
            Played++;
            GoalsFor += scored;
            GoalsAgainst += conceded;
            var result = scored > conceded ? 'W' : scored == conceded ? 'D' : 'L';
            switch (result)
            {
                case 'W': Won++; break;
                case 'D': Drawn++; break;
                default: Lost++; break;
            }
            Live |= inPlay;
            if (!inPlay && _form.Length < FormLength)
            {
                _form.Append(result);
            }
        }

        public StandingsRow ToRow(int position) => new()
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
            Points = Points,
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
