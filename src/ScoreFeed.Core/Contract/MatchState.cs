using MessagePack;

namespace ScoreFeed.Contract;

/// <summary>
/// The full state of one match. <see cref="Epoch"/> and <see cref="Seq"/> are its position in the
/// match's history: a client holding this state applies the update with <c>seq == Seq + 1</c> next.
/// All times are milliseconds since the Unix epoch (UTC).
/// </summary>
[MessagePackObject]
public sealed record MatchState
{
    [Key("matchId")] public string MatchId { get; init; } = "";
    [Key("competitionId")] public string CompetitionId { get; init; } = "";
    [Key("sport")] public string Sport { get; init; } = Sports.Football;
    [Key("home")] public TeamScore Home { get; init; } = new();
    [Key("away")] public TeamScore Away { get; init; } = new();
    [Key("status")] public string Status { get; init; } = MatchStatus.Scheduled;
    /// <summary>0 before the start; football 1–2 halves, 3–4 extra time, 5 penalties; basketball 1–4 quarters, 5+ overtime.</summary>
    [Key("period")] public int Period { get; init; }
    [Key("clock")] public MatchClock Clock { get; init; } = new();
    [Key("startsAt")] public long StartsAt { get; init; }
    [Key("epoch")] public string Epoch { get; init; } = "";
    [Key("seq")] public long Seq { get; init; }
    [Key("updatedAt")] public long UpdatedAt { get; init; }
    /// <summary>Per-period scores (football, basketball); absent when nobody reports them.</summary>
    [Key("lines")] public LineScore? Lines { get; init; }
    /// <summary>Tennis only: sets, the current game and the server. <see cref="Home"/>/<see cref="Away"/> hold the sets won.</summary>
    [Key("tennis")] public TennisScore? Tennis { get; init; }
    /// <summary>Only in a competition's standings document (<see cref="StandingsDocument"/>): its table.</summary>
    [Key("table")] public StandingsTable? Table { get; init; }
    /// <summary>Present in snapshots; omitted from the state inside a <see cref="MatchUpdate"/>.</summary>
    [Key("incidents")] public IReadOnlyList<Incident>? Incidents { get; init; }
}

[MessagePackObject]
public sealed record TeamScore
{
    [Key("id")] public string Id { get; init; } = "";
    [Key("name")] public string Name { get; init; } = "";
    [Key("score")] public int Score { get; init; }
}

/// <summary>
/// The match clock as clients run it: at wall time <see cref="At"/> it showed <see cref="Seconds"/>;
/// while <see cref="Running"/> it moves one second per second (up for football, down for basketball).
/// </summary>
[MessagePackObject]
public sealed record MatchClock
{
    [Key("running")] public bool Running { get; init; }
    [Key("seconds")] public int Seconds { get; init; }
    [Key("at")] public long At { get; init; }
}

[MessagePackObject]
public sealed record Incident
{
    [Key("id")] public string Id { get; init; } = "";
    [Key("type")] public string Type { get; init; } = "";
    [Key("period")] public int Period { get; init; }
    /// <summary>Match clock when it happened (seconds, as shown by the clock).</summary>
    [Key("seconds")] public int Seconds { get; init; }
    /// <summary>"home", "away" or null for match-wide incidents (period start/end).</summary>
    [Key("team")] public string? Team { get; init; }
    [Key("player")] public string? Player { get; init; }
    [Key("points")] public int? Points { get; init; }
    [Key("detail")] public string? Detail { get; init; }
    /// <summary>
    /// Only in an update: true when an operator removed this incident (e.g. a disallowed goal); the client drops
    /// the incident with this id. Absent otherwise.
    /// </summary>
    [Key("removed")] public bool? Removed { get; init; }
}

/// <summary>Body of <c>GET /api/v1/matches</c>.</summary>
public sealed record MatchList
{
    public IReadOnlyList<MatchState> Matches { get; init; } = [];
}
