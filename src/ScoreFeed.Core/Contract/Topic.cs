namespace ScoreFeed.Contract;

public enum TopicKind
{
    Live,
    Competition,
    Match,
    /// <summary><c>standings:{competitionId}</c>: the competition's table (its standings document).</summary>
    Standings,
}

/// <summary>A subscription topic; also the name of the SignalR group that receives its updates.</summary>
public readonly record struct Topic(TopicKind Kind, string? Id)
{
    public const string LiveName = "live";
    public const string CompetitionPrefix = "competition:";
    public const string MatchPrefix = "match:";
    public const string StandingsPrefix = StandingsDocument.Prefix;

    public static readonly Topic Live = new(TopicKind.Live, null);

    public static Topic ForMatch(string matchId) => new(TopicKind.Match, matchId);

    public static Topic ForCompetition(string competitionId) => new(TopicKind.Competition, competitionId);

    public static Topic ForStandings(string competitionId) => new(TopicKind.Standings, competitionId);

    public string Name => Kind switch
    {
        TopicKind.Live => LiveName,
        TopicKind.Competition => CompetitionPrefix + Id,
        TopicKind.Standings => StandingsPrefix + Id,
        _ => MatchPrefix + Id,
    };

    public override string ToString() => Name;

    /// <summary>Parses a topic; on failure <paramref name="error"/> says why, in words fit for the client.</summary>
    public static bool TryParse(string? text, out Topic topic, out string error)
    {
        topic = default;
        error = "";
        if (string.IsNullOrEmpty(text))
        {
            error = "empty topic";
            return false;
        }
        if (text == LiveName)
        {
            topic = Live;
            return true;
        }
        (TopicKind kind, string id) = text.StartsWith(CompetitionPrefix, StringComparison.Ordinal)
            ? (TopicKind.Competition, text[CompetitionPrefix.Length..])
            : text.StartsWith(MatchPrefix, StringComparison.Ordinal)
                ? (TopicKind.Match, text[MatchPrefix.Length..])
                : text.StartsWith(StandingsPrefix, StringComparison.Ordinal)
                    ? (TopicKind.Standings, text[StandingsPrefix.Length..])
                    : ((TopicKind)(-1), "");
        if ((int)kind < 0)
        {
            error = "unknown topic: expected \"live\", \"competition:{id}\", \"match:{id}\" or \"standings:{id}\"";
            return false;
        }
        if (!Ids.IsValid(id))
        {
            error = $"invalid id: ids match {Ids.Pattern}";
            return false;
        }
        topic = new Topic(kind, id);
        return true;
    }
}
