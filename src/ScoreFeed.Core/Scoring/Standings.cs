using ScoreFeed.Contract;

namespace ScoreFeed.Scoring;

/// <summary>
/// A football competition's table as a function of its matches' states: final results count, matches in play count with
/// their current score (their teams' rows are <c>live</c>), the others list their teams with nothing played. So every
/// change of a match moves the table with it: a final whistle, an operator's correction, a disallowed goal (the score
/// goes down, and the table back).
/// <para>
/// Points 3/1/0. Order: points, goal difference, goals for (all descending), then name and team id (ordinal).
/// Form: the last five final results, newest (latest kick-off) first; a match in play is not form yet.
/// Football only: basketball and tennis competitions have no table here.
/// </para>
/// </summary>
public static class Standings
{
    public const int FormLength = 5;

    public static bool HasTable(string sport) => sport == Sports.Football;

    public static StandingsTable Compute(IEnumerable<MatchState> matches)
    {
        var lines = new Dictionary<string, Line>(StringComparer.Ordinal);
        var live = false;
        foreach (var match in matches.Where(m => HasTable(m.Sport)).OrderByDescending(m => m.StartsAt).ThenBy(m => m.MatchId, StringComparer.Ordinal))
        {
            var home = LineOf(lines, match.Home);
            var away = LineOf(lines, match.Away);
            var inPlay = MatchStatus.IsInPlay(match.Status);
            if (!inPlay && match.Status != MatchStatus.Final)
            {
                continue;
            }
            live |= inPlay;
            home.Add(match.Home.Score, match.Away.Score, inPlay);
            away.Add(match.Away.Score, match.Home.Score, inPlay);
        }
        var rows = lines.Values
            .OrderByDescending(l => l.Points)
            .ThenByDescending(l => l.GoalsFor - l.GoalsAgainst)
            .ThenByDescending(l => l.GoalsFor)
            .ThenBy(l => l.Name, StringComparer.Ordinal)
            .ThenBy(l => l.TeamId, StringComparer.Ordinal)
            .Select((l, i) => l.ToRow(i + 1))
            .ToList();
        return new StandingsTable { Rows = rows, Live = live };
    }

    private static Line LineOf(Dictionary<string, Line> lines, TeamScore team)
    {
        if (!lines.TryGetValue(team.Id, out var line))
        {
            lines[team.Id] = line = new Line(team.Id, team.Name);
        }
        return line;
    }

    /// <summary>Filled newest match first, so form is newest first.</summary>
    private sealed class Line(string teamId, string name)
    {
        private readonly System.Text.StringBuilder _form = new(FormLength);

        public string TeamId { get; } = teamId;
        public string Name { get; } = name;
        public int Played { get; private set; }
        public int Won { get; private set; }
        public int Drawn { get; private set; }
        public int Lost { get; private set; }
        public int GoalsFor { get; private set; }
        public int GoalsAgainst { get; private set; }
        public bool Live { get; private set; }
        public int Points => Won * 3 + Drawn;

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
            Form = _form.ToString(),
            Live = Live,
        };
    }
}
