using MessagePack;

namespace ScoreFeed.Contract;

/// <summary>
/// One change to a match, as pushed to clients (method <c>update</c>) and as replayed by recovery.
/// <see cref="State"/> is the match state after the change, without incidents;
/// <see cref="Incident"/> is the incident this change added, amended or (with <see cref="Contract.Incident.Removed"/>) removed, if any.
/// </summary>
[MessagePackObject]
public sealed record MatchUpdate
{
    [Key("matchId")] public string MatchId { get; init; } = "";
    [Key("competitionId")] public string CompetitionId { get; init; } = "";
    [Key("epoch")] public string Epoch { get; init; } = "";
    [Key("seq")] public long Seq { get; init; }
    /// <summary>When ingest published it (ms since the Unix epoch); in recovered updates, when it was committed.</summary>
    [Key("ts")] public long Ts { get; init; }
    [Key("source")] public string Source { get; init; } = UpdateSources.Feed;
    [Key("state")] public MatchState State { get; init; } = new();
    [Key("incident")] public Incident? Incident { get; init; }
}
